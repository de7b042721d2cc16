import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { customers, customerValues, events, identities, identityMerges } from "~/db/schema";
import { type Channel, type EventType, type IdentityKind } from "~/db/enums";
import { mergeProfiles } from "~/server/identity/merge";
import type { RfmGroup } from "~/server/value/rfm";

// Rows written straight into customers / identities / events, so the read
// side can be tested without the ingestion and identity-resolution code.

export interface CustomerSeed {
  id?: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  traits?: Record<string, unknown>;
  firstSeenAt?: Date | null;
  lastSeenAt?: Date | null;
  eventCount?: number;
  purchaseCount?: number;
  totalSpend?: number;
  channelCounts?: Partial<Record<Channel, number>>;
  mergedInto?: string | null;
}

export async function insertCustomer(db: DbOrTx, workspaceId: string, seed: CustomerSeed = {}) {
  const id = seed.id ?? randomUUID();
  await db.insert(customers).values({
    workspaceId,
    id,
    name: seed.name ?? null,
    email: seed.email ?? null,
    phone: seed.phone ?? null,
    traits: seed.traits ?? {},
    firstSeenAt: seed.firstSeenAt ?? seed.lastSeenAt ?? null,
    lastSeenAt: seed.lastSeenAt ?? null,
    eventCount: seed.eventCount ?? 0,
    purchaseCount: seed.purchaseCount ?? 0,
    totalSpend: seed.totalSpend ?? 0,
    channelCounts: seed.channelCounts ?? {},
    mergedInto: seed.mergedInto ?? null,
  });
  return id;
}

export async function insertIdentity(
  db: DbOrTx,
  workspaceId: string,
  customerId: string,
  kind: IdentityKind,
  value: string,
  options: { profileId?: string; source?: string; firstSeenAt?: Date } = {},
) {
  await db.insert(identities).values({
    workspaceId,
    kind,
    value,
    customerId,
    profileId: options.profileId ?? customerId,
    source: options.source ?? "test",
    firstSeenAt: options.firstSeenAt ?? new Date(),
  });
}

export interface EventSeed {
  type?: EventType;
  event?: string | null;
  channel?: Channel;
  timestamp: Date | string;
  amount?: number | null;
  properties?: Record<string, unknown>;
  context?: Record<string, unknown>;
  traits?: Record<string, unknown> | null;
  userId?: string | null;
  anonymousId?: string | null;
}

/** Inserts the events in one statement; returns their ids in input order. */
export async function insertEvents(db: DbOrTx, workspaceId: string, customerId: string, seeds: EventSeed[]) {
  if (seeds.length === 0) return [];
  const rows = await db
    .insert(events)
    .values(
      seeds.map((seed) => ({
        workspaceId,
        customerId,
        profileId: customerId,
        messageId: randomUUID(),
        type: seed.type ?? "track",
        event: seed.event === undefined ? "Product Viewed" : seed.event,
        channel: seed.channel ?? "web",
        userId: seed.userId ?? null,
        anonymousId: seed.anonymousId ?? null,
        properties: seed.properties ?? {},
        traits: seed.traits ?? null,
        context: seed.context ?? {},
        amount: seed.amount ?? null,
        // A string keeps microseconds that a Date would lose.
        timestamp: typeof seed.timestamp === "string" ? sql`${seed.timestamp}::timestamptz` : seed.timestamp,
        source: "test",
      })),
    )
    .returning({ id: events.id });
  return rows.map((row) => row.id);
}

export async function insertMerge(
  db: DbOrTx,
  workspaceId: string,
  merge: {
    survivorId: string;
    mergedId: string;
    reason?: string;
    identityKind?: IdentityKind | null;
    identityValue?: string | null;
    actorUserId?: string | null;
    createdAt?: Date;
    undoneAt?: Date | null;
    undoneBy?: string | null;
  },
) {
  const [row] = await db
    .insert(identityMerges)
    .values({
      workspaceId,
      survivorId: merge.survivorId,
      mergedId: merge.mergedId,
      reason: merge.reason ?? "manual",
      identityKind: merge.identityKind ?? null,
      identityValue: merge.identityValue ?? null,
      actorUserId: merge.actorUserId ?? null,
      createdAt: merge.createdAt ?? new Date(),
      undoneAt: merge.undoneAt ?? null,
      undoneBy: merge.undoneBy ?? null,
    })
    .returning({ id: identityMerges.id });
  return row!.id;
}

/** One customer with an identity and one event: enough for a procedure to answer OK (server/authz.test.ts). */
export async function makeCustomerWithEvent(db: DbOrTx, workspaceId: string) {
  const id = await insertCustomer(db, workspaceId, {
    name: "Ada Fixture",
    email: "ada.fixture@example.test",
    lastSeenAt: new Date(),
    eventCount: 1,
    channelCounts: { web: 1 },
  });
  await insertIdentity(db, workspaceId, id, "email", "ada.fixture@example.test");
  const [eventId] = await insertEvents(db, workspaceId, id, [{ timestamp: new Date(), event: "Signed Up" }]);
  return { id, eventId: eventId! };
}

/** Two more customers of the workspace: one to merge into `survivorId`, and a merge already made, to undo. */
export async function makeMergeFixture(
  db: DbOrTx,
  workspaceId: string,
  survivorId: string,
  actorUserId: string,
) {
  const otherId = await insertCustomer(db, workspaceId, { name: "Ada Duplicate" });
  const mergedAway = await insertCustomer(db, workspaceId, { name: "Ada Old Profile" });
  const { mergeId } = await mergeProfiles(db, { workspaceId, survivorId, mergedId: mergedAway, actorUserId });
  return { otherId, mergeId };
}

export interface CustomerValueSeed {
  clv: number | null;
  pAlive: number;
  group: RfmGroup;
  /** A fresh id unless given. */
  fitId?: string;
  previousGroup?: RfmGroup | null;
  pastRevenue?: number;
}

/** A customer_values row as a fit would store it; the figures tests do not name are fixed. */
export async function insertCustomerValue(
  db: DbOrTx,
  workspaceId: string,
  customerId: string,
  value: CustomerValueSeed,
) {
  await db.insert(customerValues).values({
    workspaceId,
    customerId,
    fitId: value.fitId ?? randomUUID(),
    x: 1,
    tx: 1,
    T: 2,
    pAlive: value.pAlive,
    expectedPurchases90d: 0.5,
    clv: value.clv,
    expectedSpend: value.clv === null ? null : 10,
    rfmRecency: 3,
    rfmFrequency: 3,
    rfmMonetary: 3,
    rfmGroup: value.group,
    previousRfmGroup: value.previousGroup ?? null,
    pastRevenue: value.pastRevenue ?? 10,
  });
}

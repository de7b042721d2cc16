import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { channels, type Channel, type ConsentSource, type ConsentState } from "~/db/enums";
import { customerConsents, customers, suppressions, users } from "~/db/schema";
import { ConflictError, NotFoundError, RuleError } from "~/server/errors";
import { lockProfiles, MAX_WRITE_ATTEMPTS } from "~/server/identity/locks";
import { resolveProfile } from "~/server/identity/merge";
import { addToSummaries } from "~/server/identity/summary";
import { addressProblem, normaliseAddress } from "./addresses";

// Customers' subscriptions per channel and the workspace's suppression list:
// what the unsubscribe link, a person in Centric and the settings page change.
// (Identify traits change subscriptions on ingestion: ./ingest.ts.)

export interface ConsentChange {
  workspaceId: string;
  customerId: string;
  channels: Channel[];
  state: ConsentState;
  source: Exclude<ConsentSource, "trait">;
  /** The person who changed it; null for the customer's own link. */
  actorUserId: string | null;
}

/**
 * Sets the customer's subscription on these channels and writes a
 * `Unsubscribed` (or `Subscribed`) event to their timeline for each channel
 * whose state changed, so a repeated click records nothing twice. A customer
 * merged into another since the link was made is changed in the profile it
 * joined, and in its own row, which a split brings back.
 * Returns the standing customer and the channels that changed.
 */
export async function setConsent(db: DbOrTx, change: ConsentChange) {
  const { workspaceId } = change;
  for (let attempt = 1; ; attempt++) {
    const standing = await resolveProfile(db, workspaceId, change.customerId);
    if (!standing) throw new NotFoundError("No such customer in this workspace.");
    const ids = [...new Set([standing, change.customerId])];
    // Shared locks that a merge waits for: it copies unsubscribes of what it folds, so none may land meanwhile.
    const locked = await lockProfiles(db, workspaceId, ids, "for key share");
    if (locked.get(standing) === null) return applyChange(db, change, standing, ids);
    if (attempt === MAX_WRITE_ATTEMPTS) throw new ConflictError("The customer is being merged: try again.");
  }
}

async function applyChange(db: DbOrTx, change: ConsentChange, standing: string, ids: string[]) {
  const { workspaceId, state, source, actorUserId } = change;
  const wanted = [...new Set(change.channels)];
  const before = await db
    .select({ channel: customerConsents.channel, state: customerConsents.state })
    .from(customerConsents)
    .where(and(eq(customerConsents.workspaceId, workspaceId), eq(customerConsents.customerId, standing)));
  const previous = new Map(before.map((row) => [row.channel, row.state]));
  const changed = wanted.filter((channel) => (previous.get(channel) ?? "subscribed") !== state);
  const at = new Date();
  await db
    .insert(customerConsents)
    .values(
      ids.flatMap((customerId) =>
        wanted.map((channel) => ({
          workspaceId,
          customerId,
          channel,
          state,
          source,
          changedAt: at,
          changedBy: actorUserId,
        })),
      ),
    )
    .onConflictDoUpdate({
      target: [customerConsents.workspaceId, customerConsents.customerId, customerConsents.channel],
      set: {
        state: sql`excluded.state`,
        source: sql`excluded.source`,
        changedAt: sql`excluded.changed_at`,
        changedBy: sql`excluded.changed_by`,
      },
    });
  await recordOnTimeline(db, workspaceId, standing, changed, state, source, at);
  return { customerId: standing, changed };
}

/** The change as events on the customer's timeline, counted in their summary like any other event. */
async function recordOnTimeline(
  db: DbOrTx,
  workspaceId: string,
  customerId: string,
  changed: Channel[],
  state: ConsentState,
  source: ConsentSource,
  at: Date,
) {
  if (changed.length === 0) return;
  const event = state === "unsubscribed" ? "Unsubscribed" : "Subscribed";
  const rows = changed.map((channel) => ({
    message_id: `consent:${randomUUID()}`,
    channel,
    properties: { channel, source },
  }));
  await db.execute(sql`
    insert into events (workspace_id, customer_id, profile_id, message_id, type, event, channel, properties, context,
                        timestamp, received_at, source)
    select ${workspaceId}, ${customerId}, ${customerId}, r.message_id, 'track', ${event}, r.channel::channel,
           r.properties, '{}'::jsonb, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz, 'consent'
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (message_id text, channel text, properties jsonb)`);
  const counts: Partial<Record<Channel, number>> = {};
  for (const channel of changed) counts[channel] = (counts[channel] ?? 0) + 1;
  await addToSummaries(db, workspaceId, [
    {
      customerId,
      events: changed.length,
      purchases: 0,
      spend: 0,
      firstSeen: at,
      lastSeen: at,
      channels: counts,
      traits: {},
    },
  ]);
}

export interface ChannelConsent {
  channel: Channel;
  state: ConsentState;
  /** null: never set, so subscribed by default. */
  source: ConsentSource | null;
  changedAt: Date | null;
  changedBy: string | null;
}

/** Every channel's subscription for the customer, in the channels' order. */
export async function listConsent(
  db: DbOrTx,
  workspaceId: string,
  customerId: string,
): Promise<ChannelConsent[]> {
  const rows = await db
    .select({
      channel: customerConsents.channel,
      state: customerConsents.state,
      source: customerConsents.source,
      changedAt: customerConsents.changedAt,
      changedBy: users.name,
      changedByEmail: users.email,
    })
    .from(customerConsents)
    .leftJoin(users, eq(users.id, customerConsents.changedBy))
    .where(and(eq(customerConsents.workspaceId, workspaceId), eq(customerConsents.customerId, customerId)));
  const byChannel = new Map(rows.map((row) => [row.channel, row]));
  return channels.map((channel) => {
    const row = byChannel.get(channel);
    return row
      ? {
          channel,
          state: row.state,
          source: row.source,
          changedAt: row.changedAt,
          changedBy: row.changedBy || row.changedByEmail || null,
        }
      : { channel, state: "subscribed", source: null, changedAt: null, changedBy: null };
  });
}

/** Refuses a customer that is not in the workspace. */
export async function requireCustomer(db: DbOrTx, workspaceId: string, customerId: string) {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  if (!row) throw new NotFoundError("No such customer in this workspace.");
}

// ---------------------------------------------------------------------------
// Suppression list
// ---------------------------------------------------------------------------

export async function listSuppressions(db: DbOrTx, workspaceId: string) {
  return db
    .select({
      channel: suppressions.channel,
      address: suppressions.address,
      reason: suppressions.reason,
      createdAt: suppressions.createdAt,
      addedBy: sql<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})`,
    })
    .from(suppressions)
    .leftJoin(users, eq(users.id, suppressions.addedBy))
    .where(eq(suppressions.workspaceId, workspaceId))
    .orderBy(asc(suppressions.channel), asc(suppressions.address));
}

export async function addSuppression(
  db: DbOrTx,
  input: { workspaceId: string; channel: Channel; address: string; reason: string; userId: string },
) {
  const address = normaliseAddress(input.channel, input.address);
  if (!address) throw new RuleError(addressProblem(input.channel));
  const [row] = await db
    .insert(suppressions)
    .values({
      workspaceId: input.workspaceId,
      channel: input.channel,
      address,
      reason: input.reason,
      addedBy: input.userId,
    })
    .onConflictDoNothing()
    .returning({ channel: suppressions.channel, address: suppressions.address });
  if (!row) throw new ConflictError(`${address} is already on the suppression list for ${input.channel}.`);
  return row;
}

export async function removeSuppression(
  db: DbOrTx,
  input: { workspaceId: string; channel: Channel; address: string },
) {
  const address = normaliseAddress(input.channel, input.address) ?? input.address;
  const [row] = await db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, input.workspaceId),
        eq(suppressions.channel, input.channel),
        eq(suppressions.address, address),
      ),
    )
    .returning({ channel: suppressions.channel, address: suppressions.address });
  if (!row) throw new NotFoundError(`${address} is not on the suppression list for ${input.channel}.`);
  return row;
}

import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { executePrepared } from "~/db/prepared";
import { customers, identityMerges } from "~/db/schema";
import { type Channel, type IdentityKind } from "~/db/enums";
import { uuidArray } from "~/db/sql";
import { ConflictError, NotFoundError, RuleError } from "~/server/errors";
import { carryUnsubscribes } from "~/server/consent/merge";
import { recomputeStreams } from "~/server/segments/streams";
import { lockProfiles } from "./locks";
import {
  addProfileSummary,
  addToSummaries,
  emptyDelta,
  type Inherited,
  type ProfileSummary,
  recomputeSummaries,
  type SummaryDelta,
} from "./summary";

// Merging moves a profile's events and identifiers to the survivor and keeps
// the merged profile's row with `merged_into` set; each event and identifier
// also remembers the profile it first joined (`profile_id`). That is what
// makes a merge undoable: a split sends back everything whose first profile
// lies in the merged profile's subtree.

/**
 * A stored profile folded into another: `survivorId` is the profile it merges
 * into (what `merged_into` records, the chain a split follows), `rootId` the
 * profile that survivor ends up in (itself, unless the survivor merges on).
 */
export interface Fold {
  mergedId: string;
  survivorId: string;
  rootId: string;
}

/** A profile folded away, as it stood: what its root takes from it. */
interface FoldedProfile extends ProfileSummary, Inherited {}

export interface Folded {
  /** The customers whose streams to summarise again. */
  streams: string[];
  /**
   * What each root takes from the profiles folded into it, as an addition to
   * its summary (./summary.ts addToSummaries): their summaries as they stood
   * and the traits, name, email and phone it has none of its own.
   */
  roots: SummaryDelta[];
}

/**
 * Folds stored profiles into others, in one statement however many there are:
 * their events and identifiers go to the roots, they point at their survivors
 * and the roots take their unsubscribes (server/consent/merge.ts). The caller
 * holds the merged profiles FOR UPDATE and the roots locked (./locks.ts), so
 * that no event is added to a merged profile once its history has moved; it
 * then adds `roots` to the roots' summaries (with the batch's own events), and
 * summarises the streams of the customers in `streams` (the workspace's streams
 * lock is held from there until it commits: best last).
 */
export async function foldProfiles(db: DbOrTx, workspaceId: string, folds: Fold[]): Promise<Folded> {
  if (folds.length === 0) return { streams: [], roots: [] };
  const mergedIds = uuidArray(folds.map((f) => f.mergedId));
  const rootIds = uuidArray(folds.map((f) => f.rootId));
  // Events and identifiers are keyed by (workspace_id, customer_id): each move is a probe of that index.
  const pointed = await executePrepared<{
    id: string;
    events: number;
    purchases: number;
    spend: number;
    first_seen: string | null;
    last_seen: string | null;
    channels: Partial<Record<Channel, number>>;
    traits: Record<string, unknown>;
    name: string | null;
    email: string | null;
    phone: string | null;
  }>(
    db,
    sql`
    with moved_identities as (
      update identities i set customer_id = f.root_id
      from unnest(${mergedIds}, ${rootIds}) as f (merged_id, root_id)
      where i.workspace_id = ${workspaceId} and i.customer_id = f.merged_id
    ), pointed as (
      -- Pointing a profile at its survivor changes none of what this returns.
      update customers c set merged_into = f.survivor_id, updated_at = now()
      from unnest(${mergedIds}, ${uuidArray(folds.map((f) => f.survivorId))}) as f (merged_id, survivor_id)
      where c.workspace_id = ${workspaceId} and c.id = f.merged_id
      returning c.id, c.event_count as events, c.purchase_count as purchases, c.total_spend::float8 as spend,
                c.first_seen_at::text as first_seen, c.last_seen_at::text as last_seen, c.channel_counts as channels,
                c.traits, c.name, c.email, c.phone
    ), carried_consents as (
      ${carryUnsubscribes(workspaceId, mergedIds, rootIds)}
    ), moved_events as (
      update events e set customer_id = f.root_id
      from unnest(${mergedIds}, ${rootIds}) as f (merged_id, root_id)
      where e.workspace_id = ${workspaceId} and e.customer_id = f.merged_id
    )
    select * from pointed`,
  );
  const profiles = new Map<string, FoldedProfile>(
    pointed.rows.map((row) => [
      row.id,
      {
        events: row.events,
        purchases: row.purchases,
        spend: row.spend,
        firstSeen: row.first_seen ? new Date(row.first_seen) : null,
        lastSeen: row.last_seen ? new Date(row.last_seen) : null,
        channels: row.channels,
        traits: row.traits,
        name: row.name,
        email: row.email,
        phone: row.phone,
      },
    ]),
  );
  return {
    // Moving events adds none, so the loop that follows new events would not summarise them again.
    streams: [...new Set(folds.map((f) => f.rootId)), ...folds.map((f) => f.mergedId)],
    roots: rootDeltas(inheritanceOrder(folds), profiles),
  };
}

/**
 * What each root takes from the profiles folded into it, taken in inheritance
 * order: their summaries add up, and of their traits (and name, email, phone)
 * the earlier in that order gives one first; the root's own win over all of
 * them (./summary.ts).
 */
function rootDeltas(order: { rootId: string; mergedId: string }[], profiles: Map<string, FoldedProfile>) {
  const deltas = new Map<string, SummaryDelta & { inherited: Inherited }>();
  for (const { rootId, mergedId } of order) {
    const profile = profiles.get(mergedId);
    if (!profile) continue;
    let delta = deltas.get(rootId);
    if (!delta) {
      delta = { ...emptyDelta(rootId), inherited: { traits: {}, name: null, email: null, phone: null } };
      deltas.set(rootId, delta);
    }
    addProfileSummary(delta, profile);
    const inherited = delta.inherited;
    // Spread, not Object.assign: assignment would turn a "__proto__" trait into the prototype.
    inherited.traits = { ...profile.traits, ...inherited.traits };
    inherited.name ??= profile.name;
    inherited.email ??= profile.email;
    inherited.phone ??= profile.phone;
  }
  return [...deltas.values()];
}

/**
 * The order in which each root inherits from the profiles folded into it: a
 * profile before the ones folded after it, and right after it those folded
 * into it (recursively), as folding them one at a time would give — each
 * survivor's own traits win over what it takes in.
 */
function inheritanceOrder(folds: Fold[]) {
  const merged = new Set(folds.map((f) => f.mergedId));
  const children = new Map<string, string[]>();
  for (const f of folds) {
    // A survivor that is not folded itself here (a new profile, or the root) hangs the profile on its root.
    const parent = merged.has(f.survivorId) ? f.survivorId : f.rootId;
    children.set(parent, [...(children.get(parent) ?? []), f.mergedId]);
  }
  const order: { rootId: string; mergedId: string }[] = [];
  const visit = (rootId: string, id: string) => {
    for (const child of children.get(id) ?? []) {
      order.push({ rootId, mergedId: child });
      visit(rootId, child);
    }
  };
  for (const rootId of new Set(folds.map((f) => f.rootId))) visit(rootId, rootId);
  return order;
}

export interface MergeRecord {
  survivorId: string;
  mergedId: string;
  reason: "shared identifier" | "alias" | "manual";
  identityKind?: IdentityKind;
  identityValue?: string;
  messageId?: string;
  actorUserId?: string;
}

export async function recordMerges(db: DbOrTx, workspaceId: string, records: MergeRecord[]) {
  if (records.length === 0) return [];
  return db
    .insert(identityMerges)
    .values(records.map((record) => ({ workspaceId, ...record })))
    .returning({ id: identityMerges.id });
}

async function activeProfile(db: DbOrTx, workspaceId: string, id: string) {
  const [profile] = await db
    .select({
      id: customers.id,
      mergedInto: customers.mergedInto,
      name: customers.name,
      email: customers.email,
    })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)));
  if (!profile) throw new NotFoundError("No such customer in this workspace.");
  if (profile.mergedInto) throw new RuleError("That profile has already been merged into another one.");
  return profile;
}

/** A person merges two profiles that are the same customer. Returns the merge's id. */
export async function mergeProfiles(
  db: DbOrTx,
  input: { workspaceId: string; survivorId: string; mergedId: string; actorUserId: string },
) {
  if (input.survivorId === input.mergedId) throw new RuleError("Choose two different customers to merge.");
  await lockProfiles(db, input.workspaceId, [input.survivorId, input.mergedId], "for update");
  const survivor = await activeProfile(db, input.workspaceId, input.survivorId);
  const merged = await activeProfile(db, input.workspaceId, input.mergedId);
  const folded = await foldProfiles(db, input.workspaceId, [
    { mergedId: merged.id, survivorId: survivor.id, rootId: survivor.id },
  ]);
  await addToSummaries(db, input.workspaceId, folded.roots);
  const [record] = await recordMerges(db, input.workspaceId, [
    { survivorId: survivor.id, mergedId: merged.id, reason: "manual", actorUserId: input.actorUserId },
  ]);
  await recomputeStreams(db, input.workspaceId, folded.streams);
  return { mergeId: record!.id, survivor, merged };
}

/** The profile a merged profile ended up in (following later merges), or itself. */
export async function resolveProfile(db: DbOrTx, workspaceId: string, id: string) {
  const rows = await db.execute<{ id: string }>(sql`
    with recursive chain as (
      select id, merged_into, 0 as depth from customers where workspace_id = ${workspaceId} and id = ${id}
      union all
      select c.id, c.merged_into, chain.depth + 1 from customers c
      join chain on c.id = chain.merged_into and c.workspace_id = ${workspaceId}
      where chain.depth < 100
    )
    select id from chain where merged_into is null limit 1`);
  return rows.rows[0]?.id;
}

/**
 * Undoes a merge (a split): the merged profile becomes a customer of its own
 * again, with the events and identifiers that first joined it or a profile
 * merged into it. The two are not merged again automatically.
 */
export async function undoMerge(
  db: DbOrTx,
  input: { workspaceId: string; mergeId: number; actorUserId: string },
) {
  const { workspaceId } = input;
  const [merge] = await db
    .select()
    .from(identityMerges)
    .where(and(eq(identityMerges.workspaceId, workspaceId), eq(identityMerges.id, input.mergeId)))
    .for("update");
  if (!merge) throw new NotFoundError("No such merge in this workspace.");
  if (merge.undoneAt) throw new ConflictError("This merge has already been undone.");

  // The history moves back from the profile the survivor ended up in: lock both, then check neither moved meanwhile.
  const formerRoot = (await resolveProfile(db, workspaceId, merge.survivorId)) ?? merge.survivorId;
  await lockProfiles(db, workspaceId, [merge.mergedId, formerRoot], "for update");
  const [merged] = await db
    .select({ mergedInto: customers.mergedInto })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, merge.mergedId)));
  if (merged?.mergedInto !== merge.survivorId) {
    throw new RuleError("This merge can no longer be undone: the profile has been merged or split since.");
  }
  if ((await resolveProfile(db, workspaceId, merge.survivorId)) !== formerRoot) {
    throw new ConflictError("The customer was merged again just now: try the undo again.");
  }

  // The merged profile and every profile merged into it, directly or not.
  const subtree = await db.execute<{ id: string }>(sql`
    with recursive subtree as (
      select id from customers where workspace_id = ${workspaceId} and id = ${merge.mergedId}
      union
      select c.id from customers c join subtree s on c.merged_into = s.id where c.workspace_id = ${workspaceId}
    )
    select id from subtree`);
  const ids = uuidArray(subtree.rows.map((row) => row.id));
  await db.execute(
    sql`update identities set customer_id = ${merge.mergedId} where workspace_id = ${workspaceId} and profile_id = any(${ids})`,
  );
  await db.execute(
    sql`update events set customer_id = ${merge.mergedId} where workspace_id = ${workspaceId} and profile_id = any(${ids})`,
  );
  await db
    .update(customers)
    .set({ mergedInto: null, updatedAt: new Date() })
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, merge.mergedId)));
  // After the profile stands again: streams are kept for standing customers only.
  await recomputeStreams(db, workspaceId, [merge.mergedId, formerRoot]);
  await db
    .update(identityMerges)
    .set({ undoneAt: new Date(), undoneBy: input.actorUserId })
    .where(
      and(
        eq(identityMerges.workspaceId, workspaceId),
        eq(identityMerges.id, merge.id),
        isNull(identityMerges.undoneAt),
      ),
    );
  await recomputeSummaries(db, workspaceId, [merge.mergedId, formerRoot]);
  return { mergedId: merge.mergedId, survivorId: formerRoot };
}

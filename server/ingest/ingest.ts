import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { executePrepared } from "~/db/prepared";
import { applyTraitConsents, traitConsents } from "~/server/consent/ingest";
import { lockProfiles, MAX_WRITE_ATTEMPTS } from "~/server/identity/locks";
import { foldProfiles, type Folded } from "~/server/identity/merge";
import { addEvent, addToSummaries, emptyDelta, type SummaryDelta } from "~/server/identity/summary";
import { leaveStreamsToLoop } from "~/server/segments/streams";
import type { IngestInput, IngestResult } from "./contract";
import { lockAndLoadBatchState, ProfilesBusy } from "./batch-state";
import { normaliseMessage, type NormalizedMessage } from "./messages";
import { planResolution, type ResolutionPlan } from "./resolve";

// Stores a batch of Segment-spec messages: validate, drop repeated messageIds,
// resolve identities, write customers, identifiers, merges and events, and
// update the customers' summaries — in one transaction, so a batch is stored
// whole or not at all. Concurrent batches that reach the same person, through
// the same identifiers or through other identifiers of the same profiles, take
// turns (./batch-state.ts, server/identity/locks.ts); batches about different
// people run side by side.

export async function ingestMessages(db: DbOrTx, input: IngestInput): Promise<IngestResult> {
  const receivedAt = input.receivedAt ?? new Date();
  const rejected: IngestResult["rejected"] = [];
  const valid: NormalizedMessage[] = [];
  const seen = new Set<string>();
  let duplicates = 0;

  input.messages.forEach((raw, index) => {
    const result = normaliseMessage(raw, receivedAt);
    if (!result.ok)
      rejected.push({ index, error: result.error, reason: result.tooLarge ? "too_large" : "invalid" });
    else if (seen.has(result.message.messageId)) duplicates++;
    else {
      seen.add(result.message.messageId);
      valid.push(result.message);
    }
  });
  if (valid.length === 0) return { accepted: 0, duplicates, rejected };

  const stored = await storeWithRetries(db, input, valid, receivedAt);
  return { accepted: stored, duplicates: duplicates + (valid.length - stored), rejected };
}

/** Stores the batch in one transaction, starting it again when it had to give way to a concurrent writer. */
async function storeWithRetries(
  db: DbOrTx,
  input: IngestInput,
  messages: NormalizedMessage[],
  receivedAt: Date,
) {
  let alsoLock: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => storeBatch(tx, input, messages, receivedAt, alsoLock));
    } catch (error) {
      if (!(error instanceof ProfilesBusy) || attempt === MAX_WRITE_ATTEMPTS) throw error;
      alsoLock = error.profiles;
    }
  }
}

async function storeBatch(
  tx: DbOrTx,
  input: IngestInput,
  messages: NormalizedMessage[],
  receivedAt: Date,
  alsoLock: string[],
) {
  const { storedIds, known } = await lockAndLoadBatchState(tx, input.workspaceId, messages, alsoLock);
  const fresh = messages.filter((m) => !storedIds.has(m.messageId));
  if (fresh.length === 0) return 0;
  const plan = planResolution(fresh, known, randomUUID);
  let profiles = newProfileRows(plan);
  const storedMerges = mergesOfStoredProfiles(plan);
  let folded: Folded = { streams: [], roots: [] };
  if (storedMerges.length > 0) {
    // Moving a stored profile's data needs its survivor's row, which may be new.
    if (profiles.length > 0) await insertProfiles(tx, input.workspaceId, profiles);
    profiles = [];
    folded = await mergeStoredProfiles(tx, input.workspaceId, plan, storedMerges);
  }
  const inserted = await writeBatch(tx, input.workspaceId, fresh, plan, profiles, input.source, receivedAt);
  const stored = await updateSummaries(tx, input.workspaceId, fresh, plan, inserted, folded.roots);
  await applyTraitConsents(
    tx,
    input.workspaceId,
    traitConsents(fresh, (i) => plan.resolve(plan.profiles[i]!), inserted),
  );
  // Last: it holds the workspace's streams lock until the batch commits.
  await leaveStreamsToLoop(tx, input.workspaceId, folded.streams);
  return stored;
}

/** Merges in the plan that fold a stored profile into another (rare: most merges fold a profile new in this batch). */
function mergesOfStoredProfiles(plan: ResolutionPlan) {
  const newProfiles = new Set(plan.newProfiles);
  return plan.merges.filter((m) => !newProfiles.has(m.mergedId));
}

/** The batch's new profiles; merged ones point at their survivor. */
function newProfileRows(plan: ResolutionPlan) {
  const directParent = new Map(plan.merges.map((m) => [m.mergedId, m.survivorId]));
  return plan.newProfiles.map((id) => ({ id, merged_into: directParent.get(id) ?? null }));
}

async function insertProfiles(tx: DbOrTx, workspaceId: string, rows: ReturnType<typeof newProfileRows>) {
  await executePrepared(
    tx,
    sql`
    insert into customers (workspace_id, id, merged_into)
    select ${workspaceId}, p.id, p.merged_into from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as p (id uuid, merged_into uuid)`,
  );
}

/**
 * Moves the stored data of merged stored profiles to their survivors (the
 * profiles must all exist); returns what their roots take from them and the
 * customers whose streams to summarise again.
 */
async function mergeStoredProfiles(
  tx: DbOrTx,
  workspaceId: string,
  plan: ResolutionPlan,
  merges: ResolutionPlan["merges"],
) {
  // All in one statement, in id order: an import adding events to them holds them or waits for this lock.
  await lockProfiles(
    tx,
    workspaceId,
    merges.map((m) => m.mergedId),
    "for update",
  );
  // Chains within the batch move each profile's history straight to the profile it ends up in.
  return foldProfiles(
    tx,
    workspaceId,
    merges.map((m) => ({
      mergedId: m.mergedId,
      survivorId: m.survivorId,
      rootId: plan.resolve(m.survivorId),
    })),
  );
}

/**
 * Writes the batch — new profiles (unless written already), the merge history,
 * new identifiers and the events — in one statement: each statement costs a
 * round trip plus parsing and planning, which at 100 events a batch weighed
 * more than the rows. Returns the messageIds stored (a concurrent batch may
 * have stored one of them first).
 */
async function writeBatch(
  tx: DbOrTx,
  workspaceId: string,
  messages: NormalizedMessage[],
  plan: ResolutionPlan,
  profiles: ReturnType<typeof newProfileRows>,
  source: string,
  receivedAt: Date,
) {
  const merges = plan.merges.map((m) => ({
    survivor_id: m.survivorId,
    merged_id: m.mergedId,
    reason: m.reason,
    identity_kind: m.identity.kind,
    identity_value: m.identity.value,
    message_id: m.messageId,
  }));
  const newIdentities = plan.newIdentities.map((i) => ({
    kind: i.kind,
    value: i.value,
    customer_id: plan.resolve(i.profileId),
    profile_id: i.profileId,
    source: `event:${i.messageId}`,
    first_seen_at: i.firstSeenAt.toISOString(),
  }));
  const events = messages.map((m, i) => ({
    customer_id: plan.resolve(plan.profiles[i]!),
    profile_id: plan.profiles[i]!,
    message_id: m.messageId,
    type: m.type,
    event: m.event,
    channel: m.channel,
    user_id: m.userId,
    anonymous_id: m.anonymousId,
    properties: m.properties,
    traits: m.traits,
    context: m.context,
    amount: m.amount,
    timestamp: m.timestamp.toISOString(),
  }));
  // JSON parameters rather than multi-row VALUES lists: binding ~1,700
  // parameters per batch of 100 costs more CPU in Node than the insert itself.
  const inserted = await executePrepared<{ message_id: string }>(
    tx,
    sql`
    with new_profiles as (
      insert into customers (workspace_id, id, merged_into)
      select ${workspaceId}, p.id, p.merged_into
      from jsonb_to_recordset(${JSON.stringify(profiles)}::jsonb) as p (id uuid, merged_into uuid)
    ), merge_history as (
      insert into identity_merges (workspace_id, survivor_id, merged_id, reason, identity_kind, identity_value, message_id)
      select ${workspaceId}, m.survivor_id, m.merged_id, m.reason, m.identity_kind::identity_kind, m.identity_value, m.message_id
      from jsonb_to_recordset(${JSON.stringify(merges)}::jsonb) as m (
        survivor_id uuid, merged_id uuid, reason text, identity_kind text, identity_value text, message_id text)
    ), new_identifiers as (
      insert into identities (workspace_id, kind, value, customer_id, profile_id, source, first_seen_at)
      select ${workspaceId}, i.kind::identity_kind, i.value, i.customer_id, i.profile_id, i.source, i.first_seen_at
      from jsonb_to_recordset(${JSON.stringify(newIdentities)}::jsonb) as i (
        kind text, value text, customer_id uuid, profile_id uuid, source text, first_seen_at timestamptz)
      on conflict do nothing
    )
    insert into events (workspace_id, customer_id, profile_id, message_id, type, event, channel, user_id, anonymous_id,
                        properties, traits, context, amount, timestamp, received_at, source)
    select ${workspaceId}, r.customer_id, r.profile_id, r.message_id, r.type::event_type, r.event, r.channel::channel,
           r.user_id, r.anonymous_id, coalesce(r.properties, '{}'::jsonb), r.traits, coalesce(r.context, '{}'::jsonb),
           r.amount, r.timestamp, ${receivedAt.toISOString()}::timestamptz, ${source}
    from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as r (
      customer_id uuid, profile_id uuid, message_id text, type text, event text, channel text, user_id text,
      anonymous_id text, properties jsonb, traits jsonb, context jsonb, amount numeric, timestamp timestamptz)
    on conflict (workspace_id, message_id) do nothing
    returning message_id`,
  );
  return new Set(inserted.rows.map((row) => row.message_id));
}

/**
 * Adds the stored events to their customers' summaries, with what the
 * customers that stored profiles were folded into take from them; returns how
 * many events were stored.
 */
async function updateSummaries(
  tx: DbOrTx,
  workspaceId: string,
  messages: NormalizedMessage[],
  plan: ResolutionPlan,
  insertedIds: Set<string>,
  foldedInto: SummaryDelta[],
) {
  // A fold moved the stored profiles' events whether or not this batch's own events were all stored.
  const deltas = new Map(foldedInto.map((delta) => [delta.customerId, delta]));
  const deltaOf = (customerId: string) => {
    const delta = deltas.get(customerId) ?? emptyDelta(customerId);
    deltas.set(customerId, delta);
    return delta;
  };
  messages.forEach((m, i) => {
    if (!insertedIds.has(m.messageId)) return;
    const delta = deltaOf(plan.resolve(plan.profiles[i]!));
    addEvent(delta, m);
    // Spread, not Object.assign: assignment would turn a "__proto__" trait into the prototype.
    if (m.type === "identify" && m.traits) delta.traits = { ...delta.traits, ...m.traits };
  });
  await addToSummaries(tx, workspaceId, [...deltas.values()]);
  return insertedIds.size;
}

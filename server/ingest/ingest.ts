import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { customers, identities, type Channel } from "~/db/schema";
import { textArray, uuidArray } from "~/db/sql";
import { moveToSurvivor, recordMerges } from "~/server/identity/merge";
import { addToSummaries, inheritTraits, recomputeSummaries, type SummaryDelta } from "~/server/identity/summary";
import type { IngestInput, IngestResult } from "./contract";
import { normaliseMessage, type Identifier, type NormalizedMessage } from "./messages";
import { identityKey, lookupIdentifiers, planResolution, type KnownState, type ResolutionPlan } from "./resolve";

// Stores a batch of Segment-spec messages: validate, drop repeated messageIds,
// resolve identities, write customers, identifiers, merges and events, and
// update the customers' summaries — in one transaction, so a batch is stored
// whole or not at all. Concurrent batches that touch the same identifiers are
// serialised by advisory locks on those identifiers (taken in a fixed order,
// so two batches cannot deadlock); batches about different people run side by
// side on PostgreSQL.

export async function ingestMessages(db: DbOrTx, input: IngestInput): Promise<IngestResult> {
  const receivedAt = input.receivedAt ?? new Date();
  const rejected: IngestResult["rejected"] = [];
  const valid: NormalizedMessage[] = [];
  const seen = new Set<string>();
  let duplicates = 0;

  input.messages.forEach((raw, index) => {
    const result = normaliseMessage(raw, receivedAt);
    if (!result.ok) rejected.push({ index, error: result.error });
    else if (seen.has(result.message.messageId)) duplicates++;
    else {
      seen.add(result.message.messageId);
      valid.push(result.message);
    }
  });
  if (valid.length === 0) return { accepted: 0, duplicates, rejected };

  const stored = await db.transaction(async (tx) => {
    await lockIdentifiers(tx, input.workspaceId, valid);
    const fresh = await withoutStoredMessages(tx, input.workspaceId, valid);
    if (fresh.length === 0) return 0;
    const plan = planResolution(fresh, await loadKnownState(tx, input.workspaceId, fresh), randomUUID);
    await writePlan(tx, input.workspaceId, plan);
    return writeEvents(tx, input.workspaceId, fresh, plan, input.source, receivedAt);
  });
  return { accepted: stored, duplicates: duplicates + (valid.length - stored), rejected };
}

async function lockIdentifiers(tx: DbOrTx, workspaceId: string, messages: NormalizedMessage[]) {
  const keys = [...new Set(messages.flatMap(lookupIdentifiers).map((i) => `${workspaceId}:${i.value}`))].sort();
  await tx.execute(sql`
    select pg_advisory_xact_lock(h)
    from (select distinct hashtextextended(k, 0) as h from unnest(${textArray(keys)}) as k order by 1) locks`);
}

async function withoutStoredMessages(tx: DbOrTx, workspaceId: string, messages: NormalizedMessage[]) {
  const stored = await tx.execute<{ message_id: string }>(sql`
    select message_id from events
    where workspace_id = ${workspaceId} and message_id = any(${textArray(messages.map((m) => m.messageId))})`);
  const storedIds = new Set(stored.rows.map((row) => row.message_id));
  return messages.filter((m) => !storedIds.has(m.messageId));
}

async function loadKnownState(tx: DbOrTx, workspaceId: string, messages: NormalizedMessage[]): Promise<KnownState> {
  const wanted = dedupeIdentifiers(messages.flatMap(lookupIdentifiers));
  const found = await tx.execute<{ kind: Identifier["kind"]; value: string; customer_id: string }>(sql`
    select i.kind, i.value, i.customer_id
    from identities i
    join unnest(${textArray(wanted.map((w) => w.kind))}, ${textArray(wanted.map((w) => w.value))}) as w (kind, value)
      on i.kind::text = w.kind and i.value = w.value
    where i.workspace_id = ${workspaceId}`);
  const known: KnownState = { identities: new Map(), userIds: new Map(), splitPairs: new Set() };
  for (const row of found.rows) known.identities.set(identityKey(row.kind, row.value), row.customer_id);

  const profiles = [...new Set(found.rows.map((row) => row.customer_id))];
  if (profiles.length > 0) {
    const ids = uuidArray(profiles);
    const userIds = await tx.execute<{ customer_id: string; value: string }>(sql`
      select customer_id, value from identities
      where workspace_id = ${workspaceId} and kind = 'user_id' and customer_id = any(${ids})`);
    for (const row of userIds.rows) {
      const set = known.userIds.get(row.customer_id) ?? new Set<string>();
      set.add(row.value);
      known.userIds.set(row.customer_id, set);
    }
    const splits = await tx.execute<{ survivor_id: string; merged_id: string }>(sql`
      select survivor_id, merged_id from identity_merges
      where workspace_id = ${workspaceId} and undone_at is not null
        and (survivor_id = any(${ids}) or merged_id = any(${ids}))`);
    for (const row of splits.rows) known.splitPairs.add(`${row.survivor_id}|${row.merged_id}`);
  }
  return known;
}

function dedupeIdentifiers(list: Identifier[]) {
  const map = new Map(list.map((i) => [identityKey(i.kind, i.value), i]));
  return [...map.values()];
}

/** New profiles, merges of existing ones, and new identifiers. */
async function writePlan(tx: DbOrTx, workspaceId: string, plan: ResolutionPlan) {
  const directParent = new Map(plan.merges.map((m) => [m.mergedId, m.survivorId]));
  if (plan.newProfiles.length > 0) {
    await tx.insert(customers).values(
      plan.newProfiles.map((id) => ({ workspaceId, id, mergedInto: directParent.get(id) ?? null })),
    );
  }

  const newProfiles = new Set(plan.newProfiles);
  const mergedExisting = plan.merges.filter((m) => !newProfiles.has(m.mergedId));
  const bySurvivor = new Map<string, string[]>();
  for (const merge of mergedExisting) {
    const root = plan.resolve(merge.survivorId);
    bySurvivor.set(root, [...(bySurvivor.get(root) ?? []), merge.mergedId]);
  }
  for (const [root, merged] of bySurvivor) await moveToSurvivor(tx, workspaceId, root, merged);
  for (const merge of mergedExisting) {
    await tx.execute(sql`
      update customers set merged_into = ${merge.survivorId}, updated_at = now()
      where workspace_id = ${workspaceId} and id = ${merge.mergedId}`);
    await inheritTraits(tx, workspaceId, plan.resolve(merge.survivorId), merge.mergedId);
  }
  await recordMerges(
    tx,
    workspaceId,
    plan.merges.map((m) => ({
      survivorId: m.survivorId,
      mergedId: m.mergedId,
      reason: m.reason,
      identityKind: m.identity.kind,
      identityValue: m.identity.value,
      messageId: m.messageId,
    })),
  );

  if (plan.newIdentities.length > 0) {
    await tx
      .insert(identities)
      .values(
        plan.newIdentities.map((i) => ({
          workspaceId,
          kind: i.kind,
          value: i.value,
          customerId: plan.resolve(i.profileId),
          profileId: i.profileId,
          source: `event:${i.messageId}`,
          firstSeenAt: i.firstSeenAt,
        })),
      )
      .onConflictDoNothing();
  }
}

/** Inserts the events and updates the summaries of their customers; returns how many were stored. */
async function writeEvents(
  tx: DbOrTx,
  workspaceId: string,
  messages: NormalizedMessage[],
  plan: ResolutionPlan,
  source: string,
  receivedAt: Date,
) {
  const rows = messages.map((m, i) => ({
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
  // One JSON parameter rather than a multi-row VALUES list: binding ~1,700
  // parameters per batch of 100 cost more CPU in Node than the insert itself.
  const inserted = await tx.execute<{ message_id: string }>(sql`
    insert into events (workspace_id, customer_id, profile_id, message_id, type, event, channel, user_id, anonymous_id,
                        properties, traits, context, amount, timestamp, received_at, source)
    select ${workspaceId}, r.customer_id, r.profile_id, r.message_id, r.type::event_type, r.event, r.channel::channel,
           r.user_id, r.anonymous_id, coalesce(r.properties, '{}'::jsonb), r.traits, coalesce(r.context, '{}'::jsonb),
           r.amount, r.timestamp, ${receivedAt.toISOString()}::timestamptz, ${source}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (
      customer_id uuid, profile_id uuid, message_id text, type text, event text, channel text, user_id text,
      anonymous_id text, properties jsonb, traits jsonb, context jsonb, amount numeric, timestamp timestamptz)
    on conflict (workspace_id, message_id) do nothing
    returning message_id`);
  const insertedIds = new Set(inserted.rows.map((row) => row.message_id));
  const customerOf = rows.map((row) => row.customer_id);

  // Profiles that took part in a merge of stored data are recomputed whole; the rest add the new events.
  const newProfiles = new Set(plan.newProfiles);
  const recompute = new Set(plan.merges.filter((m) => !newProfiles.has(m.mergedId)).map((m) => plan.resolve(m.survivorId)));
  const deltas = new Map<string, SummaryDelta>();
  messages.forEach((m, i) => {
    if (!insertedIds.has(m.messageId)) return;
    const customerId = customerOf[i]!;
    const delta = deltas.get(customerId) ?? emptyDelta(customerId, m.timestamp);
    if (!recompute.has(customerId)) {
      delta.events++;
      delta.channels[m.channel] = (delta.channels[m.channel] ?? 0) + 1;
      if (m.type === "track" && m.amount !== null) {
        delta.purchases++;
        delta.spend += m.amount;
      }
      if (m.timestamp < delta.firstSeen) delta.firstSeen = m.timestamp;
      if (m.timestamp > delta.lastSeen) delta.lastSeen = m.timestamp;
    }
    if (m.type === "identify" && m.traits) Object.assign(delta.traits, m.traits);
    deltas.set(customerId, delta);
  });
  await addToSummaries(tx, workspaceId, [...deltas.values()]);
  await recomputeSummaries(tx, workspaceId, [...recompute]);
  return inserted.rows.length;
}

function emptyDelta(customerId: string, at: Date): SummaryDelta {
  return {
    customerId,
    events: 0,
    purchases: 0,
    spend: 0,
    firstSeen: at,
    lastSeen: at,
    channels: {} as Partial<Record<Channel, number>>,
    traits: {},
  };
}

import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { textArray, uuidArray } from "~/db/sql";
import type { Channel } from "~/db/schema";
import { addToSummaries, recomputeSummaries, type SummaryDelta } from "~/server/identity/summary";
import { identifierLockKey } from "~/server/ingest/ingest";
import type { NormalizedMessage } from "~/server/ingest/messages";

// Events imports load history in bulk, through the same identity rules as the
// tracking API but with less work per row, because every row names its
// customer by one user id and nothing else:
//
// - The chunk's user ids are looked up at once; those not known yet get a new
//   profile, created under the same identifier locks that the tracking API
//   takes, a few hundred at a time (a lock per identifier, and the server's
//   lock table is finite), before the chunk's events are written.
// - The events go in with one statement per chunk; a repeated messageId is
//   skipped, so importing a file again stores nothing twice.
// - Customer summaries (counts, spend, first and last seen, channel mix) are
//   brought up to date once per customer when every chunk is in, not once per
//   chunk: a year of history touches most customers in every chunk, and each
//   update rewrites the customer's row and its indexes. An import that ran
//   from start to end in one go adds what it counted in memory; one that was
//   interrupted, met rows stored before, or whose customers merged or split
//   meanwhile, recomputes the summaries from the events.

/** New profiles created per transaction: each holds one advisory lock per user id. */
export const NEW_PROFILES_PER_TRANSACTION = 500;
/** Customers whose summaries are recomputed per transaction in the last phase. */
export const SUMMARY_BATCH = 1000;

/** Whether a chunk can take the bulk path: only track/page/screen rows that carry a user id and nothing else. */
export function bulkEligible(messages: NormalizedMessage[]) {
  return messages.every(
    (m) =>
      m.identifiers.length === 1 &&
      m.identifiers[0]!.kind === "user_id" &&
      m.previousId === null &&
      m.traits === null &&
      (m.type === "track" || m.type === "page" || m.type === "screen"),
  );
}

/**
 * The customer of each user id, creating profiles for the new ones. Committed
 * before the chunk's events: a crash between leaves profiles that the resumed
 * import fills, and an import never holds more than a few hundred locks.
 */
export async function resolveUserIds(db: Database, workspaceId: string, messages: NormalizedMessage[]) {
  const firstSeen = new Map<string, NormalizedMessage>();
  for (const m of messages) if (!firstSeen.has(m.userId!)) firstSeen.set(m.userId!, m);
  const customers = await lookUpUserIds(db, workspaceId, [...firstSeen.keys()]);
  const missing = [...firstSeen.keys()].filter((id) => !customers.has(id)).sort();
  for (let i = 0; i < missing.length; i += NEW_PROFILES_PER_TRANSACTION) {
    const group = missing.slice(i, i + NEW_PROFILES_PER_TRANSACTION);
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        select pg_advisory_xact_lock(h)
        from (select distinct hashtextextended(k, 0) as h from unnest(${textArray(group.map((id) => identifierLockKey(workspaceId, id)))}) as k order by 1) locks`);
      // Another import or the tracking API may have created some meanwhile.
      const found = await lookUpUserIds(tx, workspaceId, group);
      for (const [userId, customerId] of found) customers.set(userId, customerId);
      const rows = group
        .filter((userId) => !found.has(userId))
        .map((userId) => {
          const first = firstSeen.get(userId)!;
          return {
            id: randomUUID(),
            user_id: userId,
            message_id: first.messageId,
            at: first.timestamp.toISOString(),
          };
        });
      if (rows.length === 0) return;
      await tx.execute(sql`
        with profiles as (
          select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as p (id uuid, user_id text, message_id text, at timestamptz)
        ), new_profiles as (
          insert into customers (workspace_id, id) select ${workspaceId}, id from profiles
        )
        insert into identities (workspace_id, kind, value, customer_id, profile_id, source, first_seen_at)
        select ${workspaceId}, 'user_id', user_id, id, id, 'event:' || message_id, at from profiles`);
      for (const row of rows) customers.set(row.user_id, row.id);
    });
  }
  return customers;
}

async function lookUpUserIds(db: DbOrTx, workspaceId: string, userIds: string[]) {
  const result = await db.execute<{ value: string; customer_id: string }>(sql`
    select value, customer_id from identities
    where workspace_id = ${workspaceId} and kind = 'user_id' and value = any(${textArray(userIds)})`);
  return new Map(result.rows.map((row) => [row.value, row.customer_id]));
}

/** Writes a chunk's events for their resolved customers; returns how many were new. */
export async function insertImportedEvents(
  tx: DbOrTx,
  input: {
    workspaceId: string;
    messages: NormalizedMessage[];
    customers: Map<string, string>;
    source: string;
    receivedAt: Date;
  },
) {
  const events = input.messages.map((m) => {
    const customerId = input.customers.get(m.userId!)!;
    return {
      customer_id: customerId,
      message_id: m.messageId,
      type: m.type,
      event: m.event,
      channel: m.channel,
      user_id: m.userId,
      properties: m.properties,
      context: m.context,
      amount: m.amount,
      timestamp: m.timestamp.toISOString(),
    };
  });
  const result = await tx.execute(sql`
    insert into events (workspace_id, customer_id, profile_id, message_id, type, event, channel, user_id,
                        properties, context, amount, timestamp, received_at, source)
    select ${input.workspaceId}, r.customer_id, r.customer_id, r.message_id, r.type::event_type, r.event, r.channel::channel,
           r.user_id, coalesce(r.properties, '{}'::jsonb), coalesce(r.context, '{}'::jsonb), r.amount, r.timestamp,
           ${input.receivedAt.toISOString()}::timestamptz, ${input.source}
    from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as r (
      customer_id uuid, message_id text, type text, event text, channel text, user_id text,
      properties jsonb, context jsonb, amount numeric, timestamp timestamptz)
    on conflict (workspace_id, message_id) do nothing`);
  return result.rowCount ?? 0;
}

/** The customers that an import's events belong to now (merges followed), in id order, after `afterId`. */
export async function importedCustomers(
  db: DbOrTx,
  input: { workspaceId: string; source: string; afterId?: string },
) {
  const result = await db.execute<{ customer_id: string }>(sql`
    select distinct customer_id from events
    where workspace_id = ${input.workspaceId} and source = ${input.source}
      and customer_id > ${input.afterId ?? "00000000-0000-0000-0000-000000000000"}::uuid
    order by customer_id`);
  return result.rows.map((row) => row.customer_id);
}

/**
 * Recomputes these customers' summaries from all their events. Their rows are
 * locked first, in id order as the tracking API locks them, so that an event
 * arriving meanwhile waits and then adds to the recomputed figures.
 */
export async function recomputeImportedSummaries(tx: DbOrTx, workspaceId: string, customerIds: string[]) {
  await tx.execute(sql`
    select 1 from customers where workspace_id = ${workspaceId} and id = any(${uuidArray(customerIds)})
    order by id for update`);
  await recomputeSummaries(tx, workspaceId, customerIds);
}

/** Past this many customers an import stops counting in memory and recomputes summaries from the events. */
export const MAX_COUNTED_CUSTOMERS = 1_000_000;

/**
 * What an import added to each customer's summary, counted as its chunks are
 * stored. `complete` turns false when the counts may miss something; the
 * import then recomputes every summary from the events instead.
 */
export class ImportedSummaryCounts {
  private readonly deltas = new Map<string, SummaryDelta>();
  constructor(public complete: boolean) {}

  /** Counts a chunk whose every message was stored, for the customers they were stored for. */
  add(messages: NormalizedMessage[], customers: Map<string, string>) {
    if (!this.complete) return;
    for (const m of messages) {
      const customerId = customers.get(m.userId!)!;
      let delta = this.deltas.get(customerId);
      if (!delta) {
        delta = {
          customerId,
          events: 0,
          purchases: 0,
          spend: 0,
          firstSeen: m.timestamp,
          lastSeen: m.timestamp,
          channels: {},
          traits: {},
        };
        this.deltas.set(customerId, delta);
      }
      delta.events++;
      delta.channels[m.channel as Channel] = (delta.channels[m.channel as Channel] ?? 0) + 1;
      if (m.type === "track" && m.amount !== null) {
        delta.purchases++;
        delta.spend = Math.round((delta.spend + m.amount) * 100) / 100;
      }
      if (m.timestamp < delta.firstSeen) delta.firstSeen = m.timestamp;
      if (m.timestamp > delta.lastSeen) delta.lastSeen = m.timestamp;
    }
    if (this.deltas.size > MAX_COUNTED_CUSTOMERS) this.giveUp();
  }

  giveUp() {
    this.complete = false;
    this.deltas.clear();
  }

  /** The counted customers in id order, the order summaries are written in. */
  customers() {
    return [...this.deltas.keys()].sort();
  }

  of(customerIds: string[]) {
    return customerIds.map((id) => this.deltas.get(id)!);
  }
}

/**
 * Adds a batch's counts to the summaries of its customers. A customer that a
 * merge or a split touched since `since` had its summary recomputed meanwhile
 * (counting some imported events already) or its events moved: it is
 * recomputed instead. The rows are locked first, so a merge that commits
 * after this check recomputes after these counts are in. Returns the customers
 * that such moved events belong to now, outside this batch, to recompute too.
 */
export async function addCountedSummaries(
  tx: DbOrTx,
  input: { workspaceId: string; since: string; customerIds: string[]; counts: ImportedSummaryCounts },
) {
  const { workspaceId, customerIds } = input;
  const ids = uuidArray(customerIds);
  await tx.execute(sql`
    select 1 from customers where workspace_id = ${workspaceId} and id = any(${ids}) order by id for update`);
  const { since } = input;
  const touched = await tx.execute<{ id: string }>(sql`
    with touched as (
      select t.id from identity_merges m, lateral (values (m.survivor_id), (m.merged_id)) as t (id)
      where m.workspace_id = ${workspaceId}
        and (m.created_at >= ${since}::timestamptz or m.undone_at >= ${since}::timestamptz)
        and t.id = any(${ids})
    )
    select id from touched
    union
    select e.customer_id from events e where e.workspace_id = ${workspaceId} and e.profile_id in (select id from touched)`);
  const moved = new Set(touched.rows.map((row) => row.id));
  const inBatch = new Set(customerIds);
  const counted = customerIds.filter((id) => !moved.has(id));
  if (counted.length > 0) await addToSummaries(tx, workspaceId, input.counts.of(counted));
  const again = [...moved].filter((id) => inBatch.has(id));
  if (again.length > 0) await recomputeSummaries(tx, workspaceId, again);
  return [...moved].filter((id) => !inBatch.has(id));
}

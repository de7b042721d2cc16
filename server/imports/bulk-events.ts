import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { textArray, uuidArray } from "~/db/sql";
import { lockedProfilesQuery, MAX_WRITE_ATTEMPTS, takeIdentifierLocks } from "~/server/identity/locks";
import type { NormalizedMessage } from "~/server/ingest/messages";

// Events imports load history in bulk, through the same identity rules as the
// tracking API but with less work per row, because every row names its
// customer by one user id and nothing else:
//
// - The chunk's user ids are looked up at once; those not known yet get a new
//   profile, created under the same identifier locks that the tracking API
//   takes, a few hundred at a time (a lock per identifier, and the server's
//   lock table is finite), before the chunk's events are written.
// - The events go in with one statement per chunk, which holds their customers
//   so that no merge moves a customer's history meanwhile; a customer merged
//   away after the chunk was resolved leaves its events to its survivor. A
//   repeated messageId is skipped, so importing a file again stores nothing twice.
// - Customer summaries wait for the import's last phase (./import-summaries.ts).

/** New profiles created per transaction: each holds one advisory lock per user id. */
export const NEW_PROFILES_PER_TRANSACTION = 500;

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
      await tx.execute(sql`select ${takeIdentifierLocks(workspaceId, group)}`);
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

interface ImportedChunk {
  workspaceId: string;
  messages: NormalizedMessage[];
  /** The customer of each user id, as resolved for the chunk. */
  customers: Map<string, string>;
  source: string;
  receivedAt: Date;
}

/** Customers of a chunk that were merged into other profiles after the chunk was resolved. */
class CustomersMergedAway extends Error {
  name = "CustomersMergedAway";
  constructor(readonly customerIds: string[]) {
    super("Customers of the chunk were merged into other profiles meanwhile.");
  }
}

/**
 * Writes a chunk's events for their resolved customers; returns how many were
 * new. A customer merged away since the chunk was resolved leaves its events
 * to the profile its user id has now: the attempt is rolled back, releasing
 * its locks, and made again with those customers, so that each attempt takes
 * its locks in one sweep.
 */
export async function insertImportedEvents(tx: DbOrTx, chunk: ImportedChunk) {
  const current = new Map(chunk.customers);
  for (let attempt = 1; ; attempt++) {
    try {
      return await tx.transaction((savepoint) => insertForStandingCustomers(savepoint, chunk, current));
    } catch (error) {
      if (!(error instanceof CustomersMergedAway) || attempt === MAX_WRITE_ATTEMPTS) throw error;
      const mergedAway = new Set(error.customerIds);
      const moved = [...current]
        .filter(([, customerId]) => mergedAway.has(customerId))
        .map(([userId]) => userId);
      for (const [userId, customerId] of await lookUpUserIds(tx, chunk.workspaceId, moved)) {
        current.set(userId, customerId);
      }
    }
  }
}

/**
 * One statement: the customers' rows locked FOR KEY SHARE, which a merge waits
 * for (server/identity/locks.ts), then the events of the standing ones
 * inserted; CustomersMergedAway if any was merged. An event's first profile is
 * the one its user id had when the chunk was resolved, as if it had been
 * stored before the merge, so that undoing the merge sends it back there.
 */
async function insertForStandingCustomers(tx: DbOrTx, chunk: ImportedChunk, current: Map<string, string>) {
  const events = chunk.messages.map((m) => ({
    customer_id: current.get(m.userId!)!,
    profile_id: chunk.customers.get(m.userId!)!,
    message_id: m.messageId,
    type: m.type,
    event: m.event,
    channel: m.channel,
    user_id: m.userId,
    properties: m.properties,
    context: m.context,
    amount: m.amount,
    timestamp: m.timestamp.toISOString(),
  }));
  const customerIds = [...new Set(current.values())];
  const [outcome] = (
    await tx.execute<{ inserted: number; merged_away: string[] }>(sql`
      with standing as (
        ${lockedProfilesQuery(chunk.workspaceId, uuidArray(customerIds), "for key share", {
          where: sql`c.merged_into is null`,
        })}
      ), inserted as (
        insert into events (workspace_id, customer_id, profile_id, message_id, type, event, channel, user_id,
                            properties, context, amount, timestamp, received_at, source)
        select ${chunk.workspaceId}, r.customer_id, r.profile_id, r.message_id, r.type::event_type, r.event,
               r.channel::channel, r.user_id, coalesce(r.properties, '{}'::jsonb), coalesce(r.context, '{}'::jsonb),
               r.amount, r.timestamp, ${chunk.receivedAt.toISOString()}::timestamptz, ${chunk.source}
        from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as r (
          customer_id uuid, profile_id uuid, message_id text, type text, event text, channel text, user_id text,
          properties jsonb, context jsonb, amount numeric, timestamp timestamptz)
        where r.customer_id in (select id from standing)
        on conflict (workspace_id, message_id) do nothing
        returning 1
      )
      select (select count(*) from inserted)::int as inserted,
             array(select unnest(${uuidArray(customerIds)}) except select id from standing)::text[] as merged_away`)
  ).rows;
  if (outcome!.merged_away.length > 0) throw new CustomersMergedAway(outcome!.merged_away);
  return outcome!.inserted;
}

/**
 * An import step's commit need not wait for its WAL to reach the disk: its
 * checkpoint commits with it, so a crash that loses the last commits resumes
 * the import before them.
 */
export async function commitWithoutWaiting(tx: DbOrTx) {
  await tx.execute(sql`set local synchronous_commit = off`);
}

import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { textArray } from "~/db/sql";
import { takeIdentifierLocks } from "~/server/identity/locks";
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

/**
 * An import step's commit need not wait for its WAL to reach the disk: its
 * checkpoint commits with it, so a crash that loses the last commits resumes
 * the import before them.
 */
export async function commitWithoutWaiting(tx: DbOrTx) {
  await tx.execute(sql`set local synchronous_commit = off`);
}

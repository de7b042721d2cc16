import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { uuidArray } from "~/db/sql";

// Reading a workspace's events after a cursor on events.id, as the loops that
// follow new events do (./live.ts for segment membership, ./streams.ts for the
// customer streams).

export const EVENT_SETTLE_MS = 10_000;
export const EVENTS_PER_TURN = 5_000;

/**
 * The customers of the events after `afterId` (and up to `upToId`, at most `limit` events) that
 * have settled for `settleMs`, with the profiles merged into them, and the id
 * to move the cursor to (undefined: nothing settled). Ids are handed out
 * before commit, so a slow transaction can commit a lower id after a higher
 * one; waiting for events to settle lets it land behind the cursor rather than
 * be skipped.
 */
export async function settledEventsAfter(
  db: DbOrTx,
  input: { workspaceId: string; afterId: number; upToId?: number; settleMs?: number; limit?: number },
) {
  const settle = `${Math.max(0, input.settleMs ?? EVENT_SETTLE_MS)} milliseconds`;
  const result = await db.execute<{ id: string; customer_id: string; settled: boolean }>(sql`
    select e.id::text, e.customer_id, e.received_at <= now() - ${settle}::interval as settled
    from events e where e.workspace_id = ${input.workspaceId}::uuid and e.id > ${input.afterId}::bigint
      ${input.upToId === undefined ? sql`` : sql`and e.id <= ${input.upToId}::bigint`}
    order by e.id limit ${input.limit ?? EVENTS_PER_TURN}::int`);
  const firstUnsettled = result.rows.findIndex((row) => !row.settled);
  const rows = firstUnsettled === -1 ? result.rows : result.rows.slice(0, firstUnsettled);
  if (rows.length === 0) return { events: 0, customerIds: [] as string[], lastId: undefined };
  const touched = [...new Set(rows.map((row) => row.customer_id))];
  // A merge moves the merged profile's events to the survivor: the merged one leaves.
  const merged = await db.execute<{ id: string }>(sql`
    select c.id from customers c where c.workspace_id = ${input.workspaceId}::uuid and c.merged_into = any(${uuidArray(touched)})`);
  return {
    events: rows.length,
    customerIds: [...touched, ...merged.rows.map((row) => row.id)],
    lastId: Number(rows[rows.length - 1]!.id),
  };
}

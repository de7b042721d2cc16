import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";

// Reading a workspace's events after a cursor on events.id, as the loops that
// follow new events do (./live.ts for segment membership, ./streams.ts for the
// customer streams).

export const EVENT_SETTLE_MS = 10_000;
/**
 * Events a loop takes in one step. Both loops summarise or evaluate each
 * customer of the step again from all their events, so a step's cost follows
 * its customers, not its events: a large step takes a customer whose events
 * are spread over a long backlog (an import in file order) once rather than
 * once per slice of it.
 */
export const EVENTS_PER_STEP = 100_000;

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
  const [step] = (
    await db.execute<{ events: number; last_id: string | null; customer_ids: string[] }>(sql`
      with next as (
        select e.id, e.customer_id, e.received_at <= now() - ${settle}::interval as settled
        from events e where e.workspace_id = ${input.workspaceId}::uuid and e.id > ${input.afterId}::bigint
          ${input.upToId === undefined ? sql`` : sql`and e.id <= ${input.upToId}::bigint`}
        order by e.id limit ${input.limit ?? EVENTS_PER_STEP}::int
      ), settled as (
        select id, customer_id from next
        where id < coalesce((select min(id) from next where not settled), 9223372036854775807)
      ), touched as (select distinct customer_id as id from settled)
      select (select count(*)::int from settled) as events,
        (select max(id)::text from settled) as last_id,
        array(
          select id::text from touched
          -- A merge moves the merged profile's events to the survivor: the merged one leaves.
          union select c.id::text from customers c join touched t on c.merged_into = t.id
          where c.workspace_id = ${input.workspaceId}::uuid
        ) as customer_ids`)
  ).rows;
  if (!step?.last_id) return { events: 0, customerIds: [] as string[], lastId: undefined };
  return { events: step.events, customerIds: step.customer_ids, lastId: Number(step.last_id) };
}

import { and, eq, lte, ne, sql } from "drizzle-orm";
import type { Database } from "~/db";
import { segmentEventCursors, segments } from "~/db/schema";
import { uuidArray } from "~/db/sql";
import { refreshCustomers } from "./membership";
import { nextRefreshAt, queueRefresh } from "./store";

// Keeping membership current without rescanning workspaces:
//
// - New events: each workspace has a cursor on events.id. A loop beside the job
//   runner reads the events after it, re-evaluates every refreshed segment for
//   just those events' customers (and profiles merged into them, which leave),
//   and moves the cursor on. Ingestion is untouched, and the cursor is in the
//   database, so nothing is lost over a restart. Events younger than
//   `settleMs` wait for the next turn: ids are handed out before commit, so a
//   slow transaction can commit a lower id after a higher one; waiting lets it
//   land behind the cursor rather than be skipped.
// - Schedules: segments whose next refresh is due get a full refresh job, which
//   also catches what only time changes ("in the last 30 days").

export const SEGMENT_LOOP_INTERVAL_MS = 5_000;
export const EVENT_SETTLE_MS = 10_000;
const EVENTS_PER_TURN = 5_000;

/**
 * Applies one workspace's events after its cursor (at most `limit`), settled
 * for `settleMs`. Returns how many events it took and the segment changes.
 */
export async function applyNewEvents(
  db: Database,
  input: { workspaceId: string; settleMs?: number; limit?: number; now?: Date },
) {
  const { workspaceId } = input;
  const [cursor] = await db
    .select({ lastEventId: segmentEventCursors.lastEventId })
    .from(segmentEventCursors)
    .where(eq(segmentEventCursors.workspaceId, workspaceId));
  if (!cursor) return { events: 0, changes: [] };
  const settle = `${Math.max(0, input.settleMs ?? EVENT_SETTLE_MS)} milliseconds`;
  const result = await db.execute<{ id: string; customer_id: string; settled: boolean }>(sql`
    select e.id::text, e.customer_id, e.received_at <= now() - ${settle}::interval as settled
    from events e where e.workspace_id = ${workspaceId}::uuid and e.id > ${cursor.lastEventId}::bigint
    order by e.id limit ${input.limit ?? EVENTS_PER_TURN}::int`);
  const firstUnsettled = result.rows.findIndex((row) => !row.settled);
  const rows = firstUnsettled === -1 ? result.rows : result.rows.slice(0, firstUnsettled);
  if (rows.length === 0) return { events: 0, changes: [] };
  const touched = [...new Set(rows.map((row) => row.customer_id))];
  const merged = await db.execute<{ id: string }>(sql`
    select c.id from customers c where c.workspace_id = ${workspaceId}::uuid and c.merged_into = any(${uuidArray(touched)})`);
  const changes = await refreshCustomers(db, {
    workspaceId,
    customerIds: [...touched, ...merged.rows.map((row) => row.id)],
    now: input.now,
    cause: "events",
  });
  await db
    .update(segmentEventCursors)
    .set({ lastEventId: Number(rows[rows.length - 1]!.id), updatedAt: sql`now()` })
    .where(eq(segmentEventCursors.workspaceId, workspaceId));
  return { events: rows.length, changes };
}

/** Queues a full refresh for every segment whose scheduled time has come, and moves its next time on. */
export async function queueDueRefreshes(db: Database, now = new Date()) {
  const due = await db
    .select({ workspaceId: segments.workspaceId, id: segments.id, schedule: segments.schedule })
    .from(segments)
    .where(and(ne(segments.schedule, "off"), lte(segments.nextRefreshAt, now)));
  let queued = 0;
  for (const segment of due) {
    await db.transaction(async (tx) => {
      const moved = await tx
        .update(segments)
        .set({ nextRefreshAt: nextRefreshAt(segment.schedule, now) })
        .where(
          and(
            eq(segments.workspaceId, segment.workspaceId),
            eq(segments.id, segment.id),
            lte(segments.nextRefreshAt, now),
          ),
        )
        .returning({ id: segments.id });
      if (moved.length === 0) return; // another process took it
      await queueRefresh(tx, {
        workspaceId: segment.workspaceId,
        segmentId: segment.id,
        cause: "schedule",
        userId: null,
      });
      queued++;
    });
  }
  return queued;
}

/** One turn of the loop: due schedules, then every workspace's new events. */
export async function segmentLoopTurn(db: Database, options: { settleMs?: number } = {}) {
  const queued = await queueDueRefreshes(db);
  const cursors = await db.select({ workspaceId: segmentEventCursors.workspaceId }).from(segmentEventCursors);
  for (const { workspaceId } of cursors) {
    // Catch up in slices, so one busy workspace cannot hold the others back for long.
    for (let slice = 0; slice < 20; slice++) {
      const { events } = await applyNewEvents(db, { workspaceId, settleMs: options.settleMs });
      if (events < EVENTS_PER_TURN) break;
    }
  }
  return { queued };
}

/** Runs the loop every `intervalMs` beside the job runner; returns a function that stops it. */
export function startSegmentLoop(options: { db: Database; intervalMs?: number; onQueued?: () => void }) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { queued } = await segmentLoopTurn(options.db);
      if (queued > 0) options.onQueued?.();
    } catch (error) {
      console.error("[segments] could not bring membership up to date:", (error as Error).message);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? SEGMENT_LOOP_INTERVAL_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}

import "server-only";
import { and, eq, lte, ne, sql } from "drizzle-orm";
import type { Database } from "~/db";
import { jobs, segmentEventCursors, segments, workspaces } from "~/db/schema";
import { IMPORT_JOB_KIND } from "~/server/imports/job-kind";
import { refreshCustomers } from "./membership";
import { EVENTS_PER_STEP, settledEventsAfter } from "./new-events";
import { nextRefreshAt, queueRefresh } from "./store";
import { streamsCursor, syncStreams } from "./streams";

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
// - The customer streams that counts read (./streams.ts) are brought up to
//   date first, with a cursor of their own, for every workspace.
// - Schedules: segments whose next refresh is due get a full refresh job, which
//   also catches what only time changes ("in the last 30 days").

export const SEGMENT_LOOP_INTERVAL_MS = 5_000;

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
  const { events, customerIds, lastId } = await settledEventsAfter(db, {
    workspaceId,
    afterId: cursor.lastEventId,
    // Not past the customer streams: a full refresh that reads them must not undo what this applies.
    upToId: await streamsCursor(db, workspaceId),
    settleMs: input.settleMs,
    limit: input.limit,
  });
  if (lastId === undefined) return { events: 0, changes: [] };
  const changes = await refreshCustomers(db, { workspaceId, customerIds, now: input.now, cause: "events" });
  await db
    .update(segmentEventCursors)
    .set({ lastEventId: lastId, updatedAt: sql`now()` })
    .where(eq(segmentEventCursors.workspaceId, workspaceId));
  return { events, changes };
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

/**
 * One turn of the loop: due schedules, then every workspace's new events.
 * A workspace with an import running waits until it is done: the import adds
 * a customer's events all through its file, and following them as they came
 * would summarise each customer again many times; afterwards one pass takes
 * each once (and the import queues a full refresh of its segments).
 */
export async function segmentLoopTurn(db: Database, options: { settleMs?: number } = {}) {
  const queued = await queueDueRefreshes(db);
  const { settleMs } = options;
  const importing = await workspacesImporting(db);
  // The customer streams first: full refreshes and live counts read them.
  for (const { id } of await db.select({ id: workspaces.id }).from(workspaces)) {
    if (importing.has(id)) continue;
    await inSlices(() => syncStreams(db, { workspaceId: id, settleMs }));
  }
  for (const { workspaceId } of await db
    .select({ workspaceId: segmentEventCursors.workspaceId })
    .from(segmentEventCursors)) {
    if (importing.has(workspaceId)) continue;
    await inSlices(() => applyNewEvents(db, { workspaceId, settleMs }));
  }
  return { queued, deferred: importing.size };
}

/** Workspaces where an import is adding events now. */
async function workspacesImporting(db: Database) {
  const rows = await db
    .selectDistinct({ workspaceId: jobs.workspaceId })
    .from(jobs)
    .where(and(eq(jobs.kind, IMPORT_JOB_KIND), eq(jobs.status, "running")));
  return new Set(rows.map((row) => row.workspaceId));
}

/** Catches up in slices of events, so that one busy workspace cannot hold the others back for long. */
async function inSlices(step: () => Promise<{ events: number }>) {
  for (let slice = 0; slice < 20; slice++) {
    const { events } = await step();
    if (events < EVENTS_PER_STEP) break;
  }
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

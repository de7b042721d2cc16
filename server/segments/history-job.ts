import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { jobs, segments } from "~/db/schema";
import { enqueueJob } from "~/server/jobs/jobs";
import { registerJobHandler, type JobContext, type JobHandler } from "~/server/jobs/runner";
import { NotFoundError } from "~/server/errors";
import {
  addDays,
  clearSizesBefore,
  dayOf,
  daysBetween,
  firstRecordedDay,
  historyRange,
  loadRules,
  lockHistory,
  sizesAsOf,
  storeSizes,
} from "./history";

// Reconstructing a segment's size history (./history.ts) as a background job:
// queued when a segment is created or its rule changes, and on demand. Each
// step evaluates a few days in its own transaction, which commits their sizes
// with the checkpoint (the next day), so a job interrupted by a restart
// resumes there and no day is evaluated twice. Steps are sized to take about
// STEP_MS and the job pauses between them, so that it never holds the
// database for long while pages and the tracking API use it. After SLICE_MS,
// when other jobs wait, the rest is handed to a new job at the back of the
// queue, so a long reconstruction never holds a refresh or an import back.

export const SEGMENT_HISTORY_JOB_KIND = "segment.history";

/** About how long one step (one transaction) runs. */
const STEP_MS = 1_000;
/** After this long, a job hands the rest to a new job at the back of the queue when other jobs wait. */
const SLICE_MS = 20_000;
/** At most this many days a step, however fast they go. */
const MAX_DAYS_PER_STEP = 31;

interface HistoryPayload {
  segmentId: string;
  /** The day it was queued: days before it are reconstructed. */
  until: string;
  /** Over every earlier point (the rule changed), or over reconstructed points only. */
  replace: boolean;
}

type HistoryCheckpoint = "done" | { from: string; until: string; next: string; valueSince: string | null };

const DONE = (message: string) => ({ checkpoint: "done", done: 1, total: 1, message });

/** Cancels the segment's earlier reconstruction, if it has not finished, and queues one. Returns its job id. */
export async function queueHistory(
  db: DbOrTx,
  input: { workspaceId: string; segmentId: string; replace: boolean; userId: string | null; now?: Date },
) {
  const [segment] = await db
    .select({ jobId: segments.historyJobId })
    .from(segments)
    .where(and(eq(segments.workspaceId, input.workspaceId), eq(segments.id, input.segmentId)))
    .for("update");
  if (!segment) throw new NotFoundError("That segment does not exist in this workspace.");
  if (segment.jobId) {
    // A running one stops at its next step; a step already under way writes nothing (see below).
    await db
      .update(jobs)
      .set({ status: "cancelled", finishedAt: sql`now()` })
      .where(
        and(
          eq(jobs.workspaceId, input.workspaceId),
          eq(jobs.id, segment.jobId),
          inArray(jobs.status, ["queued", "running", "paused"]),
        ),
      );
  }
  const payload: HistoryPayload = {
    segmentId: input.segmentId,
    until: dayOf(input.now ?? new Date()),
    replace: input.replace,
  };
  const job = await enqueueJob(db, {
    workspaceId: input.workspaceId,
    kind: SEGMENT_HISTORY_JOB_KIND,
    payload: { ...payload },
    createdBy: input.userId,
  });
  await db
    .update(segments)
    .set({ historyJobId: job.id })
    .where(and(eq(segments.workspaceId, input.workspaceId), eq(segments.id, input.segmentId)));
  return job.id;
}

/** Whether other jobs wait for a runner. */
async function othersWaiting(tx: DbOrTx, jobId: string) {
  const result = await tx.execute<{ waiting: boolean }>(
    sql`select exists (select 1 from jobs where status = 'queued' and id <> ${jobId}::uuid) as waiting`,
  );
  return result.rows[0]?.waiting === true;
}

/** Queues the rest of the reconstruction as a new job that resumes at `checkpoint`, and makes it the segment's. */
async function handOver(
  tx: DbOrTx,
  input: {
    workspaceId: string;
    payload: HistoryPayload;
    checkpoint: HistoryCheckpoint;
    progress: { done: number; total: number; message: string };
    userId: string | null;
  },
) {
  const next = await enqueueJob(tx, {
    workspaceId: input.workspaceId,
    kind: SEGMENT_HISTORY_JOB_KIND,
    payload: { ...input.payload },
    createdBy: input.userId,
  });
  await tx
    .update(jobs)
    .set({ progress: { ...input.progress, checkpoint: input.checkpoint } })
    .where(and(eq(jobs.workspaceId, input.workspaceId), eq(jobs.id, next.id)));
  await tx
    .update(segments)
    .set({ historyJobId: next.id })
    .where(and(eq(segments.workspaceId, input.workspaceId), eq(segments.id, input.payload.segmentId)));
}

function pause(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());
}

const progressMessage = (done: number, total: number) =>
  `${done.toLocaleString("en")} of ${total.toLocaleString("en")} days reconstructed`;

/** What the finished job says; a rule on value figures says why its history starts at their fit. */
function finalMessage(total: number, valueSince: string | null) {
  const days = `${total.toLocaleString("en")} ${total === 1 ? "day" : "days"} reconstructed`;
  return valueSince
    ? `${days}, from ${valueSince}: the rule reads value figures, which are known only as of their latest fit`
    : days;
}

/** The job's handler; `sliceMs` is how long it runs before it hands over when other jobs wait. */
export function segmentHistoryHandler(options: { sliceMs?: number } = {}): JobHandler {
  return (ctx) => runSegmentHistory(ctx, options.sliceMs ?? SLICE_MS);
}

async function runSegmentHistory(ctx: JobContext, sliceMs: number) {
  const { workspaceId } = ctx.job;
  const payload = ctx.job.payload as unknown as HistoryPayload;
  const { segmentId } = payload;
  const checkpoint = () => ctx.checkpoint as HistoryCheckpoint | undefined;

  // Each step holds the segment's lock and goes on only while this job is the
  // segment's latest: a step that was under way when the rule changed writes nothing.
  const current = async (tx: DbOrTx) => {
    await lockHistory(tx, segmentId);
    const loaded = await loadRules(tx, workspaceId, segmentId);
    return loaded && loaded.historyJobId === ctx.job.id ? loaded : undefined;
  };

  if (checkpoint() === undefined) {
    await ctx.step(async (tx) => {
      const loaded = await current(tx);
      if (!loaded) return DONE("The segment was removed or its rule changed.");
      let until = payload.until;
      if (payload.replace) await clearSizesBefore(tx, { workspaceId, segmentId, until });
      else {
        // Recorded points are measured; reconstruct the days before them.
        const recorded = await firstRecordedDay(tx, { workspaceId, segmentId });
        if (recorded && recorded < until) until = recorded;
      }
      const range = await historyRange(tx, { workspaceId, ...loaded, until });
      if (!range) return DONE("The workspace has no events to reconstruct from.");
      if (range.from >= range.until) {
        return DONE(
          range.valueSince
            ? `No earlier days to reconstruct: the rule reads value figures, which are known only as of their latest fit, on ${range.valueSince}.`
            : "No earlier days with events to reconstruct.",
        );
      }
      const total = daysBetween(range.from, range.until);
      return {
        checkpoint: { ...range, next: range.from },
        done: 0,
        total,
        message: progressMessage(0, total),
      };
    });
  }

  let days = 7;
  const sliceStarted = performance.now();
  for (;;) {
    const at = checkpoint();
    if (at === undefined || at === "done" || at.next >= at.until) break;
    const batch: string[] = [];
    for (let day = at.next; day < at.until && batch.length < days; day = addDays(day, 1)) batch.push(day);
    const started = performance.now();
    await ctx.step(async (tx) => {
      const loaded = await current(tx);
      if (!loaded) return DONE("The segment was removed or its rule changed.");
      const sizes = await sizesAsOf(tx, {
        workspaceId,
        rule: loaded.rule,
        definitions: loaded.definitions,
        days: batch,
      });
      await storeSizes(tx, { workspaceId, segmentId, sizes, replace: payload.replace });
      const next = addDays(batch[batch.length - 1]!, 1);
      const total = daysBetween(at.from, at.until);
      const done = daysBetween(at.from, next);
      const finished = next >= at.until;
      const progress = {
        done,
        total,
        message: finished ? finalMessage(total, at.valueSince) : progressMessage(done, total),
      };
      if (finished) return { checkpoint: "done", ...progress };
      const rest = { ...at, next };
      if (performance.now() - sliceStarted > sliceMs && (await othersWaiting(tx, ctx.job.id))) {
        // The runner takes the oldest job first: a year of a large workspace would hold
        // refreshes, imports and fits back for long. The rest goes behind them.
        await handOver(tx, { workspaceId, payload, checkpoint: rest, progress, userId: ctx.job.createdBy });
        return {
          checkpoint: "done",
          ...progress,
          message: `${progress.message}; the rest continues in the next job`,
        };
      }
      return { checkpoint: rest, ...progress };
    });
    const ms = performance.now() - started;
    // Size the next step from this one's pace, and leave the database to others for a while.
    days = Math.max(1, Math.min(MAX_DAYS_PER_STEP, Math.floor((STEP_MS * batch.length) / Math.max(ms, 1))));
    await pause(Math.min(STEP_MS, ms / 4));
  }
}

export function registerSegmentHistoryJobHandler() {
  registerJobHandler(SEGMENT_HISTORY_JOB_KIND, segmentHistoryHandler());
}

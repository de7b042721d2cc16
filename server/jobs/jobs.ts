import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { jobs } from "~/db/schema";
import { type JobStatus } from "~/db/enums";
import { NotFoundError, RuleError } from "~/server/errors";

// Jobs as rows: long work (imports now; model fits and segment refreshes
// later) is enqueued here and run by the runner (./runner.ts) of whichever
// server process claims it. People pause, resume and cancel it through these
// functions; the runner notices between chunks.

/** What the progress bar shows. The handler's own checkpoint is kept beside it. */
export interface JobProgress {
  done?: number;
  total?: number;
  message?: string;
}

export interface JobRow {
  id: string;
  workspaceId: string;
  kind: string;
  status: JobStatus;
  payload: Record<string, unknown>;
  progress: JobProgress & { checkpoint?: unknown };
  error: string | null;
  attempts: number;
  heartbeatAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Statuses a job does not leave by itself. */
export const finishedStatuses: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

export async function enqueueJob(
  db: DbOrTx,
  input: { workspaceId: string; kind: string; payload?: Record<string, unknown>; createdBy?: string | null },
): Promise<JobRow> {
  const [row] = await db
    .insert(jobs)
    .values({
      workspaceId: input.workspaceId,
      kind: input.kind,
      payload: input.payload ?? {},
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return row as JobRow;
}

/**
 * Marks a job done that was run in place rather than by a runner (the demo seed
 * runs its first refreshes and value fit while it starts the app).
 */
export async function markJobDone(db: DbOrTx, input: { workspaceId: string; jobId: string }) {
  await db
    .update(jobs)
    .set({ status: "succeeded", finishedAt: sql`now()`, progress: { done: 1, total: 1, message: "Done" } })
    .where(and(eq(jobs.workspaceId, input.workspaceId), eq(jobs.id, input.jobId)));
}

export async function getJob(db: DbOrTx, input: { workspaceId: string; jobId: string }): Promise<JobRow> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.workspaceId, input.workspaceId), eq(jobs.id, input.jobId)));
  if (!row) throw new NotFoundError("That job does not exist in this workspace.");
  return row as JobRow;
}

/**
 * Moves a job from one of `from` to `to`, or explains why it cannot. A running
 * job that is paused or cancelled stops at its next checkpoint.
 */
async function transition(
  db: DbOrTx,
  input: { workspaceId: string; jobId: string },
  from: JobStatus[],
  to: JobStatus,
  verb: string,
): Promise<JobRow> {
  const [row] = await db
    .update(jobs)
    .set({
      status: to,
      ...(to === "cancelled" ? { finishedAt: sql`now()` } : {}),
      ...(to === "queued" ? { error: null, finishedAt: null } : {}),
    })
    .where(and(eq(jobs.workspaceId, input.workspaceId), eq(jobs.id, input.jobId), inArray(jobs.status, from)))
    .returning();
  if (row) return row as JobRow;
  const current = await getJob(db, input);
  throw new RuleError(`A ${current.status} job cannot be ${verb}.`);
}

/** queued or running → paused. */
export function pauseJob(db: DbOrTx, input: { workspaceId: string; jobId: string }) {
  return transition(db, input, ["queued", "running"], "paused", "paused");
}

/** paused or failed → queued: a runner picks it up again from its last checkpoint. */
export function resumeJob(db: DbOrTx, input: { workspaceId: string; jobId: string }) {
  return transition(db, input, ["paused", "failed"], "queued", "resumed");
}

/** queued, running or paused → cancelled. Work done up to the last checkpoint stays. */
export function cancelJob(db: DbOrTx, input: { workspaceId: string; jobId: string }) {
  return transition(db, input, ["queued", "running", "paused"], "cancelled", "cancelled");
}

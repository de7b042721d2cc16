import "server-only";
import { and, asc, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "~/db";
import { customers, jobs, segmentMembershipChanges, segments, segmentSizes, users } from "~/db/schema";
import { type JobStatus, type SegmentChange, type SegmentSchedule } from "~/db/enums";
import { ConflictError, NotFoundError, RuleError } from "~/server/errors";
import { enqueueJob } from "~/server/jobs/jobs";
import { journeyNamesOfSegment } from "~/server/journeys/store";
import { queueHistory } from "./history-job";
import type { RefreshCause } from "./membership";
import { assertReferencesValid, dependentsOf, usesValue } from "./references";
import { parseRule, type Rule } from "./rules";

// Saved segments: create, change, remove, and what the segment pages read.
// Every change of rule queues a full refresh (./job.ts); membership itself is
// written only by ./membership.ts.

export const SEGMENT_REFRESH_JOB_KIND = "segment.refresh";
export const SEGMENT_CHANGES_PAGE_SIZE = 50;

const PERIOD_MS: Record<Exclude<SegmentSchedule, "off">, number> = {
  hourly: 3600 * 1000,
  daily: 24 * 3600 * 1000,
};

export function nextRefreshAt(schedule: SegmentSchedule, now: Date) {
  return schedule === "off" ? null : new Date(now.getTime() + PERIOD_MS[schedule]);
}

export interface SegmentInput {
  name: string;
  description: string;
  rule: unknown;
  schedule: SegmentSchedule;
}

const thisSegment = (workspaceId: string, id: string) =>
  and(eq(segments.workspaceId, workspaceId), eq(segments.id, id));

/** PostgreSQL's unique_violation on segments_name_key, as a message about the name. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; constraint?: string } }).cause ?? error;
    const { code, constraint } = cause as { code?: string; constraint?: string };
    if (code === "23505" && constraint === "segments_name_key") {
      throw new ConflictError(`A segment named "${name}" already exists in this workspace.`);
    }
    throw error;
  }
}

/** JSON with object keys sorted: jsonb does not keep the order they were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

async function validRule(
  db: DbOrTx,
  workspaceId: string,
  segmentId: string | null,
  input: unknown,
): Promise<Rule> {
  const rule = parseRule(input);
  await assertReferencesValid(db, { workspaceId, segmentId, rule });
  return rule;
}

/**
 * Queues a full refresh unless one is already waiting (a queued job reads the
 * rule when it runs, so it sees this change too). Returns the job's id.
 */
export async function queueRefresh(
  db: DbOrTx,
  input: { workspaceId: string; segmentId: string; cause: RefreshCause; userId: string | null },
) {
  const [segment] = await db
    .select({ jobId: segments.refreshJobId, status: jobs.status })
    .from(segments)
    .leftJoin(jobs, and(eq(jobs.workspaceId, segments.workspaceId), eq(jobs.id, segments.refreshJobId)))
    .where(thisSegment(input.workspaceId, input.segmentId))
    .for("update", { of: segments });
  if (!segment) throw new NotFoundError("That segment does not exist in this workspace.");
  if (segment.jobId && segment.status === "queued") return segment.jobId;
  const job = await enqueueJob(db, {
    workspaceId: input.workspaceId,
    kind: SEGMENT_REFRESH_JOB_KIND,
    payload: { segmentId: input.segmentId, cause: input.cause },
    createdBy: input.userId,
  });
  await db
    .update(segments)
    .set({ refreshJobId: job.id })
    .where(thisSegment(input.workspaceId, input.segmentId));
  return job.id;
}

/** After an import: every segment is refreshed, since the imported history may move anyone. */
export async function queueRefreshesAfterImport(db: DbOrTx, workspaceId: string) {
  const rows = await db
    .select({ id: segments.id })
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId));
  for (const row of rows)
    await queueRefresh(db, { workspaceId, segmentId: row.id, cause: "import", userId: null });
}

/** After a value fit: the segments whose rules read customer value are refreshed with the new figures. */
export async function queueValueDependentRefreshes(db: DbOrTx, workspaceId: string) {
  const rows = await db
    .select({ id: segments.id, rule: segments.rule })
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId));
  for (const row of rows.filter((r) => usesValue(r.rule))) {
    await queueRefresh(db, { workspaceId, segmentId: row.id, cause: "value fit", userId: null });
  }
}

export async function createSegment(
  db: DbOrTx,
  input: SegmentInput & { workspaceId: string; userId: string; now?: Date },
) {
  const now = input.now ?? new Date();
  const rule = await validRule(db, input.workspaceId, null, input.rule);
  const [row] = await uniqueName(input.name, () =>
    db
      .insert(segments)
      .values({
        workspaceId: input.workspaceId,
        name: input.name,
        description: input.description,
        rule,
        ownerId: input.userId,
        createdBy: input.userId,
        schedule: input.schedule,
        nextRefreshAt: nextRefreshAt(input.schedule, now),
      })
      .returning({ id: segments.id }),
  );
  const jobId = await queueRefresh(db, {
    workspaceId: input.workspaceId,
    segmentId: row!.id,
    cause: "created",
    userId: input.userId,
  });
  // Its size over the past days, from the events, after the first refresh has today's.
  await queueHistory(db, {
    workspaceId: input.workspaceId,
    segmentId: row!.id,
    replace: true,
    userId: input.userId,
    now,
  });
  return { id: row!.id, jobId };
}

/** Changes name, description, rule and schedule; a changed rule queues a refresh (jobId null otherwise). */
export async function updateSegment(
  db: DbOrTx,
  input: SegmentInput & { workspaceId: string; id: string; userId: string; now?: Date },
) {
  const now = input.now ?? new Date();
  const [current] = await db
    .select({ rule: segments.rule, schedule: segments.schedule })
    .from(segments)
    .where(thisSegment(input.workspaceId, input.id))
    .for("update");
  if (!current) throw new NotFoundError("That segment does not exist in this workspace.");
  const rule = await validRule(db, input.workspaceId, input.id, input.rule);
  const ruleChanged = canonicalJson(rule) !== canonicalJson(current.rule);
  await uniqueName(input.name, () =>
    db
      .update(segments)
      .set({
        name: input.name,
        description: input.description,
        rule,
        schedule: input.schedule,
        ...(input.schedule !== current.schedule ? { nextRefreshAt: nextRefreshAt(input.schedule, now) } : {}),
        updatedAt: now,
      })
      .where(thisSegment(input.workspaceId, input.id)),
  );
  const jobId = ruleChanged
    ? await queueRefresh(db, {
        workspaceId: input.workspaceId,
        segmentId: input.id,
        cause: "rule changed",
        userId: input.userId,
      })
    : null;
  // The earlier points describe the old rule: the history is reconstructed for the new one.
  if (ruleChanged) {
    await queueHistory(db, {
      workspaceId: input.workspaceId,
      segmentId: input.id,
      replace: true,
      userId: input.userId,
      now,
    });
  }
  return { id: input.id, jobId, ruleChanged };
}

/** Removes a segment with its members and history; refused while other segments refer to it or journeys are designed for it. */
export async function removeSegment(db: DbOrTx, input: { workspaceId: string; id: string }) {
  const dependents = await dependentsOf(db, input.workspaceId, input.id);
  if (dependents.length > 0) {
    throw new RuleError(
      `Other segments refer to this one: ${dependents.map((d) => d.name).join(", ")}. Change them first.`,
    );
  }
  const journeyNames = await journeyNamesOfSegment(db, input.workspaceId, input.id);
  if (journeyNames.length > 0) {
    throw new RuleError(
      `Journeys are designed for this segment: ${journeyNames.join(", ")}. Delete them or copy them to another segment first.`,
    );
  }
  const [row] = await db.delete(segments).where(thisSegment(input.workspaceId, input.id)).returning({
    name: segments.name,
    refreshJobId: segments.refreshJobId,
    historyJobId: segments.historyJobId,
  });
  if (!row) throw new NotFoundError("That segment does not exist in this workspace.");
  const waiting = [row.refreshJobId, row.historyJobId].filter((id): id is string => id !== null);
  if (waiting.length > 0) {
    await db
      .update(jobs)
      .set({ status: "cancelled", finishedAt: sql`now()` })
      .where(
        and(
          eq(jobs.workspaceId, input.workspaceId),
          inArray(jobs.id, waiting),
          inArray(jobs.status, ["queued", "paused"]),
        ),
      );
  }
  return { name: row.name };
}

const ownerColumns = { id: users.id, name: users.name, email: users.email };

export async function listSegments(db: DbOrTx, workspaceId: string) {
  const rows = await db
    .select({
      id: segments.id,
      name: segments.name,
      description: segments.description,
      memberCount: segments.memberCount,
      refreshedAt: segments.refreshedAt,
      schedule: segments.schedule,
      updatedAt: segments.updatedAt,
      owner: ownerColumns,
      jobStatus: jobs.status,
    })
    .from(segments)
    .leftJoin(users, eq(users.id, segments.ownerId))
    .leftJoin(jobs, and(eq(jobs.workspaceId, segments.workspaceId), eq(jobs.id, segments.refreshJobId)))
    .where(eq(segments.workspaceId, workspaceId))
    .orderBy(asc(sql`lower(${segments.name})`));
  return rows.map(({ jobStatus, owner, ...row }) => ({
    ...row,
    owner: owner?.id ? owner : null,
    refreshing: jobStatus === "queued" || jobStatus === "running",
  }));
}

const historyJobs = alias(jobs, "history_jobs");

/** A job's state as the segment page shows it. */
function jobState(
  job: { id: string | null; status: JobStatus | null; progress: unknown; error: string | null } | null,
) {
  if (!job?.id) return null;
  const progress = (job.progress ?? {}) as { done?: number; total?: number; message?: string };
  return {
    jobId: job.id,
    status: job.status!,
    progress: { done: progress.done, total: progress.total, message: progress.message },
    error: job.error,
  };
}

export async function getSegment(db: DbOrTx, input: { workspaceId: string; id: string }) {
  const [row] = await db
    .select({
      id: segments.id,
      name: segments.name,
      description: segments.description,
      rule: segments.rule,
      schedule: segments.schedule,
      memberCount: segments.memberCount,
      refreshedAt: segments.refreshedAt,
      nextRefreshAt: segments.nextRefreshAt,
      stats: segments.stats,
      createdAt: segments.createdAt,
      updatedAt: segments.updatedAt,
      owner: ownerColumns,
      job: { id: jobs.id, status: jobs.status, progress: jobs.progress, error: jobs.error },
      historyJob: {
        id: historyJobs.id,
        status: historyJobs.status,
        progress: historyJobs.progress,
        error: historyJobs.error,
      },
    })
    .from(segments)
    .leftJoin(users, eq(users.id, segments.ownerId))
    .leftJoin(jobs, and(eq(jobs.workspaceId, segments.workspaceId), eq(jobs.id, segments.refreshJobId)))
    .leftJoin(
      historyJobs,
      and(eq(historyJobs.workspaceId, segments.workspaceId), eq(historyJobs.id, segments.historyJobId)),
    )
    .where(thisSegment(input.workspaceId, input.id));
  if (!row) throw new NotFoundError("That segment does not exist in this workspace.");
  const { owner, job, historyJob, ...segment } = row;
  return {
    ...segment,
    owner: owner?.id ? owner : null,
    refresh: jobState(job),
    /** The reconstruction of the size history from the events, running or last run. */
    history: jobState(historyJob),
    usedBy: await dependentsOf(db, input.workspaceId, input.id),
  };
}

async function assertExists(db: DbOrTx, workspaceId: string, id: string) {
  const [row] = await db.select({ id: segments.id }).from(segments).where(thisSegment(workspaceId, id));
  if (!row) throw new NotFoundError("That segment does not exist in this workspace.");
}

/** The size at the end of each day with a change, oldest first, over the last `days`. */
export async function sizeHistory(
  db: DbOrTx,
  input: { workspaceId: string; id: string; days?: number; now?: Date },
) {
  await assertExists(db, input.workspaceId, input.id);
  const since = new Date((input.now ?? new Date()).getTime() - (input.days ?? 365) * 24 * 3600 * 1000);
  return db
    .select({
      day: segmentSizes.day,
      size: segmentSizes.size,
      entered: segmentSizes.entered,
      left: segmentSizes.left,
      reconstructed: segmentSizes.reconstructed,
    })
    .from(segmentSizes)
    .where(
      and(
        eq(segmentSizes.workspaceId, input.workspaceId),
        eq(segmentSizes.segmentId, input.id),
        gte(segmentSizes.day, since.toISOString().slice(0, 10)),
      ),
    )
    .orderBy(asc(segmentSizes.day));
}

/** Who entered and left, newest first, a page at a time (the cursor is the last change's id). */
export async function listChanges(
  db: DbOrTx,
  input: { workspaceId: string; id: string; change?: SegmentChange; cursor?: number; limit?: number },
) {
  await assertExists(db, input.workspaceId, input.id);
  const limit = input.limit ?? SEGMENT_CHANGES_PAGE_SIZE;
  const rows = await db
    .select({
      id: segmentMembershipChanges.id,
      customerId: segmentMembershipChanges.customerId,
      change: segmentMembershipChanges.change,
      at: segmentMembershipChanges.at,
      cause: segmentMembershipChanges.cause,
      name: customers.name,
      email: customers.email,
    })
    .from(segmentMembershipChanges)
    .leftJoin(
      customers,
      and(
        eq(customers.workspaceId, segmentMembershipChanges.workspaceId),
        eq(customers.id, segmentMembershipChanges.customerId),
      ),
    )
    .where(
      and(
        eq(segmentMembershipChanges.workspaceId, input.workspaceId),
        eq(segmentMembershipChanges.segmentId, input.id),
        input.change ? eq(segmentMembershipChanges.change, input.change) : undefined,
        input.cursor !== undefined ? lt(segmentMembershipChanges.id, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(segmentMembershipChanges.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { items: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : undefined };
}

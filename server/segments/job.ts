import "server-only";
import { and, eq } from "drizzle-orm";
import { segments } from "~/db/schema";
import { registerJobHandler, type JobContext } from "~/server/jobs/runner";
import { refreshSegmentIn, type RefreshCause } from "./membership";
import { dependentsOf } from "./references";
import { queueRefresh, SEGMENT_REFRESH_JOB_KIND } from "./store";

// A full refresh as a job: one step, so it commits with the job's checkpoint
// and a job interrupted by a restart simply runs again (the diff is
// idempotent). Segments that refer to this one are queued after it, since
// they read its members.

interface RefreshPayload {
  segmentId: string;
  cause?: RefreshCause;
}

export async function runSegmentRefresh(ctx: JobContext) {
  if (ctx.checkpoint === "done") return;
  const { workspaceId } = ctx.job;
  const { segmentId, cause = "refresh" } = ctx.job.payload as unknown as RefreshPayload;
  await ctx.saveProgress({ done: 0, total: 1, message: "Finding the members" });
  await ctx.step(async (tx) => {
    const [segment] = await tx
      .select({ id: segments.id })
      .from(segments)
      .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
    if (!segment) return { checkpoint: "done", done: 1, total: 1, message: "The segment was removed." };
    const result = await refreshSegmentIn(tx, { workspaceId, segmentId, cause });
    for (const dependent of await dependentsOf(tx, workspaceId, segmentId)) {
      await queueRefresh(tx, { workspaceId, segmentId: dependent.id, cause: "depends", userId: null });
    }
    return {
      checkpoint: "done",
      done: 1,
      total: 1,
      message: `${result.size.toLocaleString("en")} members: ${result.entered.toLocaleString("en")} entered, ${result.left.toLocaleString("en")} left`,
    };
  });
}

export function registerSegmentRefreshJobHandler() {
  registerJobHandler(SEGMENT_REFRESH_JOB_KIND, runSegmentRefresh);
}

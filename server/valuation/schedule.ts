import "server-only";
import { and, desc, eq, lte, ne, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { valueFits, valueFitSchedules } from "~/db/schema";
import { ConflictError, RuleError } from "~/server/errors";
import { startFit } from "./fits";
import type { ValueSchedule } from "./types";

// Refitting on a schedule: each workspace is off, daily or weekly. A small
// loop beside the job runner (started from server/jobs/start.ts) looks every
// few minutes for schedules that are due and queues a fit for each, with the
// latest fit's horizon and discount rate and the calibration end at the latest
// purchase; a workspace whose fit is still running is left for the next turn.

const PERIOD_MS: Record<Exclude<ValueSchedule, "off">, number> = {
  daily: 24 * 3600 * 1000,
  weekly: 7 * 24 * 3600 * 1000,
};
export const SCHEDULER_INTERVAL_MS = 5 * 60 * 1000;

export async function setSchedule(input: {
  db: DbOrTx;
  workspaceId: string;
  schedule: ValueSchedule;
  now?: Date;
}): Promise<{ schedule: ValueSchedule; nextRunAt: string | null }> {
  const now = input.now ?? new Date();
  const nextRunAt = input.schedule === "off" ? null : new Date(now.getTime() + PERIOD_MS[input.schedule]);
  await input.db
    .insert(valueFitSchedules)
    .values({ workspaceId: input.workspaceId, schedule: input.schedule, nextRunAt, updatedAt: now })
    .onConflictDoUpdate({
      target: valueFitSchedules.workspaceId,
      set: { schedule: input.schedule, nextRunAt, updatedAt: now },
    });
  return { schedule: input.schedule, nextRunAt: nextRunAt?.toISOString() ?? null };
}

/** The first run time after `now` on the schedule's grid from `from`. */
function nextAfter(from: Date, periodMs: number, now: Date) {
  const behind = Math.max(0, Math.floor((now.getTime() - from.getTime()) / periodMs) + 1);
  return new Date(from.getTime() + behind * periodMs);
}

/**
 * Queues a fit for every workspace whose schedule is due, and moves its next run on.
 * Each workspace in its own transaction, its schedule row locked (skip locked: another
 * process is already on it). Returns the fits queued.
 */
export async function enqueueDueFits(db: Database, now = new Date()) {
  const due = await db
    .select({ workspaceId: valueFitSchedules.workspaceId })
    .from(valueFitSchedules)
    .where(and(ne(valueFitSchedules.schedule, "off"), lte(valueFitSchedules.nextRunAt, now)));
  const queued: { workspaceId: string; fitId: string }[] = [];
  for (const { workspaceId } of due) {
    try {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(valueFitSchedules)
          .where(
            and(
              eq(valueFitSchedules.workspaceId, workspaceId),
              ne(valueFitSchedules.schedule, "off"),
              lte(valueFitSchedules.nextRunAt, now),
            ),
          )
          .for("update", { skipLocked: true });
        if (!row || row.schedule === "off" || !row.nextRunAt) return;
        const [last] = await tx
          .select({ horizonWeeks: valueFits.horizonWeeks, discountRate: valueFits.discountRate })
          .from(valueFits)
          .where(eq(valueFits.workspaceId, workspaceId))
          .orderBy(desc(valueFits.createdAt))
          .limit(1);
        try {
          // A savepoint: a refused fit must not undo the schedule's move.
          const fit = await tx.transaction((inner) =>
            startFit({
              db: inner,
              workspaceId,
              userId: null,
              horizonWeeks: last?.horizonWeeks,
              discountRate: last?.discountRate,
              now,
            }),
          );
          queued.push({ workspaceId, fitId: fit.fitId });
        } catch (error) {
          // Still running, or no purchases yet: try again at the next run.
          if (!(error instanceof ConflictError || error instanceof RuleError)) throw error;
        }
        await tx
          .update(valueFitSchedules)
          .set({ nextRunAt: nextAfter(row.nextRunAt, PERIOD_MS[row.schedule], now), updatedAt: sql`now()` })
          .where(eq(valueFitSchedules.workspaceId, workspaceId));
      });
    } catch (error) {
      console.error(`[value] could not queue the scheduled fit of workspace ${workspaceId}:`, error);
    }
  }
  return queued;
}

/** Looks for due schedules now and every `intervalMs`; returns a function that stops it. */
export function startValueScheduler(options: {
  db: Database;
  intervalMs?: number;
  onQueued?: () => void;
}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const queued = await enqueueDueFits(options.db);
      if (queued.length > 0) options.onQueued?.();
    } catch (error) {
      console.error("[value] the fit schedule could not be read:", (error as Error).message);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs ?? SCHEDULER_INTERVAL_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}

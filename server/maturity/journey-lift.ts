import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { journeyRuns, journeys } from "~/db/schema";
import { journeyImpact, type ImpactMetric } from "~/server/journeys/impact/impact";

// What the journeys that ran with a holdout have proven, for the scorecard and
// the maturity indicators: each journey's Impact (server/journeys/impact/) over
// LIFT_WINDOW_DAYS from entry, everyone sent the journey against the holdout.
// A lift is proven when the whole 95 % interval of the difference is above zero.

/** The Impact window the scorecard reads: a month from each customer's entry. */
export const LIFT_WINDOW_DAYS = 30;
/** The journeys read: those whose latest run started most recently. */
export const LIFT_JOURNEYS = 10;

export interface JourneyLift {
  journeyId: string;
  name: string;
  /** Entrants whose window has elapsed, both sides. */
  customers: number;
  conversion: ImpactMetric | null;
  revenue: ImpactMetric | null;
  clvChange: ImpactMetric | null;
  /** Goal conversion or revenue per customer proven higher than the holdout's. */
  provenLift: boolean;
  /** The change in predicted value since entry proven higher than the holdout's. */
  provenValueLift: boolean;
}

/** The journeys that ran (or run) with a holdout, most recently started first, with their lift. */
export async function journeyLifts(
  db: DbOrTx,
  workspaceId: string,
  now = new Date(),
): Promise<JourneyLift[]> {
  // Each journey's latest run: only that one counts, and only when it held some out. The Impact
  // aggregates are the costly part, so the journeys are chosen before any is measured.
  const latest = await db
    .selectDistinctOn([journeyRuns.journeyId], {
      journeyId: journeyRuns.journeyId,
      name: journeys.name,
      holdoutPercent: journeyRuns.holdoutPercent,
      startedAt: journeyRuns.startedAt,
    })
    .from(journeyRuns)
    .innerJoin(
      journeys,
      and(eq(journeys.workspaceId, journeyRuns.workspaceId), eq(journeys.id, journeyRuns.journeyId)),
    )
    .where(eq(journeyRuns.workspaceId, workspaceId))
    .orderBy(journeyRuns.journeyId, desc(journeyRuns.startedAt));
  const measured = latest
    .filter((run) => run.holdoutPercent > 0)
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
    .slice(0, LIFT_JOURNEYS);
  const lifts: JourneyLift[] = [];
  for (const run of measured) {
    const impact = await journeyImpact(db, {
      workspaceId,
      journeyId: run.journeyId,
      windowDays: LIFT_WINDOW_DAYS,
      now,
    });
    const overall = impact.comparisons.find((c) => c.branchNodeId === null);
    const metric = (key: ImpactMetric["key"]) => overall?.metrics.find((m) => m.key === key) ?? null;
    const higher = (m: ImpactMetric | null) => m?.significant === "higher";
    const [conversion, revenue, clvChange] = [metric("conversion"), metric("revenue"), metric("clvChange")];
    lifts.push({
      journeyId: run.journeyId,
      name: run.name,
      customers: impact.counted.treatment + impact.counted.holdout,
      conversion,
      revenue,
      clvChange,
      provenLift: higher(conversion) || higher(revenue),
      provenValueLift: higher(clvChange),
    });
  }
  return lifts;
}

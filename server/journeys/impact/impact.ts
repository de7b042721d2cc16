import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { JourneyRunStatus } from "~/db/enums";
import { journeyRuns, journeys } from "~/db/schema";
import { NotFoundError } from "~/server/errors";
import { isPurchase } from "~/server/valuation/summary";
import { flowOf } from "../run/runner";
import {
  DETECTABLE_LIFT,
  entrantsNeeded,
  mean,
  newcombeInterval,
  variance,
  welchInterval,
  type Interval,
  type Moments,
} from "./stats";

// A journey's impact: its entrants who were sent the journey (treatment) against
// those held out (./holdout.ts), and each A/B variant against the holdout, over
// a window of N days from each one's entry. Only entrants whose window has
// fully elapsed count, so every customer is measured over the same span. What
// is compared (docs/journeys.md "Measuring impact"):
// - goal conversion: did the journey's final goal event happen in the window;
// - purchases and revenue per customer: purchase events (track events with an
//   amount, as the value fits count them) in the window;
// - the change in predicted lifetime value and in P(alive) from entry (the
//   customer's customer_values row then, recorded on the enrollment) to now
//   (their current row), for customers valued at entry whose figures a later
//   live fit has replaced since. Without a fit since entry there is no change to measure.
// All of it is one aggregate over the entrants joined to their events in the window.

export type ImpactMetricKey = "conversion" | "purchases" | "revenue" | "clvChange" | "pAliveChange";

export interface ImpactMetric {
  key: ImpactMetricKey;
  /** Conversion is a proportion (Newcombe's interval); the others are means (Welch's t). */
  kind: "proportion" | "mean";
  treatment: { n: number; value: number };
  holdout: { n: number; value: number };
  /** Treatment minus holdout, with its 95 % interval; null when a side has too few customers. */
  interval: Interval | null;
  /** Whether the interval excludes zero, and on which side. */
  significant: "higher" | "lower" | null;
  /** The difference times the treatment customers measured: what the journey added in all. */
  incremental: { customers: number; total: number; low: number; high: number } | null;
  /** Entrants in all (both sides) needed to detect a 5 % lift at 80 % power; null when it cannot be said. */
  entrantsNeeded: number | null;
}

export interface ImpactComparison {
  /** Null: everyone sent the journey; else the A/B split's branch node and variant. */
  branchNodeId: string | null;
  variant: string | null;
  /**
   * What it is measured against: null, the holdout (for a variant, the held-out customers who
   * drew it); else another variant of the same split, the split's first, both sides sent the
   * journey: the A/B test itself.
   */
  againstVariant: string | null;
  metrics: ImpactMetric[];
}

export interface JourneyImpact {
  windowDays: number;
  measuredAt: Date;
  /** The latest run; null when the journey has never run. */
  run: { status: JourneyRunStatus; holdoutPercent: number; startedAt: Date } | null;
  /** The final goal whose event counts as conversion; null without one (no conversion figure). */
  goal: { event: string; channel: string | null } | null;
  /** Entrants whose window has elapsed, per side. */
  counted: { treatment: number; holdout: number };
  /** Entrants whose window has not elapsed yet: not counted. */
  waiting: number;
  /** Everyone sent the journey against the holdout first, then each A/B variant against it. */
  comparisons: ImpactComparison[];
}

type Row = {
  branch: string | null;
  variant: string | null;
  holdout: boolean;
  n: number;
  converted: number;
  purchases: number;
  purchases_sq: number;
  revenue: number;
  revenue_sq: number;
  clv_n: number;
  clv: number;
  clv_sq: number;
  alive_n: number;
  alive: number;
  alive_sq: number;
  entry_clv: number | null;
  entry_alive: number | null;
};

const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/**
 * The Impact tab's figures for a journey over `windowDays` from entry. Entrants of
 * all its runs count (each entry once); the holdout share is the latest run's.
 */
export async function journeyImpact(
  db: DbOrTx,
  input: { workspaceId: string; journeyId: string; windowDays: number; now?: Date },
): Promise<JourneyImpact> {
  const now = input.now ?? new Date();
  const [journey] = await db
    .select({ id: journeys.id })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, input.workspaceId), eq(journeys.id, input.journeyId)));
  if (!journey) throw new NotFoundError("That journey does not exist in this workspace.");
  const [run] = await db
    .select({
      version: journeyRuns.version,
      status: journeyRuns.status,
      holdoutPercent: journeyRuns.holdoutPercent,
      startedAt: journeyRuns.startedAt,
    })
    .from(journeyRuns)
    .where(and(eq(journeyRuns.workspaceId, input.workspaceId), eq(journeyRuns.journeyId, input.journeyId)))
    .orderBy(desc(journeyRuns.startedAt))
    .limit(1);
  const base = { windowDays: input.windowDays, measuredAt: now };
  if (!run) {
    return {
      ...base,
      run: null,
      goal: null,
      counted: { treatment: 0, holdout: 0 },
      waiting: 0,
      comparisons: [],
    };
  }
  const flow = await flowOf(db, input.workspaceId, input.journeyId, run.version);
  const goal = flow.finalGoal;
  const ws = sql`${input.workspaceId}::uuid`;
  const window = sql`make_interval(days => ${input.windowDays}::int)`;
  const cutoff = sql`${now.toISOString()}::timestamptz - ${window}`;
  const converted = goal
    ? sql`bool_or(ev.event = ${goal.event} ${goal.channel ? sql`and ev.channel = ${goal.channel}` : sql``})`
    : sql`false`;
  // One pass: each entrant's row once with no variant (the sides), and once more per A/B split
  // they passed (the variants, on both sides: held-out customers take the same way through the
  // flow, so those assigned a variant are its fair comparison). JIT compiles for longer than this runs.
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    return tx.execute<Row>(sql`
      select s.branch, s.variant, per.holdout,
        count(*)::int as n, count(*) filter (where converted)::int as converted,
        sum(purchases)::float8 as purchases, sum(purchases * purchases)::float8 as purchases_sq,
        sum(revenue)::float8 as revenue, sum(revenue * revenue)::float8 as revenue_sq,
        count(clv_change)::int as clv_n, sum(clv_change) as clv, sum(clv_change * clv_change) as clv_sq,
        count(alive_change)::int as alive_n, sum(alive_change) as alive,
        sum(alive_change * alive_change) as alive_sq,
        avg(entry_clv) as entry_clv, avg(entry_p_alive) as entry_alive
      from (
        select x.holdout, x.variants, x.entry_clv, x.entry_p_alive,
          coalesce(a.purchases, 0) as purchases, coalesce(a.revenue, 0) as revenue,
          coalesce(a.converted, false) as converted,
          case when v.fit_id <> x.entry_fit_id then v.clv - x.entry_clv end as clv_change,
          case when v.fit_id <> x.entry_fit_id then v.p_alive - x.entry_p_alive end as alive_change
        from journey_enrollments x
        left join lateral (
          select count(*) filter (where ${isPurchase})::int as purchases,
            coalesce(sum(ev.amount) filter (where ${isPurchase}), 0)::float8 as revenue,
            ${converted} as converted
          from events ev
          where ev.workspace_id = ${ws} and ev.customer_id = x.customer_id
            and ev.timestamp >= x.entered_at and ev.timestamp < x.entered_at + ${window}
        ) a on true
        left join customer_values v on v.workspace_id = ${ws} and v.customer_id = x.customer_id
        where x.workspace_id = ${ws} and x.journey_id = ${input.journeyId}::uuid and x.entered_at <= ${cutoff}
      ) per
      cross join lateral (
        select null::text as branch, null::text as variant
        union all
        select key, value from jsonb_each_text(per.variants)
      ) s
      group by 1, 2, 3
      order by 1 nulls first, 2`);
  });
  const waiting = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from journey_enrollments
    where workspace_id = ${ws} and journey_id = ${input.journeyId}::uuid and entered_at > ${cutoff}`);

  const rows = result.rows;
  const holdout = rows.find((r) => r.branch === null && r.holdout);
  const treatment = rows.find((r) => r.branch === null && !r.holdout);
  // A variant's customers are a way through the flow, not a random share of the entrants: they are
  // compared with the held-out customers who reached the same split and drew the same variant.
  const heldOutLike = (group: Row) =>
    group.branch === null
      ? holdout
      : rows.find((r) => r.holdout && r.branch === group.branch && r.variant === group.variant);
  const groups = [...(treatment ? [treatment] : []), ...rows.filter((r) => r.branch !== null && !r.holdout)];
  const comparisons: ImpactComparison[] = groups.map((group) => ({
    branchNodeId: group.branch,
    variant: group.variant,
    againstVariant: null,
    metrics: compare(group, heldOutLike(group), goal !== null),
  }));
  // The A/B test itself: each further variant of a split against its first, both sent the journey.
  const byBranch = new Map<string, Row[]>();
  for (const g of groups)
    if (g.branch !== null) byBranch.set(g.branch, [...(byBranch.get(g.branch) ?? []), g]);
  for (const [branch, variants] of byBranch) {
    // In the split's own order, so "first" is the one the designer put first (the control, often).
    const node = flow.nodes.get(branch);
    const order =
      node?.kind === "branch" && node.split.kind === "random" ? node.split.variants.map((v) => v.id) : [];
    const place = (v: string | null) => {
      const at = order.indexOf(v ?? "");
      return at < 0 ? order.length : at;
    };
    const [first, ...others] = [...variants].sort((a, b) => place(a.variant) - place(b.variant));
    for (const other of others) {
      comparisons.push({
        branchNodeId: branch,
        variant: other.variant,
        againstVariant: first!.variant,
        metrics: compare(other, first, goal !== null),
      });
    }
  }
  return {
    ...base,
    run: { status: run.status, holdoutPercent: run.holdoutPercent, startedAt: run.startedAt },
    goal: goal ? { event: goal.event, channel: goal.channel ?? null } : null,
    counted: { treatment: num(treatment?.n), holdout: num(holdout?.n) },
    waiting: num(waiting.rows[0]?.n),
    comparisons,
  };
}

const moments = (n: unknown, sum: unknown, sumSquares: unknown): Moments => ({
  n: num(n),
  sum: num(sum),
  sumSquares: num(sumSquares),
});

/** The metrics of one group against the holdout. */
function compare(group: Row, holdout: Row | undefined, hasGoal: boolean): ImpactMetric[] {
  const h = holdout;
  const metrics: ImpactMetric[] = [];
  if (hasGoal) {
    metrics.push(
      proportionMetric({ x: num(group.converted), n: num(group.n) }, { x: num(h?.converted), n: num(h?.n) }),
    );
  }
  const means: [ImpactMetricKey, Moments, Moments, number | null][] = [
    [
      "purchases",
      moments(group.n, group.purchases, group.purchases_sq),
      moments(h?.n, h?.purchases, h?.purchases_sq),
      null,
    ],
    [
      "revenue",
      moments(group.n, group.revenue, group.revenue_sq),
      moments(h?.n, h?.revenue, h?.revenue_sq),
      null,
    ],
    // A lift in a change is measured against the level it changes: the holdout's value at entry.
    [
      "clvChange",
      moments(group.clv_n, group.clv, group.clv_sq),
      moments(h?.clv_n, h?.clv, h?.clv_sq),
      h?.entry_clv === null || h?.entry_clv === undefined ? null : Number(h.entry_clv),
    ],
    [
      "pAliveChange",
      moments(group.alive_n, group.alive, group.alive_sq),
      moments(h?.alive_n, h?.alive, h?.alive_sq),
      h?.entry_alive === null || h?.entry_alive === undefined ? null : Number(h.entry_alive),
    ],
  ];
  for (const [key, t, c, level] of means) metrics.push(meanMetric(key, t, c, level ?? mean(c)));
  return metrics;
}

function sideOf(interval: Interval | null): ImpactMetric["significant"] {
  if (!interval) return null;
  return interval.low > 0 ? "higher" : interval.high < 0 ? "lower" : null;
}

function incremental(interval: Interval | null, customers: number): ImpactMetric["incremental"] {
  if (!interval) return null;
  return {
    customers,
    total: interval.difference * customers,
    low: interval.low * customers,
    high: interval.high * customers,
  };
}

function meanMetric(key: ImpactMetricKey, t: Moments, c: Moments, level: number): ImpactMetric {
  const interval = welchInterval(t, c);
  return {
    key,
    kind: "mean",
    treatment: { n: t.n, value: mean(t) },
    holdout: { n: c.n, value: mean(c) },
    interval,
    significant: sideOf(interval),
    incremental: incremental(interval, t.n),
    entrantsNeeded:
      t.n + c.n > 0 && c.n > 1
        ? entrantsNeeded({
            delta: DETECTABLE_LIFT * Math.abs(level),
            treatmentVariance: t.n > 1 ? variance(t) : variance(c),
            holdoutVariance: variance(c),
            holdoutShare: c.n / (t.n + c.n),
          })
        : null,
  };
}

function proportionMetric(t: { x: number; n: number }, c: { x: number; n: number }): ImpactMetric {
  const interval = newcombeInterval(t, c);
  const p = c.n > 0 ? c.x / c.n : 0;
  // The variances at the holdout's rate and at a rate 5 % above it.
  const lifted = Math.min(1, p * (1 + DETECTABLE_LIFT));
  return {
    key: "conversion",
    kind: "proportion",
    treatment: { n: t.n, value: t.n > 0 ? t.x / t.n : 0 },
    holdout: { n: c.n, value: p },
    interval,
    significant: sideOf(interval),
    incremental: incremental(interval, t.n),
    entrantsNeeded:
      t.n + c.n > 0 && c.n > 0
        ? entrantsNeeded({
            delta: lifted - p,
            treatmentVariance: lifted * (1 - lifted),
            holdoutVariance: p * (1 - p),
            holdoutShare: c.n / (t.n + c.n),
          })
        : null,
  };
}

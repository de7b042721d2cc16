import {
  DAY_MS,
  discountedExpectedPurchases,
  expectedAverageSpend,
  expectedPurchases,
  expectedPurchasesPopulation,
  fitBgNbd,
  fitGammaGamma,
  groupSpendBy,
  formatDay,
  probabilityAlive,
  probabilityOfPurchases,
  rfmGroups,
  rfmScoresOfMany,
  type BgNbdParams,
  type GammaGammaParams,
  type HistoryGroups,
  type SpendGroups,
} from "~/server/value";
import type { PurchaseSummary } from "./summary";
import type { ValueDiagnostics, ValueFitModels, ValueFitPortfolio } from "./types";

// The in-memory part of a fit, on the columns of a PurchaseSummary: grouping
// into distinct histories, the BG/NBD and Gamma-Gamma fits, every customer's
// scores and RFM group, the diagnostics and the portfolio. The maths is
// server/value's; this file only feeds it typed arrays.

/** Gamma-Gamma is fitted only on at least this many repeat customers with spend; below, no CLV. */
export const MIN_REPEAT_CUSTOMERS_FOR_SPEND = 20;
export const EXPECTED_PURCHASES_WEEKS = 90 / 7;

export interface ScoreSettings {
  horizonWeeks: number;
  discountRate: number;
}

/** Customers grouped by identical (x, t_x, T), i.e. by (x, first day, last day) at one calibration end. */
export function groupSummary(summary: PurchaseSummary): HistoryGroups {
  const { firstDay, lastDay, x, calibrationEndDay: end } = summary;
  const n = x.length;
  let minDay = end;
  for (let i = 0; i < n; i++) minDay = Math.min(minDay, firstDay[i]!);
  const span = end - minDay + 1;
  const index = new Map<number, number>();
  const groupOf = new Int32Array(n);
  const xs: number[] = [];
  const firsts: number[] = [];
  const lasts: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    // Exact as a double: x < span and both days < span, so the key stays below span³.
    const key = (x[i]! * span + (firstDay[i]! - minDay)) * span + (lastDay[i]! - minDay);
    let g = index.get(key);
    if (g === undefined) {
      g = xs.length;
      index.set(key, g);
      xs.push(x[i]!);
      firsts.push(firstDay[i]!);
      lasts.push(lastDay[i]!);
      counts.push(0);
    }
    counts[g]!++;
    groupOf[i] = g;
  }
  return {
    x: Float64Array.from(xs),
    tx: Float64Array.from(firsts, (f, g) => (lasts[g]! - f) / 7),
    T: Float64Array.from(firsts, (f) => (end - f) / 7),
    count: Float64Array.from(counts),
    groupOf,
    customers: n,
  };
}

/** Repeat customers with a positive average repeat spend, grouped by (x, m̄), as Gamma-Gamma is fitted. */
export function groupSpendOf(summary: PurchaseSummary): SpendGroups {
  return groupSpendBy(
    summary.x.length,
    (i) => summary.x[i]!,
    (i) => (summary.x[i]! > 0 ? summary.repeatSpend[i]! / summary.x[i]! : null),
  );
}

export function fitModels(summary: PurchaseSummary, histories = groupSummary(summary)): ValueFitModels {
  if (summary.ids.length === 0) throw new Error("There are no purchases on or before the calibration end.");
  const bgnbd = fitBgNbd(histories);
  const spend = groupSpendOf(summary);
  const gammaGamma = spend.customers >= MIN_REPEAT_CUSTOMERS_FOR_SPEND ? fitGammaGamma(spend) : null;
  return {
    bgnbd: {
      ...bgnbd.params,
      logLikelihood: bgnbd.logLikelihood,
      converged: bgnbd.converged,
      iterations: bgnbd.iterations,
      groups: bgnbd.groups,
    },
    gammaGamma: gammaGamma && {
      ...gammaGamma.params,
      logLikelihood: gammaGamma.logLikelihood,
      converged: gammaGamma.converged,
      iterations: gammaGamma.iterations,
      customers: gammaGamma.customers,
    },
  };
}

export function bgnbdParams(models: ValueFitModels): BgNbdParams {
  if (!models.bgnbd) throw new Error("The fit has no BG/NBD estimates.");
  const { r, alpha, a, b } = models.bgnbd;
  return { r, alpha, a, b };
}

/** The spend model when it can value customers (q > 1: a finite mean spend), else null. */
export function gammaGammaParams(models: ValueFitModels): GammaGammaParams | null {
  if (!models.gammaGamma || !(models.gammaGamma.q > 1)) return null;
  const { p, q, gamma } = models.gammaGamma;
  return { p, q, gamma };
}

export interface CustomerScoreColumns {
  pAlive: Float64Array;
  expectedPurchases90d: Float64Array;
  /** null without a spend model. */
  expectedSpend: Float64Array | null;
  clv: Float64Array | null;
  rfm: { recency: Uint8Array; frequency: Uint8Array; monetary: Uint8Array; group: Uint8Array };
}

/**
 * Every customer's P(alive), expected purchases over 90 days, expected spend, CLV and RFM
 * scores. The purchase-model figures are computed once per distinct history.
 */
export function scoreSummary(
  summary: PurchaseSummary,
  models: ValueFitModels,
  settings: ScoreSettings,
  histories = groupSummary(summary),
): CustomerScoreColumns {
  const bgnbd = bgnbdParams(models);
  const gammaGamma = gammaGammaParams(models);
  const g = histories.x.length;
  const groupAlive = new Float64Array(g);
  const group90d = new Float64Array(g);
  const groupDiscounted = gammaGamma ? new Float64Array(g) : null;
  for (let k = 0; k < g; k++) {
    const h = { x: histories.x[k]!, tx: histories.tx[k]!, T: histories.T[k]! };
    groupAlive[k] = probabilityAlive(bgnbd, h.x, h.tx, h.T);
    group90d[k] = expectedPurchases(bgnbd, EXPECTED_PURCHASES_WEEKS, h.x, h.tx, h.T);
    if (groupDiscounted) groupDiscounted[k] = discountedExpectedPurchases(bgnbd, h, settings);
  }

  const n = summary.ids.length;
  const pAlive = new Float64Array(n);
  const expected90d = new Float64Array(n);
  const expectedSpend = gammaGamma ? new Float64Array(n) : null;
  const clv = gammaGamma ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const k = histories.groupOf[i]!;
    pAlive[i] = groupAlive[k]!;
    expected90d[i] = group90d[k]!;
    if (gammaGamma && expectedSpend && clv && groupDiscounted) {
      const x = summary.x[i]!;
      const spend = expectedAverageSpend(gammaGamma, x, x > 0 ? summary.repeatSpend[i]! / x : null);
      expectedSpend[i] = spend;
      clv[i] = spend * groupDiscounted[k]!;
    }
  }

  const recencyDays = new Float64Array(n);
  for (let i = 0; i < n; i++) recencyDays[i] = summary.calibrationEndDay - summary.lastDay[i]!;
  const rfm = rfmScoresOfMany({
    recencyDays,
    x: Float64Array.from(summary.x),
    totalSpend: summary.totalSpend,
  });
  return { pAlive, expectedPurchases90d: expected90d, expectedSpend, clv, rfm };
}

/** Totals per RFM group (every group, in rfmGroups order). */
export function portfolioOf(
  summary: PurchaseSummary,
  scores: CustomerScoreColumns,
): ValueFitPortfolio["rows"] {
  const rows = rfmGroups.map((group) => ({ group, customers: 0, pastRevenue: 0, predictedValue: 0 }));
  for (let i = 0; i < summary.ids.length; i++) {
    const row = rows[scores.rfm.group[i]!]!;
    row.customers++;
    row.pastRevenue += summary.totalSpend[i]!;
    if (scores.clv) row.predictedValue += scores.clv[i]!;
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------

/** At most this many weeks of tracking (ten years). */
const MAX_TRACKING_WEEKS = 520;
const MAX_FREQUENCY = 7;

export function diagnosticsOf(summary: PurchaseSummary, models: ValueFitModels): ValueDiagnostics {
  const params = bgnbdParams(models);
  return {
    tracking: tracking(summary, params),
    frequency: frequency(summary, params),
    aliveHeatmap: aliveHeatmap(summary, params),
  };
}

/**
 * Cumulative repeat purchase days of the customers, week by week from the first purchase
 * day, against Σ over customers of E[X(t)] from each one's first purchase (FHL 2005,
 * figure 2). The end of week k is day start + 7k - 1. Weeks after the calibration end
 * (the holdout) run to the last purchase in the data, whole weeks only.
 */
function tracking(summary: PurchaseSummary, params: BgNbdParams): ValueDiagnostics["tracking"] {
  const { firstDay, calibrationEndDay: end } = summary;
  if (firstDay.length === 0) return [];
  const cohort = new Map<number, number>();
  let start = end;
  for (const f of firstDay) {
    cohort.set(f, (cohort.get(f) ?? 0) + 1);
    start = Math.min(start, f);
  }
  const lastObserved = Math.max(end, summary.lastDataDay ?? end);
  const weeks = Math.min(MAX_TRACKING_WEEKS, Math.max(1, Math.floor((lastObserved - start + 1) / 7)));
  const lastEnd = start + 7 * weeks - 1;
  // E[X(d/7)] for every whole number of days d a customer can have been observed.
  const population = new Float64Array(lastEnd - start + 1);
  for (let d = 0; d < population.length; d++) population[d] = expectedPurchasesPopulation(params, d / 7);
  const cohortDays = [...cohort.keys()];

  const { day: repeatDay, count: repeatCount } = summary.repeatDays;
  const out: ValueDiagnostics["tracking"] = [];
  let counted = 0;
  let actual = 0;
  for (let week = 1; week <= weeks; week++) {
    const weekEnd = start + 7 * week - 1;
    while (counted < repeatDay.length && repeatDay[counted]! <= weekEnd) actual += repeatCount[counted++]!;
    let predicted = 0;
    for (const f of cohortDays) if (f <= weekEnd) predicted += cohort.get(f)! * population[weekEnd - f]!;
    out.push({ week, date: formatDay(weekEnd), actual, predicted, holdout: weekEnd > end });
  }
  return out;
}

/** Customers by calibration frequency x (0..6, 7+), actual against Σ_i P(X(T_i) = x). */
function frequency(summary: PurchaseSummary, params: BgNbdParams): ValueDiagnostics["frequency"] {
  const actual = new Float64Array(MAX_FREQUENCY + 1);
  const byAge = new Map<number, number>();
  for (let i = 0; i < summary.x.length; i++) {
    actual[Math.min(summary.x[i]!, MAX_FREQUENCY)]!++;
    const age = summary.calibrationEndDay - summary.firstDay[i]!;
    byAge.set(age, (byAge.get(age) ?? 0) + 1);
  }
  const predicted = new Float64Array(MAX_FREQUENCY + 1);
  for (const [age, count] of byAge) {
    let below = 0;
    for (let x = 0; x < MAX_FREQUENCY; x++) {
      const p = probabilityOfPurchases(params, age / 7, x);
      predicted[x]! += count * p;
      below += p;
    }
    predicted[MAX_FREQUENCY]! += count * Math.max(0, 1 - below);
  }
  return Array.from(actual, (n, x) => ({
    x: x === MAX_FREQUENCY ? `${MAX_FREQUENCY}+` : String(x),
    actual: n,
    predicted: predicted[x]!,
  }));
}

/** P(alive) over (x, t_x) for a customer of the median age: x up to the 99th percentile (5..20), t_x in tenths of T; null where no history fits. */
function aliveHeatmap(summary: PurchaseSummary, params: BgNbdParams): ValueDiagnostics["aliveHeatmap"] {
  const n = summary.x.length;
  const ages = Float64Array.from(summary.firstDay, (f) => summary.calibrationEndDay - f).sort();
  const xs = Float64Array.from(summary.x).sort();
  const T = n > 0 ? ages[Math.floor((n - 1) / 2)]! / 7 : 0;
  const topX = n > 0 ? Math.min(20, Math.max(5, xs[Math.floor(0.99 * (n - 1))]!)) : 5;
  const frequencies = Array.from({ length: topX + 1 }, (_, x) => x);
  const recencies = Array.from({ length: 11 }, (_, j) => Math.round(((T * j) / 10) * 10) / 10);
  // No repeat purchase means the last purchase is the first (t_x = 0), and a repeat
  // purchase means t_x > 0: those cells describe no customer and stay empty.
  const values = frequencies.map((x) =>
    recencies.map((tx) => ((x === 0) === (tx === 0) ? probabilityAlive(params, x, Math.min(tx, T), T) : null)),
  );
  return { frequencies, recencies, T, values };
}

/** "YYYY-MM-DD" of a day number, or null. */
export function dayText(day: number | null): string | null {
  return day === null ? null : formatDay(day);
}

/** Today's day number (UTC). */
export function today(now = new Date()): number {
  return Math.floor(now.getTime() / DAY_MS);
}

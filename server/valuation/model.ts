import {
  compareOnHoldout,
  DAY_MS,
  discountedExpectedPurchases,
  expectedSpendOf,
  fitGammaGamma,
  groupSpendBy,
  formatDay,
  isTooNew,
  MIN_SCORED_AGE_DAYS,
  oneTimeBuyerModel,
  predictorOf,
  probabilityOfPurchases,
  purchaseModels,
  rfmGroups,
  rfmScoresOfMany,
  type BgNbdParams,
  type GammaGammaParams,
  type HistoryGroups,
  type HoldoutData,
  type ModelComparison,
  type PurchaseModelId,
  type PurchasePredictor,
  type SpendGroups,
} from "~/server/value";
import type { PurchaseSummary } from "./summary";
import type {
  PurchaseEstimate,
  ValueDiagnostics,
  ValueFitModels,
  ValueFitPortfolio,
  ValueFitPurpose,
  ValueModelChoice,
  ValueModelComparison,
} from "./types";

// The in-memory part of a fit, on the columns of a PurchaseSummary: grouping
// into distinct histories, the model comparison on a holdout, the purchase and
// Gamma-Gamma fits, every customer's scores and RFM group, the diagnostics and
// the portfolio. The maths is server/value's; this file only feeds it typed arrays.

/** Gamma-Gamma is fitted only on at least this many repeat customers with spend; below, no CLV. */
export const MIN_REPEAT_CUSTOMERS_FOR_SPEND = 20;
export const EXPECTED_PURCHASES_WEEKS = 90 / 7;

/** A live fit compares the models only when its data span at least this many days. */
export const MIN_COMPARISON_SPAN_DAYS = 84;

export interface ScoreSettings {
  horizonWeeks: number;
  discountRate: number;
}

/**
 * Where a live fit, which uses all data, splits them to compare the models: the last quarter
 * of the days from the first purchase to the calibration end is the holdout, at least 4 and
 * at most 52 weeks. Null when the data span fewer than MIN_COMPARISON_SPAN_DAYS.
 */
export function liveComparisonSplit(
  firstDataDay: number,
  endDay: number,
): { calibrationEndDay: number; holdoutEndDay: number } | null {
  const span = endDay - firstDataDay + 1;
  if (span < MIN_COMPARISON_SPAN_DAYS) return null;
  const holdoutDays = Math.min(364, Math.max(28, Math.floor(span / 4)));
  return { calibrationEndDay: endDay - holdoutDays, holdoutEndDay: endDay };
}

/**
 * Customers grouped by identical (x, first day, last day) at the calibration end `end`, i.e. by
 * (x, t_x, T); `members` (indices, ascending) limits it to some customers, all by default.
 */
function groupByDays(
  columns: { x: ArrayLike<number>; firstDay: ArrayLike<number>; lastDay: ArrayLike<number> },
  end: number,
  members?: ArrayLike<number>,
): HistoryGroups {
  const { firstDay, lastDay, x } = columns;
  const n = members ? members.length : x.length;
  const at = (k: number) => (members ? members[k]! : k);
  let minDay = end;
  for (let k = 0; k < n; k++) minDay = Math.min(minDay, firstDay[at(k)]!);
  const span = end - minDay + 1;
  const index = new Map<number, number>();
  const groupOf = new Int32Array(n);
  const xs: number[] = [];
  const firsts: number[] = [];
  const lasts: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = at(k);
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
    groupOf[k] = g;
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

/** Customers grouped by identical (x, t_x, T), i.e. by (x, first day, last day) at one calibration end. */
export function groupSummary(summary: PurchaseSummary): HistoryGroups {
  return groupByDays(summary, summary.calibrationEndDay);
}

/** The summary's comparison split as compareOnHoldout takes it; null when the summary has none. */
export function holdoutDataOf(summary: PurchaseSummary): HoldoutData | null {
  const split = summary.comparison;
  if (!split) return null;
  const members: number[] = [];
  const cohortByFirstDay = new Map<number, number>();
  let startDay = Infinity;
  for (let i = 0; i < summary.ids.length; i++) {
    const first = summary.firstDay[i]!;
    if (first > split.calibrationEndDay) continue;
    members.push(i);
    cohortByFirstDay.set(first, (cohortByFirstDay.get(first) ?? 0) + 1);
    startDay = Math.min(startDay, first);
  }
  return {
    groups: groupByDays(
      { x: split.x, firstDay: summary.firstDay, lastDay: split.lastDay },
      split.calibrationEndDay,
      members,
    ),
    holdout: Int32Array.from(members, (i) => split.holdout[i]!),
    cohort: { cohortByFirstDay, repeatDays: split.repeatDays },
    startDay,
    calibrationEndDay: split.calibrationEndDay,
    holdoutEndDay: split.holdoutEndDay,
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

export interface FitPlan {
  purpose: ValueFitPurpose;
  modelChoice: ValueModelChoice;
}

const namedParams = (params: Record<string, number>, model: PurchaseModelId) =>
  purchaseModels[model].parameterNames.map((name) => ({ name, value: params[name]! }));

/** The comparison as stored on the fit (dates instead of day numbers, no NaN in jsonb). */
function storedComparison(comparison: ModelComparison, data: HoldoutData): ValueModelComparison {
  return {
    calibrationEnd: formatDay(data.calibrationEndDay),
    holdoutEnd: formatDay(data.holdoutEndDay),
    calibrationWeeks: comparison.calibrationWeeks,
    holdoutWeeks: comparison.holdoutWeeks,
    customers: comparison.customers,
    actualHoldout: comparison.actualHoldout,
    chosen: comparison.chosen,
    rule: comparison.rule,
    evaluations: comparison.evaluations.map((e) => ({
      model: e.model,
      name: e.name,
      params: namedParams(e.fit.params as Record<string, number>, e.model),
      logLikelihood: e.fit.logLikelihood,
      aic: e.aic,
      bic: e.bic,
      trackingError: Number.isFinite(e.trackingError) ? e.trackingError : null,
      holdoutMae: e.holdoutMae,
      predictedHoldout: e.predictedHoldout,
      converged: e.fit.converged,
      fitMs: e.fitMs,
    })),
  };
}

/**
 * The fit: the three purchase models compared on the summary's holdout split, the purchase
 * model chosen (by the comparison's rule, or the editor's choice), fitted on all the
 * summary's customers, the model for one-time buyers (server/value/scoring-rules.ts) and
 * Gamma-Gamma. A holdout check's summary ends at its calibration end, which is the
 * comparison's split: its comparison fits are the fits, not fitted again.
 */
export function fitModels(
  summary: PurchaseSummary,
  plan: FitPlan = { purpose: "live", modelChoice: "auto" },
  histories = groupSummary(summary),
): ValueFitModels {
  if (summary.ids.length === 0) throw new Error("There are no purchases on or before the calibration end.");
  const data = holdoutDataOf(summary);
  let comparison: ModelComparison | null = null;
  let unavailable = "the data span fewer than 12 weeks, too few to keep some back as a holdout";
  if (data) {
    try {
      comparison = compareOnHoldout(data);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      unavailable = error.message;
    }
  }
  const chosen: PurchaseModelId =
    plan.modelChoice === "auto" ? (comparison?.chosen ?? "bgnbd") : plan.modelChoice;
  const choiceReason =
    plan.modelChoice !== "auto"
      ? "chosen by an editor"
      : comparison
        ? `chosen automatically: ${comparison.rule}`
        : `BG/NBD, as no comparison could be made: ${unavailable}`;

  const estimate = (model: PurchaseModelId): PurchaseEstimate => {
    const compared = comparison?.evaluations.find((e) => e.model === model);
    const reused = plan.purpose === "holdout" ? compared : undefined;
    const started = performance.now();
    // A live fit starts from the comparison's estimates, fitted on most of the same data: the
    // refit then takes a few iterations (Pareto/NBD, whose gradient is taken by differences,
    // costs seconds per iteration at a million customers).
    const fit = reused?.fit ?? purchaseModels[model].fit(histories, compared?.fit.params);
    return {
      model,
      params: fit.params as Record<string, number>,
      logLikelihood: fit.logLikelihood,
      converged: fit.converged,
      iterations: fit.iterations,
      groups: fit.groups,
      fitMs: reused?.fitMs ?? performance.now() - started,
    };
  };
  const purchase = estimate(chosen);
  const oneTimeModel = oneTimeBuyerModel(chosen);
  const oneTimeBuyers = oneTimeModel === chosen ? null : estimate(oneTimeModel);

  const spend = groupSpendOf(summary);
  const gammaGamma = spend.customers >= MIN_REPEAT_CUSTOMERS_FOR_SPEND ? fitGammaGamma(spend) : null;
  return {
    purchase,
    oneTimeBuyers,
    gammaGamma: gammaGamma && {
      ...gammaGamma.params,
      logLikelihood: gammaGamma.logLikelihood,
      converged: gammaGamma.converged,
      iterations: gammaGamma.iterations,
      customers: gammaGamma.customers,
    },
    comparison: comparison && data ? storedComparison(comparison, data) : null,
    choiceReason,
  };
}

/** The purchase model of a fit; fits stored before model choice carry BG/NBD as `bgnbd`. */
export function purchaseEstimateOf(models: ValueFitModels): PurchaseEstimate {
  if (models.purchase) return models.purchase;
  if (!models.bgnbd) throw new Error("The fit has no purchase-model estimates.");
  const { r, alpha, a, b, logLikelihood, converged, iterations, groups } = models.bgnbd;
  return { model: "bgnbd", params: { r, alpha, a, b }, logLikelihood, converged, iterations, groups, fitMs: 0 };
}

/** The predictors a fit scores with: its purchase model, and the one for one-time buyers. */
export function predictorsOf(models: ValueFitModels): {
  purchase: PurchasePredictor;
  oneTimeBuyers: PurchasePredictor;
  /** BG/NBD estimates when BG/NBD is the purchase model (it alone has P(X(t) = n)). */
  bgnbd: BgNbdParams | null;
} {
  const estimate = purchaseEstimateOf(models);
  const purchase = predictorOf(purchaseModels[estimate.model], estimate.params);
  const oneTime = models.oneTimeBuyers;
  return {
    purchase,
    oneTimeBuyers: oneTime ? predictorOf(purchaseModels[oneTime.model], oneTime.params) : purchase,
    bgnbd: estimate.model === "bgnbd" ? (estimate.params as unknown as BgNbdParams) : null,
  };
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
  /** 1 for a customer too new to value (no expected spend or CLV). */
  tooNew: Uint8Array;
  /** null without a spend model; NaN for a customer too new to value. */
  expectedSpend: Float64Array | null;
  clv: Float64Array | null;
  rfm: { recency: Uint8Array; frequency: Uint8Array; monetary: Uint8Array; group: Uint8Array };
}

export { MIN_SCORED_AGE_DAYS };

/**
 * Every customer's P(alive), expected purchases over 90 days, expected spend, CLV and RFM
 * scores, by the rules of server/value/scoring-rules.ts. The purchase-model figures are
 * computed once per distinct history.
 */
export function scoreSummary(
  summary: PurchaseSummary,
  models: ValueFitModels,
  settings: ScoreSettings,
  histories = groupSummary(summary),
): CustomerScoreColumns {
  const predictors = predictorsOf(models);
  const gammaGamma = gammaGammaParams(models);
  const g = histories.x.length;
  const groupAlive = new Float64Array(g);
  const group90d = new Float64Array(g);
  const groupDiscounted = gammaGamma ? new Float64Array(g) : null;
  for (let k = 0; k < g; k++) {
    const h = { x: histories.x[k]!, tx: histories.tx[k]!, T: histories.T[k]! };
    const predictor = h.x === 0 ? predictors.oneTimeBuyers : predictors.purchase;
    groupAlive[k] = predictor.probabilityAlive(h.x, h.tx, h.T);
    group90d[k] = predictor.expectedPurchases(EXPECTED_PURCHASES_WEEKS, h.x, h.tx, h.T);
    if (groupDiscounted) groupDiscounted[k] = discountedExpectedPurchases(predictor, h, settings);
  }

  const n = summary.ids.length;
  const pAlive = new Float64Array(n);
  const expected90d = new Float64Array(n);
  const tooNew = new Uint8Array(n);
  const expectedSpend = gammaGamma ? new Float64Array(n) : null;
  const clv = gammaGamma ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const k = histories.groupOf[i]!;
    pAlive[i] = groupAlive[k]!;
    expected90d[i] = group90d[k]!;
    tooNew[i] = isTooNew(summary.firstDay[i]!, summary.calibrationEndDay) ? 1 : 0;
    if (gammaGamma && expectedSpend && clv && groupDiscounted) {
      if (tooNew[i]) {
        expectedSpend[i] = NaN;
        clv[i] = NaN;
        continue;
      }
      const x = summary.x[i]!;
      const firstSpend = summary.totalSpend[i]! - summary.repeatSpend[i]!;
      const spend = expectedSpendOf(gammaGamma, x, x > 0 ? summary.repeatSpend[i]! / x : null, firstSpend);
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
  return { pAlive, expectedPurchases90d: expected90d, tooNew, expectedSpend, clv, rfm };
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
    if (scores.clv && !scores.tooNew[i]) row.predictedValue += scores.clv[i]!;
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
  const predictors = predictorsOf(models);
  return {
    tracking: tracking(summary, predictors.purchase),
    frequency: frequency(summary, predictors.bgnbd),
    aliveHeatmap: aliveHeatmap(summary, predictors),
  };
}

/**
 * Cumulative repeat purchase days of the customers, week by week from the first purchase
 * day, against Σ over customers of E[X(t)] from each one's first purchase (FHL 2005,
 * figure 2). The end of week k is day start + 7k - 1. Weeks after the calibration end
 * (the holdout) run to the last purchase in the data, whole weeks only.
 */
function tracking(summary: PurchaseSummary, predictor: PurchasePredictor): ValueDiagnostics["tracking"] {
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
  for (let d = 0; d < population.length; d++) population[d] = predictor.expectedPurchasesPopulation(d / 7);
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

/**
 * Customers by calibration frequency x (0..6, 7+), actual against Σ_i P(X(T_i) = x); the
 * prediction only under BG/NBD, the one model here with P(X(t) = n) implemented.
 */
function frequency(summary: PurchaseSummary, params: BgNbdParams | null): ValueDiagnostics["frequency"] {
  const actual = new Float64Array(MAX_FREQUENCY + 1);
  const byAge = new Map<number, number>();
  for (let i = 0; i < summary.x.length; i++) {
    actual[Math.min(summary.x[i]!, MAX_FREQUENCY)]!++;
    const age = summary.calibrationEndDay - summary.firstDay[i]!;
    byAge.set(age, (byAge.get(age) ?? 0) + 1);
  }
  if (!params) {
    return Array.from(actual, (n, x) => ({
      x: x === MAX_FREQUENCY ? `${MAX_FREQUENCY}+` : String(x),
      actual: n,
      predicted: null,
    }));
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
function aliveHeatmap(
  summary: PurchaseSummary,
  predictors: ReturnType<typeof predictorsOf>,
): ValueDiagnostics["aliveHeatmap"] {
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
    recencies.map((tx) =>
      (x === 0) === (tx === 0)
        ? (x === 0 ? predictors.oneTimeBuyers : predictors.purchase).probabilityAlive(x, Math.min(tx, T), T)
        : null,
    ),
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

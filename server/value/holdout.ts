// Calibration/holdout checks of a fitted purchase model, as in FHL 2005 (figures 2 and 4):
// the cohort's cumulative repeat transactions week by week, actual against the model's
// E[X(t)] summed over customers from their first purchase on; and the mean holdout
// purchases of the customers grouped by their calibration frequency, actual against the
// conditional expectation E[Y(t*) | x, t_x, T].
//
// Days are counted like the summary's: the end of week k is day start + 7k - 1, and a
// customer who first bought on day f has been observed (end - f) / 7 weeks by then, so
// the end of week 39 from 1997-01-01 is 1997-09-30 and matches T.

import { predictorFor, type BgNbdParams } from "./bgnbd";
import type { PurchaseHistory } from "./history-groups";
import type { PurchasePredictor } from "./purchase-model";

export interface DatedPurchase {
  customerId: string;
  day: number;
}

/** Each customer's distinct purchase days, sorted. */
function purchaseDays(purchases: readonly DatedPurchase[]) {
  const byCustomer = new Map<string, Set<number>>();
  for (const p of purchases) {
    let days = byCustomer.get(p.customerId);
    if (!days) byCustomer.set(p.customerId, (days = new Set()));
    days.add(p.day);
  }
  return [...byCustomer.values()].map((s) => [...s].sort((a, b) => a - b));
}

export interface TrackingPoint {
  week: number;
  actual: number;
  predicted: number;
}

/**
 * Cumulative repeat transactions of the cohort at the end of weeks 1..weeks from startDay.
 * `model` is a fitted model's predictor, or BG/NBD estimates.
 */
export function cumulativeRepeatTracking(
  purchases: readonly DatedPurchase[],
  model: BgNbdParams | PurchasePredictor,
  options: { startDay: number; weeks: number },
): TrackingPoint[] {
  const cohortByFirstDay = new Map<number, number>();
  const repeatDays: number[] = [];
  for (const days of purchaseDays(purchases)) {
    cohortByFirstDay.set(days[0]!, (cohortByFirstDay.get(days[0]!) ?? 0) + 1);
    for (let i = 1; i < days.length; i++) repeatDays.push(days[i]!);
  }
  repeatDays.sort((a, b) => a - b);
  return trackCohort(
    { cohortByFirstDay, repeatDays: { day: repeatDays, count: repeatDays.map(() => 1) } },
    model,
    options,
  );
}

export interface CohortCounts {
  /** Customers by their first purchase day. */
  cohortByFirstDay: ReadonlyMap<number, number>;
  /** The cohort's repeat purchase days per day, by ascending day. */
  repeatDays: { day: ArrayLike<number>; count: ArrayLike<number> };
}

/** The tracking curve from counts already aggregated (the app's purchase summary has no per-purchase rows). */
export function trackCohort(
  cohort: CohortCounts,
  model: BgNbdParams | PurchasePredictor,
  options: { startDay: number; weeks: number },
): TrackingPoint[] {
  const predictor = predictorFor(model);
  const { day, count } = cohort.repeatDays;
  const out: TrackingPoint[] = [];
  let counted = 0;
  let actual = 0;
  for (let week = 1; week <= options.weeks; week++) {
    const endDay = options.startDay + 7 * week - 1;
    while (counted < day.length && day[counted]! <= endDay) actual += count[counted++]!;
    let predicted = 0;
    for (const [firstDay, n] of cohort.cohortByFirstDay) {
      if (firstDay <= endDay) predicted += n * predictor.expectedPurchasesPopulation((endDay - firstDay) / 7);
    }
    out.push({ week, actual, predicted });
  }
  return out;
}

export interface FrequencyBucket {
  /** Calibration repeat purchases: "0", "1", ... or "7+" for the last bucket. */
  x: string;
  customers: number;
  /** Mean repeat purchases in the holdout period. */
  actual: number;
  /** Mean E[Y(t*) | x, t_x, T] with t* the holdout length. */
  predicted: number;
}

export interface HoldoutHistory extends PurchaseHistory {
  /** Repeat purchase days after the calibration end, up to the holdout end. */
  holdout: number;
}

/**
 * Each customer's calibration history (x, t_x, T) and holdout purchases, for the customers
 * whose first purchase is on or before the calibration end.
 */
export function splitCalibrationHoldout(
  purchases: readonly DatedPurchase[],
  options: { calibrationEndDay: number; holdoutEndDay: number },
): HoldoutHistory[] {
  const { calibrationEndDay: end, holdoutEndDay } = options;
  const out: HoldoutHistory[] = [];
  for (const days of purchaseDays(purchases)) {
    const first = days[0]!;
    if (first > end) continue;
    let last = first;
    let x = 0;
    let holdout = 0;
    for (let i = 1; i < days.length; i++) {
      const d = days[i]!;
      if (d <= end) {
        x++;
        last = d;
      } else if (d <= holdoutEndDay) holdout++;
    }
    out.push({ x, tx: (last - first) / 7, T: (end - first) / 7, holdout });
  }
  return out;
}

/**
 * Mean holdout purchases by calibration frequency (0 .. maxFrequency-1, then maxFrequency+),
 * for the customers whose first purchase is on or before the calibration end.
 */
export function holdoutByFrequency(
  purchases: readonly DatedPurchase[],
  model: BgNbdParams | PurchasePredictor,
  options: { calibrationEndDay: number; holdoutEndDay: number; maxFrequency?: number },
): FrequencyBucket[] {
  const predictor = predictorFor(model);
  const top = options.maxFrequency ?? 7;
  const holdoutWeeks = (options.holdoutEndDay - options.calibrationEndDay) / 7;
  const sums = Array.from({ length: top + 1 }, () => ({ customers: 0, actual: 0, predicted: 0 }));
  for (const h of splitCalibrationHoldout(purchases, options)) {
    const bucket = sums[Math.min(h.x, top)]!;
    bucket.customers++;
    bucket.actual += h.holdout;
    bucket.predicted += predictor.expectedPurchases(holdoutWeeks, h.x, h.tx, h.T);
  }
  return sums.map((s, i) => ({
    x: i === top ? `${top}+` : String(i),
    customers: s.customers,
    actual: s.customers ? s.actual / s.customers : 0,
    predicted: s.customers ? s.predicted / s.customers : 0,
  }));
}

// RFM scores and groups. Each of recency, frequency and monetary value gets a quintile
// score from 1 (worst fifth) to 5 (best fifth), and the pair (R, FM) picks one of eight
// named groups from a segment map (docs/value-models.md shows it as a grid).
//
//   recency    weeks from the last purchase to the calibration end (T - t_x); fewer is better
//   frequency  purchase days in the calibration period (x + 1); more is better
//   monetary   total spend in the calibration period; more is better
//
// Scores come from ranks, and customers with equal values always share a score: a
// value's score is 1 + floor(5 × share of customers strictly worse than it). So the
// worst value always scores 1, and heavily tied data (60 % of customers with a single
// purchase) use fewer than five scores rather than splitting equal customers.

import { rfmGroups, type RfmGroup } from "~/db/enums";

export { rfmGroups, type RfmGroup };

export interface RfmInput {
  x: number;
  tx: number;
  T: number;
  totalSpend: number | null;
}

export interface RfmScore {
  recency: number;
  frequency: number;
  /** null without amounts. */
  monetary: number | null;
  /** round((F + M) / 2), or F without amounts. */
  frequencyMonetary: number;
  group: RfmGroup;
}

/** Quintile scores 1..5 with ties sharing a score; `higherIsBetter` orients the scale. */
export function quintileScores(values: ArrayLike<number>, higherIsBetter: boolean): Uint8Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = higherIsBetter ? 1 : -1;
  // Worst first.
  order.sort((i, j) => sign * (values[i]! - values[j]!));
  const scores = new Uint8Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const score = Math.min(5, 1 + Math.floor((5 * start) / n));
    for (let k = start; k < end; k++) scores[order[k]!] = score;
    start = end;
  }
  return scores;
}

/**
 * The segment map, first match wins (R = recency score, FM = frequency-monetary score):
 *   champions           R ≥ 4 and FM ≥ 4
 *   loyal               R ≥ 3 and FM ≥ 3
 *   new                 R ≥ 4 and FM = 1
 *   potential loyalist  R ≥ 3            (R 4-5 with FM 2, R 3 with FM 1-2)
 *   cannot lose         R ≤ 2 and FM = 5
 *   at risk             R ≤ 2 and FM 3-4
 *   hibernating         R = 2 and FM ≤ 2
 *   lost                R = 1 and FM ≤ 2
 */
export function rfmGroup(recency: number, frequencyMonetary: number): RfmGroup {
  const r = recency;
  const fm = frequencyMonetary;
  if (r >= 4 && fm >= 4) return "champions";
  if (r >= 3 && fm >= 3) return "loyal";
  if (r >= 4 && fm === 1) return "new";
  if (r >= 3) return "potential loyalist";
  if (fm === 5) return "cannot lose";
  if (fm >= 3) return "at risk";
  if (r === 2) return "hibernating";
  return "lost";
}

/** Scores and groups for a whole customer base (quintiles are relative to these customers). */
export function rfmScores(customers: readonly RfmInput[]): RfmScore[] {
  // In whole days, so that equal gaps are equal numbers whatever the float rounding of weeks.
  const recency = quintileScores(
    customers.map((c) => Math.round((c.T - c.tx) * 7)),
    false,
  );
  const frequency = quintileScores(
    customers.map((c) => c.x),
    true,
  );
  const withAmounts = customers.length > 0 && customers.every((c) => c.totalSpend !== null);
  const monetary = withAmounts
    ? quintileScores(
        customers.map((c) => c.totalSpend!),
        true,
      )
    : null;
  return customers.map((_, i) => {
    const r = recency[i]!;
    const f = frequency[i]!;
    const m = monetary ? monetary[i]! : null;
    const fm = m === null ? f : Math.round((f + m) / 2);
    return { recency: r, frequency: f, monetary: m, frequencyMonetary: fm, group: rfmGroup(r, fm) };
  });
}

/**
 * The same scores as quintileScores for large typed inputs: one numeric sort of a copy and a
 * binary search per value (the share strictly worse than a value is its rank among the
 * sorted values), instead of sorting indices with a comparator.
 */
export function quintileScoresOfMany(values: Float64Array, higherIsBetter: boolean): Uint8Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const scores = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // Strictly worse: smaller values when higher is better, larger ones otherwise.
    const worse = higherIsBetter ? lowerBound(sorted, v) : n - upperBound(sorted, v);
    scores[i] = Math.min(5, 1 + Math.floor((5 * worse) / n));
  }
  return scores;
}

function lowerBound(sorted: Float64Array, v: number) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, v: number) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * rfmScores for columns of a large customer base: recency in whole days (last purchase to
 * the calibration end), x and total spend. Group numbers index rfmGroups.
 */
export function rfmScoresOfMany(input: {
  recencyDays: Float64Array;
  x: Float64Array;
  totalSpend: Float64Array;
}) {
  const recency = quintileScoresOfMany(input.recencyDays, false);
  const frequency = quintileScoresOfMany(input.x, true);
  const monetary = quintileScoresOfMany(input.totalSpend, true);
  const group = new Uint8Array(recency.length);
  const index = new Map(rfmGroups.map((g, i) => [g, i]));
  for (let i = 0; i < recency.length; i++) {
    group[i] = index.get(rfmGroup(recency[i]!, Math.round((frequency[i]! + monetary[i]!) / 2)))!;
  }
  return { recency, frequency, monetary, group };
}

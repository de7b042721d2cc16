// Customer lifetime value over a finite horizon, and the per-customer scores (P(alive),
// expected purchases, expected spend, CLV) computed once per distinct history.
//
// The horizon is cut into monthly steps of 52/12 weeks (the last one shorter when the
// horizon is not a whole number of months). A step's expected purchases are the
// difference of the cumulative conditional expectations at its two ends; they are valued
// at the customer's expected spend and discounted from the end of the step at an annual
// rate over a 52-week year:
//
//   CLV = E[M | m̄, x] · Σ_k (E[Y(t_k) | x, t_x, T] - E[Y(t_{k-1}) | x, t_x, T]) / (1 + d)^(t_k / 52)
//
// with t_0 = 0, t_k = min(k · 52/12, horizon). This is lifetimes' customer_lifetime_value
// with its monthly discount rate replaced by the annual rate d. With d = 0 the sum
// telescopes to E[Y(horizon) | ...]: CLV = expected purchases × expected spend.

import { predictorFor, type BgNbdParams } from "./bgnbd";
import { expectedAverageSpend, type GammaGammaParams, type SpendHistory } from "./gamma-gamma";
import { groupHistories, type PurchaseHistory } from "./history-groups";
import type { PurchasePredictor } from "./purchase-model";

export const WEEKS_PER_YEAR = 52;
export const WEEKS_PER_MONTH = WEEKS_PER_YEAR / 12;

export interface ClvOptions {
  horizonWeeks: number;
  /** Annual discount rate, e.g. 0.1 for 10 % a year. */
  discountRate: number;
  /** Length of a step in weeks (default one month, 52/12). */
  stepWeeks?: number;
}

function checkOptions({ horizonWeeks, discountRate, stepWeeks = WEEKS_PER_MONTH }: ClvOptions) {
  if (!(horizonWeeks >= 0) || !Number.isFinite(horizonWeeks))
    throw new RangeError("horizonWeeks must be ≥ 0.");
  if (!(discountRate > -1) || !Number.isFinite(discountRate))
    throw new RangeError("discountRate must be > -1.");
  if (!(stepWeeks > 0)) throw new RangeError("stepWeeks must be > 0.");
  return { horizonWeeks, discountRate, stepWeeks };
}

/**
 * Σ_k ΔE[Y(t_k)] / (1+d)^(t_k/52): the discounted expected purchases of one history.
 * `model` is a fitted purchase model's predictor, or BG/NBD estimates.
 */
export function discountedExpectedPurchases(
  model: BgNbdParams | PurchasePredictor,
  history: PurchaseHistory,
  options: ClvOptions,
): number {
  const predictor = predictorFor(model);
  const { horizonWeeks, discountRate, stepWeeks } = checkOptions(options);
  const { x, tx, T } = history;
  let total = 0;
  let previous = 0;
  const steps = Math.ceil(horizonWeeks / stepWeeks - 1e-9);
  for (let k = 1; k <= steps; k++) {
    const t = Math.min(k * stepWeeks, horizonWeeks);
    const cumulative = predictor.expectedPurchases(t, x, tx, T);
    total += (cumulative - previous) / Math.pow(1 + discountRate, t / WEEKS_PER_YEAR);
    previous = cumulative;
  }
  return total;
}

/** CLV of one customer over the horizon (see the formula at the top of this file). */
export function customerLifetimeValue(
  model: BgNbdParams | PurchasePredictor,
  gammaGamma: GammaGammaParams,
  customer: PurchaseHistory & SpendHistory,
  options: ClvOptions,
): number {
  const spend = expectedAverageSpend(gammaGamma, customer.x, customer.averageRepeatSpend);
  return spend * discountedExpectedPurchases(model, customer, options);
}

export interface CustomerScores {
  pAlive: Float64Array;
  /** Expected repeat purchases over the horizon. */
  expectedPurchases: Float64Array;
  /** Expected spend per purchase; null without a spend model. */
  expectedSpend: Float64Array | null;
  /** Discounted value over the horizon; null without a spend model. */
  clv: Float64Array | null;
  /** Distinct histories the predictions were computed for. */
  groups: number;
}

/**
 * Scores every customer. P(alive), the expected purchases and the discounted expected
 * purchases depend only on (x, t_x, T), so they are computed once per distinct history
 * and the spend (which depends on m̄) is applied per customer.
 */
export function scoreCustomers(
  customers: readonly (PurchaseHistory & Partial<SpendHistory>)[],
  model: BgNbdParams | PurchasePredictor,
  gammaGamma: GammaGammaParams | null,
  options: ClvOptions,
): CustomerScores {
  const predictor = predictorFor(model);
  const opts = checkOptions(options);
  const groups = groupHistories(customers);
  const g = groups.x.length;
  const groupAlive = new Float64Array(g);
  const groupPurchases = new Float64Array(g);
  const groupDiscounted = gammaGamma ? new Float64Array(g) : null;
  for (let i = 0; i < g; i++) {
    const h = { x: groups.x[i]!, tx: groups.tx[i]!, T: groups.T[i]! };
    groupAlive[i] = predictor.probabilityAlive(h.x, h.tx, h.T);
    groupPurchases[i] = predictor.expectedPurchases(opts.horizonWeeks, h.x, h.tx, h.T);
    if (groupDiscounted) groupDiscounted[i] = discountedExpectedPurchases(predictor, h, opts);
  }

  const n = customers.length;
  const pAlive = new Float64Array(n);
  const purchases = new Float64Array(n);
  const spend = gammaGamma ? new Float64Array(n) : null;
  const clv = gammaGamma ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const k = groups.groupOf[i]!;
    pAlive[i] = groupAlive[k]!;
    purchases[i] = groupPurchases[k]!;
    if (gammaGamma && spend && clv && groupDiscounted) {
      const c = customers[i]!;
      const s = expectedAverageSpend(gammaGamma, c.x, c.averageRepeatSpend ?? null);
      spend[i] = s;
      clv[i] = s * groupDiscounted[k]!;
    }
  }
  return { pAlive, expectedPurchases: purchases, expectedSpend: spend, clv, groups: g };
}

export interface GroupTotal {
  customers: number;
  total: number;
  mean: number;
}

/** Totals of a per-customer value (e.g. CLV) by group (e.g. RFM group), largest total first. */
export function sumByGroup(values: ArrayLike<number>, groups: ArrayLike<string>): Map<string, GroupTotal> {
  if (values.length !== groups.length) throw new RangeError("values and groups differ in length.");
  const sums = new Map<string, { customers: number; total: number }>();
  for (let i = 0; i < values.length; i++) {
    const key = groups[i]!;
    let s = sums.get(key);
    if (!s) sums.set(key, (s = { customers: 0, total: 0 }));
    s.customers++;
    s.total += values[i]!;
  }
  const out = [...sums].map(([k, s]) => [k, { ...s, mean: s.total / s.customers }] as const);
  out.sort((a, b) => b[1].total - a[1].total);
  return new Map(out);
}

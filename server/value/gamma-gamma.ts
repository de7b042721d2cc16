// The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma
// Model of Monetary Value"; Colombo & Jiang 1999): a customer's transaction values are
// Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. Fitted on the customers with repeat
// purchases (x > 0) and a positive average repeat spend m̄; it assumes that spend does
// not depend on purchase frequency.

import { distinctX } from "./history-groups";
import { fitOnLogScale, type ModelFit } from "./purchase-model";
import { digamma, digammaDifference, logGamma, logGammaRatio } from "./special-functions";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendHistory {
  /** Repeat purchases. */
  x: number;
  /** Mean spend of those repeat purchases; null without amounts. */
  averageRepeatSpend: number | null;
}

/** The customers the model is fitted on, grouped by identical (x, m̄). */
export interface SpendGroups {
  x: Float64Array;
  m: Float64Array;
  count: Float64Array;
  customers: number;
  /** Customers left out: x = 0, no amount, or m̄ ≤ 0. */
  skipped: number;
}

export function groupSpend(customers: readonly SpendHistory[]): SpendGroups {
  return groupSpendBy(
    customers.length,
    (i) => customers[i]!.x,
    (i) => customers[i]!.averageRepeatSpend,
  );
}

/**
 * Groups customers 0..n-1 by identical (x, m̄), reading each one's repeat
 * purchases and average repeat spend through the accessors (so that callers
 * holding columns need not build an object per customer).
 */
export function groupSpendBy(
  n: number,
  xOf: (i: number) => number,
  averageSpendOf: (i: number) => number | null,
): SpendGroups {
  const index = new Map<number, Map<number, number>>();
  const xs: number[] = [];
  const ms: number[] = [];
  const counts: number[] = [];
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    const x = xOf(i);
    const m = averageSpendOf(i);
    if (!(x > 0) || m === null || !(m > 0) || !Number.isFinite(m)) {
      skipped++;
      continue;
    }
    let byM = index.get(x);
    if (!byM) index.set(x, (byM = new Map()));
    let g = byM.get(m);
    if (g === undefined) {
      g = xs.length;
      byM.set(m, g);
      xs.push(x);
      ms.push(m);
      counts.push(0);
    }
    counts[g]!++;
  }
  return {
    x: Float64Array.from(xs),
    m: Float64Array.from(ms),
    count: Float64Array.from(counts),
    customers: n - skipped,
    skipped,
  };
}

/** Per group: ln m̄, x·m̄, and the index of the group's x among the distinct x values. */
function prepare(groups: SpendGroups) {
  const logM = new Float64Array(groups.x.length);
  const xm = new Float64Array(groups.x.length);
  for (let i = 0; i < groups.x.length; i++) {
    logM[i] = Math.log(groups.m[i]!);
    xm[i] = groups.x[i]! * groups.m[i]!;
  }
  return { ...distinctX(groups), logM, xm };
}

type Prepared = ReturnType<typeof prepare>;

/**
 * Σ count × ln f(m̄ | x; p, q, γ), the density of the mean of x transaction values:
 *   ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln m̄ + px ln x - (px+q) ln(γ + x m̄).
 * `gradient`, when given, receives the derivatives in (ln p, ln q, ln γ).
 */
function logLikelihoodOf(
  params: GammaGammaParams,
  groups: SpendGroups,
  prep: Prepared,
  gradient?: Float64Array,
): number {
  // Written as ln Γ(px+q) − ln Γ(q) − px ln γ per x and −(px+q) log1p(x m̄ / γ) per group,
  // which equals the form above: when customers' average spends hardly differ, the maximum lies
  // at q, γ → ∞ with γ/q fixed, and there q ln γ − (px+q) ln(γ + x m̄) and ln Γ(px+q) − ln Γ(q)
  // are differences of huge numbers that rounding turns into nonsense (a log-likelihood of
  // +1e82), which BFGS then climbs. In this form every term stays finite and the likelihood
  // tends to its limit, the spend of every customer Gamma(p, q/γ).
  const { p, q, gamma } = params;
  const logGammaParam = Math.log(gamma);
  let ll = 0;
  let gP = 0;
  let gQ = 0;
  let gG = 0;
  for (let k = 0; k < prep.values.length; k++) {
    const x = prep.values[k]!;
    const c = prep.totals[k]!;
    const px = p * x;
    ll += c * (logGammaRatio(q, px) - logGamma(px) + px * (Math.log(x) - logGammaParam));
    if (gradient) {
      gP += c * x * (digamma(px + q) - digamma(px) + Math.log(x) - logGammaParam);
      gQ += c * digammaDifference(q, px);
      gG -= (c * px) / gamma;
    }
  }
  for (let i = 0; i < groups.x.length; i++) {
    const c = groups.count[i]!;
    const x = groups.x[i]!;
    const px = p * x;
    const xm = prep.xm[i]!;
    const logShare = Math.log1p(xm / gamma);
    ll += c * ((px - 1) * prep.logM[i]! - (px + q) * logShare);
    if (gradient) {
      gP += c * x * (prep.logM[i]! - logShare);
      gQ -= c * logShare;
      gG += (c * (px + q) * xm) / (gamma * (gamma + xm));
    }
  }
  if (gradient) {
    gradient[0] = p * gP;
    gradient[1] = q * gQ;
    gradient[2] = gamma * gG;
  }
  return ll;
}

export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  data: readonly SpendHistory[] | SpendGroups,
) {
  const groups = "skipped" in data ? data : groupSpend(data);
  return logLikelihoodOf(params, groups, prepare(groups));
}

/** The likelihood and its gradient in (ln p, ln q, ln γ), for the derivative tests. */
export function gammaGammaLogLikelihoodGradient(params: GammaGammaParams, data: readonly SpendHistory[]) {
  const groups = groupSpend(data);
  const gradient = new Float64Array(3);
  const value = logLikelihoodOf(params, groups, prepare(groups), gradient);
  return { value, gradient };
}

const fromLog = (theta: ArrayLike<number>): GammaGammaParams => ({
  p: Math.exp(theta[0]!),
  q: Math.exp(theta[1]!),
  gamma: Math.exp(theta[2]!),
});

/** Maximum-likelihood p, q, γ by BFGS in log-parameter space on the repeat customers. */
export function fitGammaGamma(data: readonly SpendHistory[] | SpendGroups): ModelFit<GammaGammaParams> {
  const groups = "skipped" in data ? data : groupSpend(data);
  const n = groups.customers;
  if (n === 0) throw new Error("Gamma-Gamma: no repeat customers with a positive spend to fit.");
  const prep = prepare(groups);
  let meanM = 0;
  for (let i = 0; i < groups.m.length; i++) meanM += groups.count[i]! * groups.m[i]!;
  meanM /= n;

  // Starting points on the data's spend scale: the population mean is pγ/(q-1).
  return fitOnLogScale({
    name: "Gamma-Gamma",
    customers: n,
    groups: groups.x.length,
    fromLog,
    logLikelihood: (params, gradient) => logLikelihoodOf(params, groups, prep, gradient),
    starts: [
      [0, Math.log(2), Math.log(meanM)],
      [Math.log(5), Math.log(3), Math.log((meanM * 2) / 5)],
      [0, 0, 0],
    ],
    gradientTolerance: 1e-10,
  });
}

/**
 * E[M | m̄, x] = (γ + x m̄) p / (px + q - 1): a weighted average of the population mean
 * pγ/(q-1) and the customer's own m̄, the weight on m̄ growing with x. A customer without
 * repeat purchases (or without amounts) gets the population mean. A negative m̄ (refunds)
 * counts as 0. NaN when q ≤ 1, where the population mean is infinite.
 */
export function expectedAverageSpend(params: GammaGammaParams, x: number, m: number | null): number {
  const { p, q, gamma } = params;
  if (q <= 1) return NaN;
  if (x <= 0 || m === null || !Number.isFinite(m)) return (p * gamma) / (q - 1);
  return ((gamma + x * Math.max(0, m)) * p) / (p * x + q - 1);
}

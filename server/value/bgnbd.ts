// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"):
// while alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they
// drop out with probability p ~ Beta(a, b). Fitted by maximum likelihood on the distinct
// (x, t_x, T) histories; predictions for one customer and for the population.

import { groupHistories, type HistoryGroups, type PurchaseHistory } from "./history-groups";
import { minimizeWithRestarts } from "./optimize";
import { digamma, hyp2f1, logAddExp, logBeta, logGamma } from "./special-functions";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface ModelFit<P> {
  params: P;
  logLikelihood: number;
  /** BFGS iterations over all starts. */
  iterations: number;
  /** Likelihood evaluations over all starts. */
  evaluations: number;
  converged: boolean;
  /** Customers the model was fitted on. */
  customers: number;
  /** Distinct histories the likelihood was summed over. */
  groups: number;
}

// --- Likelihood ---------------------------------------------------------------

/** Distinct x values of the groups, with each group's index into them and each x's total count. */
function distinctX(groups: HistoryGroups) {
  const position = new Map<number, number>();
  const values: number[] = [];
  const xIndex = new Int32Array(groups.x.length);
  const totals: number[] = [];
  for (let i = 0; i < groups.x.length; i++) {
    const x = groups.x[i]!;
    let k = position.get(x);
    if (k === undefined) {
      k = values.length;
      position.set(x, k);
      values.push(x);
      totals.push(0);
    }
    xIndex[i] = k;
    totals[k]! += groups.count[i]!;
  }
  return { values: Float64Array.from(values), totals: Float64Array.from(totals), xIndex };
}

type XTable = ReturnType<typeof distinctX>;

/**
 * Σ count × ln L(r, α, a, b | x, t_x, T), with
 *   L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
 *     + [x > 0] B(a+1, b+x-1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
 * summed in logs (FHL 2005 eq. 6). When `gradient` is given it receives the derivatives
 * with respect to (ln r, ln α, ln a, ln b).
 */
function logLikelihoodOf(
  params: BgNbdParams,
  groups: HistoryGroups,
  table: XTable,
  gradient?: Float64Array,
): number {
  const { r, alpha, a, b } = params;
  const logAlpha = Math.log(alpha);
  const nx = table.values.length;
  // Per distinct x: the terms that do not depend on t_x or T.
  const base = new Float64Array(nx);
  const logDrop = new Float64Array(nx); // ln(a / (b + x - 1)) for x > 0
  const dBaseR = new Float64Array(nx);
  const dBaseA = new Float64Array(nx);
  const dBaseB = new Float64Array(nx);
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  const psiR = gradient ? digamma(r) : 0;
  const psiB = gradient ? digamma(b) : 0;
  const psiAB = gradient ? digamma(a + b) : 0;
  let ll = 0;
  for (let k = 0; k < nx; k++) {
    const x = table.values[k]!;
    base[k] = logGamma(r + x) - lgR + r * logAlpha + lgAB + logGamma(b + x) - lgB - logGamma(a + b + x);
    logDrop[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
    ll += table.totals[k]! * base[k]!;
    if (gradient) {
      const psiABx = digamma(a + b + x);
      dBaseR[k] = digamma(r + x) - psiR + logAlpha;
      dBaseA[k] = psiAB - psiABx;
      dBaseB[k] = psiAB + digamma(b + x) - psiB - psiABx;
    }
  }

  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  if (gradient) {
    for (let k = 0; k < nx; k++) {
      const c = table.totals[k]!;
      gR += c * dBaseR[k]!;
      gAlpha += (c * r) / alpha;
      gA += c * dBaseA[k]!;
      gB += c * dBaseB[k]!;
    }
  }
  const n = groups.x.length;
  for (let i = 0; i < n; i++) {
    const k = table.xIndex[i]!;
    const x = groups.x[i]!;
    const c = groups.count[i]!;
    const logAT = Math.log(alpha + groups.T[i]!);
    const alive = -(r + x) * logAT;
    if (x === 0) {
      ll += c * alive;
      if (gradient) {
        gR -= c * logAT;
        gAlpha -= (c * r) / (alpha + groups.T[i]!);
      }
      continue;
    }
    const logAtx = Math.log(alpha + groups.tx[i]!);
    const dead = logDrop[k]! - (r + x) * logAtx;
    const total = logAddExp(alive, dead);
    ll += c * total;
    if (gradient) {
      const wDead = Math.exp(dead - total);
      const wAlive = 1 - wDead;
      gR -= c * (wAlive * logAT + wDead * logAtx);
      gAlpha -= c * (r + x) * (wAlive / (alpha + groups.T[i]!) + wDead / (alpha + groups.tx[i]!));
      gA += (c * wDead) / a;
      gB -= (c * wDead) / (b + x - 1);
    }
  }
  if (gradient) {
    gradient[0] = r * gR;
    gradient[1] = alpha * gAlpha;
    gradient[2] = a * gA;
    gradient[3] = b * gB;
  }
  return ll;
}

function totalCount(groups: HistoryGroups) {
  let n = 0;
  for (const c of groups.count) n += c;
  return n;
}

/** The BG/NBD log-likelihood of the customers (or of their grouped histories). */
export function bgnbdLogLikelihood(params: BgNbdParams, data: readonly PurchaseHistory[] | HistoryGroups) {
  const groups = "groupOf" in data ? data : groupHistories(data);
  return logLikelihoodOf(params, groups, distinctX(groups));
}

/**
 * The likelihood and its gradient in (ln r, ln α, ln a, ln b), for tests that check the
 * analytic derivatives against finite differences.
 */
export function bgnbdLogLikelihoodGradient(params: BgNbdParams, data: readonly PurchaseHistory[]) {
  const groups = groupHistories(data);
  const gradient = new Float64Array(4);
  const value = logLikelihoodOf(params, groups, distinctX(groups), gradient);
  return { value, gradient };
}

// --- Fitting ------------------------------------------------------------------

const fromLog = (theta: ArrayLike<number>): BgNbdParams => ({
  r: Math.exp(theta[0]!),
  alpha: Math.exp(theta[1]!),
  a: Math.exp(theta[2]!),
  b: Math.exp(theta[3]!),
});

/**
 * Maximum-likelihood estimates by BFGS in log-parameter space (so r, α, a, b stay
 * positive) from three starting points, on the distinct histories weighted by their
 * counts. Only the number of distinct histories sets the cost of an iteration.
 */
export function fitBgNbd(data: readonly PurchaseHistory[] | HistoryGroups): ModelFit<BgNbdParams> {
  const groups = "groupOf" in data ? data : groupHistories(data);
  const n = totalCount(groups);
  if (n === 0) throw new Error("BG/NBD: no customers to fit.");
  const table = distinctX(groups);
  let meanT = 0;
  for (let i = 0; i < groups.T.length; i++) meanT += groups.count[i]! * groups.T[i]!;
  meanT = Math.max(meanT / n, 1e-3);

  // The per-customer average keeps the gradient tolerance independent of the data's size.
  const objective = (theta: Float64Array, gradient: Float64Array) => {
    const ll = logLikelihoodOf(fromLog(theta), groups, table, gradient);
    for (let i = 0; i < 4; i++) gradient[i] = -gradient[i]! / n;
    return -ll / n;
  };
  const starts = [
    [0, Math.log(meanT), 0, 0],
    [Math.log(0.5), Math.log(meanT / 4), Math.log(0.5), Math.log(2)],
    [Math.log(2), Math.log(meanT * 4), Math.log(2), Math.log(0.5)],
  ];
  const result = minimizeWithRestarts(objective, starts, { gradientTolerance: 1e-10 });
  const params = fromLog(result.x);
  return {
    params,
    logLikelihood: -result.value * n,
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    customers: n,
    groups: groups.x.length,
  };
}

// --- Predictions --------------------------------------------------------------

/** P(alive at T | x, t_x, T) (Fader, Hardie & Lee 2008 note). */
export function probabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * a itself, except within 1e-6 of 1, where the expectations divide 0 by 0 (a - 1 appears
 * in a denominator whose numerator vanishes with it); there a is moved to 1 ± 1e-6, which
 * changes the result by about 1e-6 relative.
 */
function safeA(a: number) {
  const d = a - 1;
  return Math.abs(d) >= 1e-6 ? a : d >= 0 ? 1 + 1e-6 : 1 - 1e-6;
}

/**
 * E[Y(t) | x, t_x, T]: expected repeat purchases in the next t weeks (FHL 2005 eq. 10):
 *   (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))] · P(alive).
 * With z = t/(α+T+t), the 2F1 grows like (1-z)^(a-1-r-x) when r + x > a - 1, which
 * overflows for heavy buyers before the small prefactor brings it back. There Euler's
 * transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the bracket into
 * 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose 2F1 stays bounded on [0, 1).
 * Either way the series summed is the one with C - A - B ≥ 0.
 */
export function expectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = params;
  const a = safeA(params.a);
  const z = t / (alpha + T + t);
  const oneMinusZ = (alpha + T) / (alpha + T + t);
  const c = a + b + x - 1;
  const bracket =
    r + x > a - 1
      ? 1 - Math.pow(oneMinusZ, a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
      : 1 - Math.pow(oneMinusZ, r + x) * hyp2f1(r + x, b + x, c, z);
  const unconditional = (c / (a - 1)) * bracket;
  return unconditional * probabilityAlive({ ...params, a }, x, tx, T);
}

/** E[X(t)]: expected repeat purchases of a new customer in their first t weeks (FHL 2005 eq. 9). */
export function expectedPurchasesPopulation(params: BgNbdParams, t: number): number {
  return expectedPurchases(params, t, 0, 0, 0);
}

/** NBD probability P(N(t) = j) with N ~ Poisson(λt), λ ~ Gamma(r, α), in logs. */
function logNbd(r: number, logP: number, logQ: number, j: number) {
  return logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * logP + j * logQ;
}

/**
 * P(X(t) = n) for a randomly chosen new customer (FHL 2005 eq. 8):
 *   B(a, b+n)/B(a,b) · NBD(n) + [n > 0] B(a+1, b+n-1)/B(a,b) · P(NBD ≥ n),
 * where NBD(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j. The tail P(NBD ≥ n) is
 * 1 - Σ_{j<n} NBD(j) while that sum is under one half, and the sum of the terms from n on
 * beyond that, so that a small tail keeps its precision.
 */
export function probabilityOfPurchases(params: BgNbdParams, t: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) return 0;
  const { r, alpha, a, b } = params;
  if (t <= 0) return n === 0 ? 1 : 0;
  const logP = Math.log(alpha / (alpha + t));
  const logQ = Math.log(t / (alpha + t));
  const lbAB = logBeta(a, b);
  const first = Math.exp(logBeta(a, b + n) - lbAB + logNbd(r, logP, logQ, n));
  if (n === 0) return first;

  let cdf = 0;
  for (let j = 0; j < n && cdf <= 0.5; j++) cdf += Math.exp(logNbd(r, logP, logQ, j));
  let tail: number;
  if (cdf <= 0.5) tail = 1 - cdf;
  else {
    tail = 0;
    for (let j = n; j < n + 10_000_000; j++) {
      const term = Math.exp(logNbd(r, logP, logQ, j));
      tail += term;
      if (term <= 1e-17 * tail && j > n + r) break;
    }
  }
  return first + Math.exp(logBeta(a + 1, b + n - 1) - lbAB) * tail;
}

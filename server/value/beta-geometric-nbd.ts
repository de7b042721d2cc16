// The beta-geometric/NBD family shared by BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD
// (Batislam, Denizel & Filiztekin 2007): while alive a customer buys at Poisson rate
// λ ~ Gamma(r, α) and, at each chance to drop out, drops out with probability p ~ Beta(a, b).
// The two differ only in the chances: BG/NBD drops out after repeat purchases only, so a
// customer with x repeat purchases had n = x chances; MBG/NBD also after the first
// purchase, n = x + 1. Every formula below is written in n, which is why one-time buyers
// (x = 0) are certainly alive under BG/NBD and not under MBG/NBD.

import { distinctX, type HistoryGroups, type XTable } from "./history-groups";
import {
  asGroups,
  fitOnLogScale,
  meanAge,
  totalCount,
  type ModelFit,
  type PurchaseData,
  type PurchaseModel,
  type PurchaseModelId,
} from "./purchase-model";
import { digamma, hyp2f1, logAddExp, logGamma } from "./special-functions";

export interface BetaGeometricParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Drop-out chances beyond the repeat purchases: 0 for BG/NBD, 1 for MBG/NBD (the first purchase). */
export type ExtraDropoutChances = 0 | 1;

export interface BetaGeometricVariant {
  name: string;
  extraChances: ExtraDropoutChances;
}

// --- Likelihood ---------------------------------------------------------------

/**
 * Σ count × ln L(r, α, a, b | x, t_x, T), with n = x + extra drop-out chances and
 *   L = B(a, b+n)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
 *     + [n > 0] B(a+1, b+n-1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
 * summed in logs (FHL 2005 eq. 6 for n = x; lifetimes' ModifiedBetaGeoFitter for n = x + 1).
 * When `gradient` is given it receives the derivatives with respect to (ln r, ln α, ln a, ln b).
 */
function logLikelihoodOf(
  params: BetaGeometricParams,
  extra: ExtraDropoutChances,
  groups: HistoryGroups,
  table: XTable,
  gradient?: Float64Array,
): number {
  const { r, alpha, a, b } = params;
  const logAlpha = Math.log(alpha);
  const nx = table.values.length;
  // Per distinct x: the terms that do not depend on t_x or T.
  const base = new Float64Array(nx);
  const logDrop = new Float64Array(nx); // ln(a / (b + n - 1)) for n > 0
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
    const n = x + extra;
    base[k] = logGamma(r + x) - lgR + r * logAlpha + lgAB + logGamma(b + n) - lgB - logGamma(a + b + n);
    logDrop[k] = n > 0 ? Math.log(a) - Math.log(b + n - 1) : -Infinity;
    ll += table.totals[k]! * base[k]!;
    if (gradient) {
      const psiABn = digamma(a + b + n);
      dBaseR[k] = digamma(r + x) - psiR + logAlpha;
      dBaseA[k] = psiAB - psiABn;
      dBaseB[k] = psiAB + digamma(b + n) - psiB - psiABn;
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
  const groupCount = groups.x.length;
  for (let i = 0; i < groupCount; i++) {
    const k = table.xIndex[i]!;
    const x = groups.x[i]!;
    const n = x + extra;
    const c = groups.count[i]!;
    const logAT = Math.log(alpha + groups.T[i]!);
    const alive = -(r + x) * logAT;
    if (n === 0) {
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
      gB -= (c * wDead) / (b + n - 1);
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

export function betaGeometricLogLikelihood(
  variant: BetaGeometricVariant,
  params: BetaGeometricParams,
  data: PurchaseData,
) {
  const groups = asGroups(data);
  return logLikelihoodOf(params, variant.extraChances, groups, distinctX(groups));
}

/** The likelihood and its gradient in (ln r, ln α, ln a, ln b), for tests against finite differences. */
export function betaGeometricLogLikelihoodGradient(
  variant: BetaGeometricVariant,
  params: BetaGeometricParams,
  data: PurchaseData,
) {
  const groups = asGroups(data);
  const gradient = new Float64Array(4);
  const value = logLikelihoodOf(params, variant.extraChances, groups, distinctX(groups), gradient);
  return { value, gradient };
}

// --- Fitting ------------------------------------------------------------------

const fromLog = (theta: ArrayLike<number>): BetaGeometricParams => ({
  r: Math.exp(theta[0]!),
  alpha: Math.exp(theta[1]!),
  a: Math.exp(theta[2]!),
  b: Math.exp(theta[3]!),
});

/**
 * Maximum-likelihood estimates with analytic gradients, from three starting points, on the
 * distinct histories weighted by their counts. Only the number of distinct histories sets
 * the cost of an iteration.
 */
export function fitBetaGeometric(
  variant: BetaGeometricVariant,
  data: PurchaseData,
  start?: BetaGeometricParams,
): ModelFit<BetaGeometricParams> {
  const groups = asGroups(data);
  const table = distinctX(groups);
  const meanT = meanAge(groups);
  return fitOnLogScale({
    name: variant.name,
    customers: totalCount(groups),
    groups: groups.x.length,
    fromLog,
    logLikelihood: (params, gradient) =>
      logLikelihoodOf(params, variant.extraChances, groups, table, gradient),
    starts: [
      [0, Math.log(meanT), 0, 0],
      [Math.log(0.5), Math.log(meanT / 4), Math.log(0.5), Math.log(2)],
      [Math.log(2), Math.log(meanT * 4), Math.log(2), Math.log(0.5)],
    ],
    start: start && [start.r, start.alpha, start.a, start.b],
    gradientTolerance: 1e-10,
  });
}

// --- Predictions --------------------------------------------------------------

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + [n > 0] a/(b+n-1) · ((α+T)/(α+t_x))^(r+x))
 * (Fader, Hardie & Lee 2008 note for n = x).
 */
export function betaGeometricProbabilityAlive(
  variant: BetaGeometricVariant,
  params: BetaGeometricParams,
  x: number,
  tx: number,
  T: number,
): number {
  const n = x + variant.extraChances;
  if (n === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + n - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
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
 * E[Y(t) | x, t_x, T]: expected repeat purchases in the next t weeks (FHL 2005 eq. 10 for
 * n = x; lifetimes' ModifiedBetaGeoFitter for n = x + 1):
 *   (a+b+n-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+n; a+b+n-1; t/(α+T+t))] · P(alive).
 * With z = t/(α+T+t), the 2F1 grows like (1-z)^(a-1-r-x) when r + x > a - 1, which
 * overflows for heavy buyers before the small prefactor brings it back. There Euler's
 * transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the bracket into
 * 1 - (1-z)^(a-1) 2F1(a+b+n-1-r-x, a-1; a+b+n-1; z), whose 2F1 stays bounded on [0, 1).
 * Either way the series summed is the one with C - A - B ≥ 0.
 */
export function betaGeometricExpectedPurchases(
  variant: BetaGeometricVariant,
  params: BetaGeometricParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = params;
  const a = safeA(params.a);
  const n = x + variant.extraChances;
  const z = t / (alpha + T + t);
  const oneMinusZ = (alpha + T) / (alpha + T + t);
  const c = a + b + n - 1;
  const bracket =
    r + x > a - 1
      ? 1 - Math.pow(oneMinusZ, a - 1) * hyp2f1(c - r - x, a - 1, c, z)
      : 1 - Math.pow(oneMinusZ, r + x) * hyp2f1(r + x, b + n, c, z);
  const unconditional = (c / (a - 1)) * bracket;
  return unconditional * betaGeometricProbabilityAlive(variant, { ...params, a }, x, tx, T);
}

/**
 * A member of the family as a PurchaseModel, with the likelihood's gradient in
 * (ln r, ln α, ln a, ln b) for the tests that check it against finite differences.
 */
export function betaGeometricModel(id: PurchaseModelId, variant: BetaGeometricVariant) {
  return {
    id,
    name: variant.name,
    parameterNames: ["r", "alpha", "a", "b"],
    logLikelihood: (params, data) => betaGeometricLogLikelihood(variant, params, data),
    logLikelihoodGradient: (params: BetaGeometricParams, data: PurchaseData) =>
      betaGeometricLogLikelihoodGradient(variant, params, data),
    fit: (data: PurchaseData, start?: BetaGeometricParams) => fitBetaGeometric(variant, data, start),
    probabilityAlive: (params, x, tx, T) => betaGeometricProbabilityAlive(variant, params, x, tx, T),
    expectedPurchases: (params, t, x, tx, T) => betaGeometricExpectedPurchases(variant, params, t, x, tx, T),
    // A new customer: no purchase and no time yet beyond the first purchase.
    expectedPurchasesPopulation: (params, t) => betaGeometricExpectedPurchases(variant, params, t, 0, 0, 0),
  } satisfies PurchaseModel<BetaGeometricParams> & { logLikelihoodGradient: unknown };
}

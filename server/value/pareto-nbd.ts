// The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), fitted as in Fader, Hardie
// & Lee (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions": while
// alive a customer buys at Poisson rate λ ~ Gamma(r, α); their lifetime is exponential with
// rate μ ~ Gamma(s, β), so they can drop out at any moment, not only after a purchase.

import { distinctX, type HistoryGroups } from "./history-groups";
import {
  asGroups,
  fitOnLogScale,
  meanAge,
  totalCount,
  type ModelFit,
  type PurchaseData,
  type PurchaseModel,
} from "./purchase-model";
import { hyp2f1WithGradient, type Hyp2f1WithGradient } from "./hyp2f1-gradient";
import { digammaDifference, hyp2f1, logAddExp, logGamma } from "./special-functions";

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

// --- Likelihood ---------------------------------------------------------------

/**
 * ln A₀ of the FHL note, A₀ = F(t_x) - F(T) with, for α ≥ β,
 *   F(y) = 2F1(r+s+x, s+1; r+s+x+1; (α-β)/(α+y)) / (α+y)^(r+s+x)
 * and for α < β
 *   F(y) = 2F1(r+s+x, r+x; r+s+x+1; (β-α)/(β+y)) / (β+y)^(r+s+x).
 * The branch keeps the argument z in [0, 1). Each F is taken in logs through Euler's
 * transformation 2F1(A, B; A+1; z) = (1-z)^(1-B) 2F1(1, A+1-B; A+1; z), whose series
 * stays bounded where the original one grows like (1-z)^(1-B) for heavy buyers; with
 * 1 - z = (min(α,β)+y)/(max(α,β)+y) that factor is a ratio of sums, exact for any y.
 * F is decreasing in y (s·A₀/(r+s+x) is the integral over (t_x, T) of a positive
 * function), so A₀ = F(t_x)(1 - F(T)/F(t_x)) is taken with expm1, and t_x = T gives ln 0.
 */
export function logA0(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  if (tx >= T) return -Infinity;
  return logA0From(logF(params, x, tx), logF(params, x, T));
}

/**
 * ln F(y) of logA0's comment. With `partials`, it also writes at partials[at..at+3] the
 * derivatives in (r, α, s, β) of ln F(y) + r ln α + s ln β: the likelihood multiplies A₀ by
 * α^r β^s, and folding those logs in here lets ln α - ln(α+y) and ln β - ln(β+y) be taken
 * as -log1p(y/α) and -log1p(y/β), which keep their digits when s and β run to 1e8.
 */
function logF(params: ParetoNbdParams, x: number, y: number, partials?: Float64Array, at = 0) {
  const { r, alpha, s, beta } = params;
  const rsx = r + s + x;
  const small = Math.min(alpha, beta);
  const large = Math.max(alpha, beta);
  const B = alpha >= beta ? s + 1 : r + x;
  const z = (large - small) / (large + y);
  const h = partials ? hyp2f1WithGradient(1, rsx + 1 - B, rsx + 1, z) : undefined;
  const logF =
    (1 - B) * (Math.log(small + y) - Math.log(large + y)) +
    Math.log(h ? h.value : hyp2f1(1, rsx + 1 - B, rsx + 1, z)) -
    rsx * Math.log(large + y);
  if (partials && h) writeLogFPartials(params, x, y, h, partials, at);
  return logF;
}

/**
 * The chain rule for logF's partials. With H = 2F1(1, b; c; z), b = r+s+x+1-B, c = r+s+x+1,
 * and hb, hc, hz its logarithmic partials, the terms in B, r+s+x and ln(large+y) collapse to:
 *   α ≥ β (B = s+1, z = (α-β)/(α+y)):
 *     ∂r = hb + hc - log1p(y/α),   ∂s = hc - log1p(y/β),
 *     ∂α = hz (β+y)/(α+y)² + r/α - (r+x)/(α+y),   ∂β = s/β - s/(β+y) - hz/(α+y);
 *   α < β (B = r+x, z = (β-α)/(β+y)):
 *     ∂r = hc - log1p(y/α),   ∂s = hb + hc - log1p(y/β),
 *     ∂α = r/α - (r+x-1)/(α+y) - hz/(β+y),   ∂β = hz (α+y)/(β+y)² + s/β - (s+1)/(β+y).
 */
function writeLogFPartials(
  { r, alpha, s, beta }: ParetoNbdParams,
  x: number,
  y: number,
  h: Hyp2f1WithGradient,
  partials: Float64Array,
  at: number,
) {
  const hb = h.db / h.value;
  const hc = h.dc / h.value;
  const hz = h.dz / h.value;
  const alphaY = alpha + y;
  const betaY = beta + y;
  const growthAlpha = Math.log1p(y / alpha);
  const growthBeta = Math.log1p(y / beta);
  if (alpha >= beta) {
    partials[at] = hb + hc - growthAlpha;
    partials[at + 1] = (hz * betaY) / (alphaY * alphaY) + (r * y - x * alpha) / (alpha * alphaY);
    partials[at + 2] = hc - growthBeta;
    partials[at + 3] = (s * y) / (beta * betaY) - hz / alphaY;
  } else {
    partials[at] = hc - growthAlpha;
    partials[at + 1] = (r * y - x * alpha) / (alpha * alphaY) + 1 / alphaY - hz / betaY;
    partials[at + 2] = hb + hc - growthBeta;
    partials[at + 3] = (hz * alphaY) / (betaY * betaY) + (s * y) / (beta * betaY) - 1 / betaY;
  }
}

const logA0From = (atTx: number, atT: number) =>
  atT >= atTx ? -Infinity : atTx + Math.log(-Math.expm1(atT - atTx));

/** ln of the two terms of the likelihood's bracket: alive at T, and dropped out in (t_x, T). */
function bracketTerms(params: ParetoNbdParams, x: number, T: number, logA0: number) {
  const { r, alpha, s, beta } = params;
  return {
    alive: aliveTerm(params, x, Math.log(alpha + T), Math.log(beta + T)),
    dead: deadTerm(Math.log(s), Math.log(r + s + x), logA0),
  };
}

/** ln of alive at T, from ln(α+T) and ln(β+T), which the likelihood takes once per distinct T. */
const aliveTerm = ({ r, s }: ParetoNbdParams, x: number, logAlphaT: number, logBetaT: number) =>
  -(r + x) * logAlphaT - s * logBetaT;

/** ln of dropped out in (t_x, T): ln s - ln(r+s+x) + ln A₀. */
const deadTerm = (logS: number, logRSX: number, logA0: number) => logS - logRSX + logA0;

/**
 * What the likelihood needs of the data, whatever the parameters: the distinct x, and the
 * distinct (x, y) at which F is taken (y = t_x or T). Histories share them: customers who
 * started on the same day share T, all one-time buyers t_x = 0. Built once per fit, so an
 * evaluation is two passes over flat arrays (one ln F per pair, then one term per history)
 * rather than a lookup table built again for every evaluation.
 */
function preparePairs(groups: HistoryGroups) {
  const xs = distinctX(groups);
  const position = new Map<number, Map<number, number>>();
  const pairX: number[] = [];
  const pairY: number[] = [];
  const pairOf = (x: number, y: number) => {
    let byY = position.get(x);
    if (!byY) position.set(x, (byY = new Map()));
    let k = byY.get(y);
    if (k === undefined) {
      k = pairX.length;
      byY.set(y, k);
      pairX.push(x);
      pairY.push(y);
    }
    return k;
  };
  const atTx = new Int32Array(groups.x.length);
  const atT = new Int32Array(groups.x.length);
  // The distinct T, whose logs the alive term takes: far fewer than histories (days of first purchase).
  const tPosition = new Map<number, number>();
  const tValues: number[] = [];
  const tIndex = new Int32Array(groups.x.length);
  for (let i = 0; i < groups.x.length; i++) {
    const x = groups.x[i]!;
    const T = groups.T[i]!;
    atT[i] = pairOf(x, T);
    // t_x = T makes A₀ = 0 without F(t_x).
    atTx[i] = groups.tx[i]! < T ? pairOf(x, groups.tx[i]!) : -1;
    let k = tPosition.get(T);
    if (k === undefined) {
      k = tValues.length;
      tPosition.set(T, k);
      tValues.push(T);
    }
    tIndex[i] = k;
  }
  return {
    xs,
    pairX: Float64Array.from(pairX),
    pairY: Float64Array.from(pairY),
    atTx,
    atT,
    tValues: Float64Array.from(tValues),
    tIndex,
  };
}

type Pairs = ReturnType<typeof preparePairs>;

/**
 * Σ count × ln L(r, α, s, β | x, t_x, T), with
 *   L = Γ(r+x) α^r β^s / Γ(r) · [1/((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀],
 * the bracket's two terms (alive at T, and dropped out in (t_x, T)) added in logs.
 * When `gradient` is given it receives the derivatives with respect to (ln r, ln α, ln s, ln β).
 */
function logLikelihoodOf(
  params: ParetoNbdParams,
  groups: HistoryGroups,
  pairs: Pairs,
  gradient?: Float64Array,
): number {
  const { r, alpha, s, beta } = params;
  const common = -logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const { xs, pairX, pairY, atTx, atT } = pairs;
  const logGammaRX = new Float64Array(xs.values.length);
  for (let k = 0; k < xs.values.length; k++) logGammaRX[k] = logGamma(r + xs.values[k]!);
  const logFs = new Float64Array(pairX.length);
  // Four partials per pair, taken once and shared by every history at that pair.
  const partials = gradient ? new Float64Array(4 * pairX.length) : undefined;
  for (let k = 0; k < pairX.length; k++) logFs[k] = logF(params, pairX[k]!, pairY[k]!, partials, 4 * k);
  // What bracketTerms takes per history, taken here per distinct x and T (the hot loop below
  // runs over every history at every evaluation): ln(r+s+x), ln(1 + T/α) and ln(1 + T/β).
  const logRSX = new Float64Array(xs.values.length);
  for (let k = 0; k < xs.values.length; k++) logRSX[k] = Math.log(r + s + xs.values[k]!);
  const { tValues, tIndex } = pairs;
  const growthAlpha = new Float64Array(tValues.length);
  const growthBeta = new Float64Array(tValues.length);
  for (let k = 0; k < tValues.length; k++) {
    growthAlpha[k] = Math.log1p(tValues[k]! / alpha);
    growthBeta[k] = Math.log1p(tValues[k]! / beta);
  }
  const logAlpha = Math.log(alpha);
  const logBeta = Math.log(beta);
  const logS = Math.log(s);
  const sums = gradient ? { r: 0, alpha: 0, s: 0, beta: 0 } : undefined;
  let ll = 0;
  for (let i = 0; i < groups.x.length; i++) {
    const logA0 = atTx[i]! < 0 ? -Infinity : logA0From(logFs[atTx[i]!]!, logFs[atT[i]!]!);
    const x = groups.x[i]!;
    const t = tIndex[i]!;
    // ln(α+T) = ln α + ln(1 + T/α), and the same in β.
    const alive = aliveTerm(params, x, logAlpha + growthAlpha[t]!, logBeta + growthBeta[t]!);
    const dead = deadTerm(logS, logRSX[xs.xIndex[i]!]!, logA0);
    const bracket = logAddExp(alive, dead);
    ll += groups.count[i]! * (logGammaRX[xs.xIndex[i]!]! + common + bracket);
    if (sums && partials) {
      addBracketGradient(
        sums,
        params,
        groups,
        i,
        pairs,
        logFs,
        partials,
        alive,
        dead,
        bracket,
        growthAlpha[t]!,
        growthBeta[t]!,
      );
    }
  }
  if (gradient && sums) {
    // Γ(r+x)/Γ(r): ψ(r+x) - ψ(r), once per distinct x.
    for (let k = 0; k < xs.values.length; k++) sums.r += xs.totals[k]! * digammaDifference(r, xs.values[k]!);
    gradient[0] = r * sums.r;
    gradient[1] = alpha * sums.alpha;
    gradient[2] = s * sums.s;
    gradient[3] = beta * sums.beta;
  }
  return ll;
}

/**
 * Adds to `sums` one history's count × ∂/∂(r, α, s, β) of ln α^r β^s [alive + dead]. The
 * derivative of a log-sum is the terms' derivatives weighted by their shares of it. The
 * α^r β^s goes inside the bracket so that, alive, ln α - ln(α+T) is -log1p(T/α) (and the
 * same in β); dead, it is already in logF's partials. ln A₀ = ln F(t_x) + ln(1 - e^Δ) with
 * Δ = ln F(T) - ln F(t_x) < 0, so ∂ ln A₀ = (∂ ln F(t_x) - e^Δ ∂ ln F(T)) / (1 - e^Δ).
 */
function addBracketGradient(
  sums: ParetoNbdParams,
  { r, alpha, s, beta }: ParetoNbdParams,
  groups: HistoryGroups,
  i: number,
  pairs: Pairs,
  logFs: Float64Array,
  partials: Float64Array,
  alive: number,
  dead: number,
  bracket: number,
  growthAlpha: number,
  growthBeta: number,
) {
  const x = groups.x[i]!;
  const T = groups.T[i]!;
  const count = groups.count[i]!;
  const aliveShare = count * Math.exp(alive - bracket);
  // growthAlpha = ln(1 + T/α), growthBeta = ln(1 + T/β), taken once per distinct T.
  sums.r -= aliveShare * growthAlpha;
  sums.alpha += (aliveShare * (r * T - x * alpha)) / (alpha * (alpha + T));
  sums.s -= aliveShare * growthBeta;
  sums.beta += (aliveShare * s * T) / (beta * (beta + T));
  const deadShare = count * Math.exp(dead - bracket);
  if (!(deadShare > 0)) return;
  const atTx = pairs.atTx[i]!;
  const atT = pairs.atT[i]!;
  const delta = logFs[atT]! - logFs[atTx]!;
  const ratio = Math.exp(delta);
  const scale = deadShare / -Math.expm1(delta);
  const tx4 = 4 * atTx;
  const t4 = 4 * atT;
  // ln s - ln(r+s+x) + ln A₀
  const rsx = r + s + x;
  sums.r += scale * (partials[tx4]! - ratio * partials[t4]!) - deadShare / rsx;
  sums.alpha += scale * (partials[tx4 + 1]! - ratio * partials[t4 + 1]!);
  sums.s += scale * (partials[tx4 + 2]! - ratio * partials[t4 + 2]!) + deadShare * (1 / s - 1 / rsx);
  sums.beta += scale * (partials[tx4 + 3]! - ratio * partials[t4 + 3]!);
}

export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: PurchaseData) {
  const groups = asGroups(data);
  return logLikelihoodOf(params, groups, preparePairs(groups));
}

/** The likelihood and its gradient in (ln r, ln α, ln s, ln β), for tests against finite differences. */
export function paretoNbdLogLikelihoodGradient(params: ParetoNbdParams, data: PurchaseData) {
  const groups = asGroups(data);
  const gradient = new Float64Array(4);
  const value = logLikelihoodOf(params, groups, preparePairs(groups), gradient);
  return { value, gradient };
}

// --- Fitting ------------------------------------------------------------------

/**
 * The largest parameter the fit tries. Data with little spread in the dropout rate send s and β
 * to infinity together (a gamma of huge shape is one rate); past about 1e8, s·ln β and the
 * bracket's s·ln(β+T) cancel in floating point and the log-likelihood comes out as rounding noise,
 * even 0, which the optimiser would take for the best fit. At 1e8 the gamma is one rate already.
 */
const MAX_PARAMETER = 1e8;

const withinRange = ({ r, alpha, s, beta }: ParetoNbdParams) =>
  r <= MAX_PARAMETER && alpha <= MAX_PARAMETER && s <= MAX_PARAMETER && beta <= MAX_PARAMETER;

const fromLog = (theta: ArrayLike<number>): ParetoNbdParams => ({
  r: Math.exp(theta[0]!),
  alpha: Math.exp(theta[1]!),
  s: Math.exp(theta[2]!),
  beta: Math.exp(theta[3]!),
});

/**
 * Maximum-likelihood estimates by BFGS on the logs of the parameters, from three starting
 * points, with the likelihood's analytic gradient (2F1's partials in its parameters from
 * hyp2f1WithGradient): one likelihood evaluation a gradient, where five-point differences
 * would take 17.
 */
export function fitParetoNbd(data: PurchaseData, start?: ParetoNbdParams): ModelFit<ParetoNbdParams> {
  const groups = asGroups(data);
  const pairs = preparePairs(groups);
  const meanT = meanAge(groups);
  return fitOnLogScale({
    name: "Pareto/NBD",
    customers: totalCount(groups),
    groups: groups.x.length,
    fromLog,
    logLikelihood: (params, gradient) =>
      withinRange(params) ? logLikelihoodOf(params, groups, pairs, gradient) : -Infinity,
    starts: [
      [0, Math.log(meanT), 0, Math.log(meanT)],
      [Math.log(0.5), Math.log(meanT / 4), Math.log(0.5), Math.log(meanT / 4)],
      [Math.log(2), Math.log(meanT * 4), Math.log(2), Math.log(meanT * 4)],
    ],
    start: start && [start.r, start.alpha, start.s, start.beta],
    gradientTolerance: 1e-10,
  });
}

// --- Predictions --------------------------------------------------------------

/** P(alive at T | x, t_x, T): the first term of the likelihood's bracket over the whole (FHL note). */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number) {
  if (last.params === params && last.x === x && last.tx === tx && last.T === T) return last.alive;
  const { alive, dead } = bracketTerms(params, x, T, tx >= T ? -Infinity : logA0(params, x, tx, T));
  last = { params, x, tx, T, alive: Math.exp(alive - logAddExp(alive, dead)) };
  return last.alive;
}

/**
 * The last P(alive) taken. Scoring asks for a history's P(alive), then its expected purchases at
 * each step of the CLV horizon, each of which is P(alive) times a closed form: with the ₂F₁s of
 * P(alive) the costly part, the repeats are answered from here. Keyed on the parameters' object,
 * which a fit's predictions share and nothing changes.
 */
let last: { params: ParetoNbdParams | null; x: number; tx: number; T: number; alive: number } = {
  params: null,
  x: NaN,
  tx: NaN,
  T: NaN,
  alive: NaN,
};

/**
 * [1 - (1+u)^-(s-1)] / (s-1), which tends to ln(1+u) as s → 1, where the expectations'
 * closed form divides 0 by 0; expm1 and log1p keep it exact near there.
 */
function lifetimeFactor(s: number, u: number) {
  const d = s - 1;
  const logGrowth = Math.log1p(u);
  return d === 0 ? logGrowth : -Math.expm1(-d * logGrowth) / d;
}

/**
 * E[Y(t) | x, t_x, T] (FHL note):
 *   (r+x)(β+T) / ((α+T)(s-1)) · [1 - ((β+T)/(β+T+t))^(s-1)] · P(alive).
 */
export function paretoNbdExpectedPurchases(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
) {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  const rate = (r + x) / (alpha + T);
  return rate * (beta + T) * lifetimeFactor(s, t / (beta + T)) * paretoNbdProbabilityAlive(params, x, tx, T);
}

/**
 * E[X(t)] = rβ / (α(s-1)) · [1 - (β/(β+t))^(s-1)] (FHL note): the conditional
 * expectation at x = t_x = T = 0, where P(alive) = 1. It needs no 2F1.
 */
export function paretoNbdExpectedPurchasesPopulation(params: ParetoNbdParams, t: number) {
  return paretoNbdExpectedPurchases(params, t, 0, 0, 0);
}

export const paretoNbdModel: PurchaseModel<ParetoNbdParams> = {
  id: "pnbd",
  name: "Pareto/NBD",
  parameterNames: ["r", "alpha", "s", "beta"],
  logLikelihood: paretoNbdLogLikelihood,
  fit: fitParetoNbd,
  probabilityAlive: paretoNbdProbabilityAlive,
  expectedPurchases: paretoNbdExpectedPurchases,
  expectedPurchasesPopulation: paretoNbdExpectedPurchasesPopulation,
};

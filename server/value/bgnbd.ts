// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"):
// while alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they
// drop out with probability p ~ Beta(a, b). Fitted by maximum likelihood on the distinct
// (x, t_x, T) histories; predictions for one customer and for the population. The
// likelihood and predictions are those of the beta-geometric family
// (beta-geometric-nbd.ts), with drop-out after repeat purchases only.

import { betaGeometricModel, type BetaGeometricParams } from "./beta-geometric-nbd";
import { predictorOf, type PurchasePredictor } from "./purchase-model";
import { logBeta, logGamma } from "./special-functions";

export type { ModelFit } from "./purchase-model";

export type BgNbdParams = BetaGeometricParams;

export const bgnbdModel = betaGeometricModel("bgnbd", { name: "BG/NBD", extraChances: 0 });

/** The BG/NBD log-likelihood of the customers (or of their grouped histories), FHL 2005 eq. 6. */
export const bgnbdLogLikelihood = bgnbdModel.logLikelihood;

/** The likelihood and its gradient in (ln r, ln α, ln a, ln b). */
export const bgnbdLogLikelihoodGradient = bgnbdModel.logLikelihoodGradient;

/** Maximum-likelihood estimates (see fitBetaGeometric). */
export const fitBgNbd = bgnbdModel.fit;

/** P(alive at T | x, t_x, T) (Fader, Hardie & Lee 2008 note); 1 when x = 0. */
export const probabilityAlive = bgnbdModel.probabilityAlive;

/** E[Y(t) | x, t_x, T]: expected repeat purchases in the next t weeks (FHL 2005 eq. 10). */
export const expectedPurchases = bgnbdModel.expectedPurchases;

/** E[X(t)]: expected repeat purchases of a new customer in their first t weeks (FHL 2005 eq. 9). */
export const expectedPurchasesPopulation = bgnbdModel.expectedPurchasesPopulation;

/**
 * The predictor of a fitted model, or of BG/NBD for bare BG/NBD estimates (what callers
 * passed before there was a choice of model).
 */
export function predictorFor(model: BgNbdParams | PurchasePredictor): PurchasePredictor {
  return "expectedPurchases" in model ? model : predictorOf(bgnbdModel, model);
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

// The MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
// comparison of models for customer base analysis"), as lifetimes' ModifiedBetaGeoFitter
// computes it: BG/NBD with one more chance to drop out, right after the first purchase.
// So a customer who never came back may be gone (P(alive) < 1 for x = 0), where BG/NBD
// holds them certainly alive and over-forecasts the many one-time buyers. The formulas
// are those of the beta-geometric family (beta-geometric-nbd.ts) with n = x + 1.

import { betaGeometricModel, type BetaGeometricParams } from "./beta-geometric-nbd";

export type MbgNbdParams = BetaGeometricParams;

export const mbgnbdModel = betaGeometricModel("mbgnbd", { name: "MBG/NBD", extraChances: 1 });

/**
 * Σ ln L with L = Γ(r+x) α^r/Γ(r) · B(a, b+x+1)/B(a, b) · [(α+T)^-(r+x) + a/(b+x) (α+t_x)^-(r+x)].
 */
export const mbgnbdLogLikelihood = mbgnbdModel.logLikelihood;

/** The likelihood and its gradient in (ln r, ln α, ln a, ln b). */
export const mbgnbdLogLikelihoodGradient = mbgnbdModel.logLikelihoodGradient;

export const fitMbgNbd = mbgnbdModel.fit;

/** P(alive) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), below 1 also for x = 0. */
export const mbgnbdProbabilityAlive = mbgnbdModel.probabilityAlive;

/**
 * E[Y(t) | x, t_x, T] = (a+b+x)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive).
 */
export const mbgnbdExpectedPurchases = mbgnbdModel.expectedPurchases;

/**
 * E[X(t)] = b/(a-1) · [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]: the conditional
 * expectation at x = t_x = T = 0, where P(alive) = b/(a+b) (the first drop-out chance).
 */
export const mbgnbdExpectedPurchasesPopulation = mbgnbdModel.expectedPurchasesPopulation;

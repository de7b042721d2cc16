import { describe, expect, it } from "vitest";
import { fitBgNbd, probabilityAlive } from "./bgnbd";
import { cdnowCalibrationSummary } from "./cdnow";
import {
  fitMbgNbd,
  mbgnbdExpectedPurchases,
  mbgnbdExpectedPurchasesPopulation,
  mbgnbdLogLikelihood,
  mbgnbdLogLikelihoodGradient,
  mbgnbdProbabilityAlive,
  type MbgNbdParams,
} from "./mbgnbd";
import { integrateHalfLine, integrateUnit } from "./quadrature";
import { hyp2f1, logBeta, logGamma } from "./special-functions";

const cdnow = cdnowCalibrationSummary();

describe("MBG/NBD on the CDNOW sample", () => {
  const fit = fitMbgNbd(cdnow);

  it("finds the maximum SciPy finds (scripts/value/scipy-check.py)", () => {
    // Nelder-Mead then BFGS on lifetimes' ModifiedBetaGeoFitter likelihood, written in NumPy:
    // r 0.524843, α 6.183085, a 0.891359, b 1.614003, LL -9582.135716.
    expect(fit.converged).toBe(true);
    expect(fit.params.r).toBeCloseTo(0.524843, 5);
    expect(fit.params.alpha).toBeCloseTo(6.183085, 4);
    expect(fit.params.a).toBeCloseTo(0.891359, 5);
    expect(fit.params.b).toBeCloseTo(1.614003, 5);
    expect(fit.logLikelihood).toBeCloseTo(-9582.135716, 5);
  });

  it("gives the predictions SciPy's hyp2f1 gives at those estimates", () => {
    const cases = [
      [0, 0, 38.857, 0.38972348, 0.153966626],
      [2, 30.429, 38.857, 0.706146296, 1.262776141],
      [10, 35, 38.857, 0.835480753, 5.880103773],
    ] as const;
    for (const [x, tx, T, alive, expected] of cases) {
      expect(mbgnbdProbabilityAlive(fit.params, x, tx, T)).toBeCloseTo(alive, 6);
      expect(mbgnbdExpectedPurchases(fit.params, 39, x, tx, T)).toBeCloseTo(expected, 5);
    }
  });

  it("holds one-time buyers possibly gone, where BG/NBD holds them alive", () => {
    const bgnbd = fitBgNbd(cdnow).params;
    expect(probabilityAlive(bgnbd, 0, 0, 38.857)).toBe(1);
    expect(mbgnbdProbabilityAlive(fit.params, 0, 0, 38.857)).toBeLessThan(0.5);
  });
});

// The model's definition, integrated numerically: λ ~ Gamma(r, α), p ~ Beta(a, b); a
// customer drops out with probability p right after each purchase, the first included.
// Alive at T after x repeat purchases: (1-p)^(x+1) λ^x e^-λT; dropped out right after the
// last one: p (1-p)^x λ^x e^-λt_x. Alive, they buy (1 - e^-λpt)/p in the next t weeks.
function byIntegration(params: MbgNbdParams, x: number, tx: number, T: number, t: number) {
  const { r, alpha, a, b } = params;
  // The density times λ^x e^-λτ in one exponent, which would be 0 × Infinity far out.
  const lambdaMean = (x: number, tau: number, f: (l: number) => number = () => 1) =>
    integrateHalfLine(
      (l) =>
        Math.exp(r * Math.log(alpha) + (r + x - 1) * Math.log(l) - (alpha + tau) * l - logGamma(r)) * f(l),
      1 / 32,
    );
  const pMean = (f: (p: number, q: number) => number) =>
    integrateUnit(
      (p, q) => Math.exp((a - 1) * Math.log(p) + (b - 1) * Math.log(q) - logBeta(a, b)) * f(p, q),
      1 / 32,
    );
  const alive = pMean((_, q) => Math.pow(q, x + 1)) * lambdaMean(x, T);
  const dead = pMean((p, q) => p * Math.pow(q, x)) * lambdaMean(x, tx);
  const future = pMean((p, q) => Math.pow(q, x + 1) * lambdaMean(x, T, (l) => -Math.expm1(-l * p * t) / p));
  const likelihood = alive + dead;
  return { likelihood, pAlive: alive / likelihood, expected: future / likelihood };
}

describe("MBG/NBD formulas", () => {
  const params: MbgNbdParams = { r: 0.525, alpha: 6.18, a: 0.891, b: 1.614 };

  it("agree with the model integrated numerically (likelihood, P(alive), E[Y(t)])", () => {
    for (const [x, tx, T] of [
      [0, 0, 30],
      [1, 5, 38.86],
      [4, 30, 38.86],
      [12, 37, 38.86],
    ] as const) {
      const direct = byIntegration(params, x, tx, T, 39);
      expect(
        Math.abs(mbgnbdLogLikelihood(params, [{ x, tx, T }]) - Math.log(direct.likelihood)),
      ).toBeLessThan(1e-9);
      expect(mbgnbdProbabilityAlive(params, x, tx, T)).toBeCloseTo(direct.pAlive, 9);
      expect(Math.abs(mbgnbdExpectedPurchases(params, 39, x, tx, T) / direct.expected - 1)).toBeLessThan(
        1e-8,
      );
    }
  });

  it("has analytic gradients that agree with finite differences", () => {
    const data = cdnow.slice(0, 400);
    const start = { r: 0.4, alpha: 3.1, a: 1.3, b: 2.2 };
    const { gradient } = mbgnbdLogLikelihoodGradient(start, data);
    (["r", "alpha", "a", "b"] as const).forEach((key, i) => {
      const h = 1e-6;
      const up = mbgnbdLogLikelihood({ ...start, [key]: start[key] * Math.exp(h) }, data);
      const down = mbgnbdLogLikelihood({ ...start, [key]: start[key] * Math.exp(-h) }, data);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 3);
    });
  });

  it("E[X(t)] is lifetimes' b/(a-1) [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]", () => {
    const { r, alpha, a, b } = params;
    for (const t of [1, 39, 78]) {
      const closed =
        (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t)));
      expect(mbgnbdExpectedPurchasesPopulation(params, t)).toBeCloseTo(closed, 10);
    }
  });
});

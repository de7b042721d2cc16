import { describe, expect, it } from "vitest";
import { cdnowCalibrationSummary } from "./cdnow";
import {
  fitParetoNbd,
  logA0,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesPopulation,
  paretoNbdLogLikelihood,
  paretoNbdLogLikelihoodGradient,
  paretoNbdProbabilityAlive,
  type ParetoNbdParams,
} from "./pareto-nbd";
import { integrateHalfLine, integrateInterval } from "./quadrature";
import { logGamma } from "./special-functions";

const cdnow = cdnowCalibrationSummary();
const published: ParetoNbdParams = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };

describe("Pareto/NBD on the CDNOW sample", () => {
  const fit = fitParetoNbd(cdnow);

  it("reproduces Fader, Hardie & Lee (2005): LL -9594.9762 at r 0.5534, α 10.5802, s 0.6061, β 11.6562", () => {
    expect(Math.abs(paretoNbdLogLikelihood(published, cdnow) - -9594.9762)).toBeLessThan(1e-4);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(Math.abs(fit.logLikelihood - -9594.9762)).toBeLessThan(5e-5);
    expect(Math.abs(fit.params.r - 0.5534)).toBeLessThan(0.0005);
    expect(Math.abs(fit.params.s - 0.6061)).toBeLessThan(0.0005);
    // The likelihood is flat along a ridge in (α, β): the published point is 2.5e-5 below
    // the maximum, which lies 0.0025 away in α and 0.0125 in β.
    expect(Math.abs(fit.params.alpha - 10.5802)).toBeLessThan(0.005);
    expect(Math.abs(fit.params.beta - 11.6562)).toBeLessThan(0.015);
    expect(fit.logLikelihood).toBeGreaterThan(paretoNbdLogLikelihood(published, cdnow));
  });

  it("finds the maximum SciPy finds (scripts/value/scipy-check.py)", () => {
    // Nelder-Mead then BFGS on lifetimes' likelihood with scipy.special.hyp2f1:
    // r 0.553277, α 10.577684, s 0.606240, β 11.668734, LL -9594.976179.
    expect(fit.params.r).toBeCloseTo(0.553277, 5);
    expect(fit.params.alpha).toBeCloseTo(10.577684, 3);
    expect(fit.params.s).toBeCloseTo(0.60624, 5);
    expect(fit.params.beta).toBeCloseTo(11.668734, 3);
    expect(fit.logLikelihood).toBeCloseTo(-9594.976179, 5);
  });

  it("reaches the same maximum from a given start, near it or far from it", () => {
    // A live fit starts from the comparison's estimates (server/valuation/model.ts).
    const warm = fitParetoNbd(cdnow, published);
    expect(warm.converged).toBe(true);
    expect(warm.logLikelihood).toBeCloseTo(fit.logLikelihood, 6);
    expect(warm.params.r).toBeCloseTo(fit.params.r, 4);
    expect(warm.params.beta).toBeCloseTo(fit.params.beta, 2);
    // A poor start loses to the default ones and changes nothing.
    const far = fitParetoNbd(cdnow, { r: 50, alpha: 0.01, s: 50, beta: 1e4 });
    expect(far.logLikelihood).toBeCloseTo(fit.logLikelihood, 6);
  });
});

describe("Pareto/NBD's analytic gradient in (ln r, ln α, ln s, ln β)", () => {
  /** Five-point differences of the log-likelihood in the logs of the parameters, step h. */
  function differences(params: ParetoNbdParams, h: number) {
    return (["r", "alpha", "s", "beta"] as const).map((name) => {
      const at = (steps: number) =>
        paretoNbdLogLikelihood({ ...params, [name]: params[name] * Math.exp(steps * h) }, cdnow);
      return (8 * (at(1) - at(-1)) - (at(2) - at(-2))) / (12 * h);
    });
  }

  // The differences' own error sets the tolerance: about 1e-12 of the log-likelihood (≈ 1e4)
  // over the step near the estimates; where s and β are huge, s·ln β and s·ln(β+T) cancel in
  // the log-likelihood, so the differences need a longer step and are good to fewer digits.
  const cases: [string, ParetoNbdParams, number, number][] = [
    ["at the published estimates (α < β)", published, 1e-3, 1e-7],
    ["α > β", { r: 0.8, alpha: 9, s: 1.4, beta: 2.5 }, 1e-3, 1e-8],
    ["α = β", { r: 1.3, alpha: 4, s: 0.5, beta: 4 }, 1e-3, 1e-8],
    ["α far below β", { r: 0.3, alpha: 2, s: 0.4, beta: 60 }, 1e-3, 1e-8],
    ["α far above β", { r: 0.55, alpha: 1e6, s: 0.6, beta: 1e5 }, 1e-2, 1e-7],
    ["s and β large (1e5, 1e6)", { r: 0.55, alpha: 10.5, s: 1e5, beta: 1e6 }, 1e-2, 1e-6],
    ["s and β at the fit's bound (1e7, 1e8)", { r: 0.55, alpha: 10.5, s: 1e7, beta: 1e8 }, 3e-2, 1e-5],
  ];
  for (const [name, params, step, relative] of cases) {
    it(`agrees with five-point differences on CDNOW, ${name}`, () => {
      const { value, gradient } = paretoNbdLogLikelihoodGradient(params, cdnow);
      expect(value).toBe(paretoNbdLogLikelihood(params, cdnow));
      const approximate = differences(params, step);
      for (let i = 0; i < 4; i++) {
        expect(Math.abs(gradient[i]! - approximate[i]!)).toBeLessThanOrEqual(
          relative * (1 + Math.abs(approximate[i]!)),
        );
      }
    });
  }

  it("nearly vanishes at the maximum the fit reports, not at the published point beside it", () => {
    const fit = fitParetoNbd(cdnow);
    const perCustomer = (params: ParetoNbdParams) =>
      Math.max(...paretoNbdLogLikelihoodGradient(params, cdnow).gradient.map((g) => Math.abs(g) / cdnow.length));
    // On the flat ridge in (α, β) BFGS stops when a step would gain less than rounding in the
    // value, with a gradient of about 1e-8 per customer; 0.0025 away in α it is 5e-5.
    expect(perCustomer(fit.params)).toBeLessThan(1e-7);
    expect(perCustomer(published)).toBeGreaterThan(1e-5);
  });
});

describe("Pareto/NBD where every customer drops out at the same rate", () => {
  it("stops at a large s and β with a true log-likelihood, not at rounding noise", () => {
    // 3,000 customers, each buying at 0.3 a week and dropping out at 0.02 a week (one rate for
    // all, so s and β grow without end), followed for 52 weeks; a small LCG keeps it the same.
    let seed = 20_240_601;
    const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const exponential = (rate: number) => -Math.log(uniform()) / rate;
    const data: { x: number; tx: number; T: number }[] = [];
    for (let i = 0; i < 3_000; i++) {
      const end = Math.min(exponential(0.02), 52);
      let t = 0;
      let count = 0;
      let last = 0;
      while ((t += exponential(0.3)) < end) {
        count++;
        last = t;
      }
      data.push({ x: count, tx: last, T: 52 });
    }
    // Out there, s·ln β and s·ln(β+T) cancel to rounding noise: this start is where a fit of the
    // 1 M demo customers once stopped, reporting a log-likelihood of 0.
    expect(
      Math.abs(paretoNbdLogLikelihood({ r: 0.69, alpha: 5.7, s: 2.09e64, beta: 1.66e66 }, data)),
    ).toBeLessThan(1);
    const fit = fitParetoNbd(data, { r: 0.69, alpha: 5.7, s: 2.09e64, beta: 1.66e66 });
    expect(fit.params.s).toBeLessThanOrEqual(1e8);
    expect(fit.params.beta).toBeLessThanOrEqual(1e8);
    // The reported maximum is the likelihood at the reported parameters, and a real one.
    expect(fit.logLikelihood).toBeCloseTo(paretoNbdLogLikelihood(fit.params, data), 3);
    expect(fit.logLikelihood).toBeLessThan(-1_000);
    // The dropout rate it finds is the one simulated.
    expect(fit.params.s / fit.params.beta).toBeCloseTo(0.02, 2);
  });
});

describe("Pareto/NBD where 2F1's 1-z formula cancels", () => {
  it("agrees with the model integrated numerically at r + x in the hundreds and α ten times β", () => {
    // Here z = (α-β)/(α+y) is just above 0.9 and the connection formula's two terms are about
    // e^50 each; taken as they were, they gave log-likelihoods 37 nats too high per customer,
    // a false maximum a fit could climb to. The quadrature is good to about 1e-5 at shape 488.
    const params = { r: 487.8139, alpha: 1639.0618, s: 3.4244, beta: 157.7834 };
    for (const [x, tx, T] of [
      [0, 0, 52],
      [1, 0.5, 52],
      [3, 5, 52],
      [15, 45, 52],
    ] as const) {
      const logL = paretoNbdLogLikelihood(params, [{ x, tx, T }]);
      expect(Math.abs(logL - Math.log(byIntegration(params, x, tx, T, 1).likelihood))).toBeLessThan(1e-4);
    }
  });
});

// The model's definition, integrated numerically: λ ~ Gamma(r, α), μ ~ Gamma(s, β); a
// customer alive at T contributes λ^x e^-(λ+μ)T, one who died at τ in (t_x, T)
// λ^x e^-λτ μ e^-μτ. No 2F1 is involved.
function byIntegration(params: ParetoNbdParams, x: number, tx: number, T: number, t: number) {
  const { r, alpha, s, beta } = params;
  const gammaMean = (shape: number, rate: number, f: (v: number) => number) =>
    integrateHalfLine(
      (v) => Math.exp(shape * Math.log(rate) + (shape - 1) * Math.log(v) - rate * v - logGamma(shape)) * f(v),
      1 / 32,
    );
  const lambdaPart = (power: number, tau: number) =>
    gammaMean(r, alpha, (l) => Math.exp(power * Math.log(l) - l * tau));
  const aliveMu = gammaMean(s, beta, (m) => Math.exp(-m * T));
  const alive = lambdaPart(x, T) * aliveMu;
  const dead =
    tx < T
      ? integrateInterval(
          (tau) => lambdaPart(x, tau) * gammaMean(s, beta, (m) => m * Math.exp(-m * tau)),
          tx,
          T,
          1 / 16,
        )
      : 0;
  const likelihood = alive + dead;
  // Alive at T, a customer buys λ(1 - e^-μt)/μ in expectation over the next t weeks.
  const future =
    lambdaPart(x + 1, T) * gammaMean(s, beta, (m) => (Math.exp(-m * T) * -Math.expm1(-m * t)) / m);
  return { likelihood, pAlive: alive / likelihood, expected: future / likelihood };
}

describe("Pareto/NBD formulas", () => {
  const cases: [string, ParetoNbdParams][] = [
    ["α < β (CDNOW)", published],
    ["α > β", { r: 0.8, alpha: 9, s: 1.4, beta: 2.5 }],
    ["α = β", { r: 1.3, alpha: 4, s: 0.5, beta: 4 }],
  ];
  for (const [name, params] of cases) {
    it(`agrees with the model integrated numerically, ${name}`, () => {
      for (const [x, tx, T] of [
        [0, 0, 30],
        [2, 12.5, 38.86],
        [7, 38, 38.86],
        [25, 20, 38.86],
      ] as const) {
        const direct = byIntegration(params, x, tx, T, 39);
        const logL = paretoNbdLogLikelihood(params, [{ x, tx, T }]);
        expect(Math.abs(logL - Math.log(direct.likelihood))).toBeLessThan(1e-9);
        expect(paretoNbdProbabilityAlive(params, x, tx, T)).toBeCloseTo(direct.pAlive, 9);
        const expected = paretoNbdExpectedPurchases(params, 39, x, tx, T);
        expect(Math.abs(expected / direct.expected - 1)).toBeLessThan(1e-9);
      }
    });
  }

  it("takes A₀ as ln 0 when t_x = T and stays finite for heavy buyers", () => {
    expect(logA0(published, 3, 20, 20)).toBe(-Infinity);
    expect(paretoNbdProbabilityAlive(published, 3, 20, 20)).toBe(1);
    for (const params of [published, { r: 0.8, alpha: 9, s: 1.4, beta: 2.5 }]) {
      const heavy = paretoNbdExpectedPurchases(params, 52, 500, 38.9, 39);
      expect(Number.isFinite(heavy) && heavy > 0).toBe(true);
      expect(Number.isFinite(paretoNbdLogLikelihood(params, [{ x: 500, tx: 0.5, T: 39 }]))).toBe(true);
    }
  });

  it("E[X(t)] is rβ/(α(s-1)) [1 - (β/(β+t))^(s-1)], continuous through s = 1", () => {
    const { r, alpha, s, beta } = published;
    const t = 39;
    const closed = ((r * beta) / (alpha * (s - 1))) * (1 - Math.pow(beta / (beta + t), s - 1));
    expect(paretoNbdExpectedPurchasesPopulation(published, t)).toBeCloseTo(closed, 12);
    const at1 = paretoNbdExpectedPurchasesPopulation({ ...published, s: 1 }, t);
    expect(at1).toBeCloseTo(((r * beta) / alpha) * Math.log1p(t / beta), 12);
    expect(paretoNbdExpectedPurchasesPopulation({ ...published, s: 1 + 1e-9 }, t)).toBeCloseTo(at1, 7);
  });
});

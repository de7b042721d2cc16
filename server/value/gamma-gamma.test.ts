import { describe, expect, it } from "vitest";
import { CDNOW_CALIBRATION_END, readCdnowSample } from "./cdnow";
import {
  expectedAverageSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodGradient,
} from "./gamma-gamma";
import { summarizeTransactions } from "./summary";

const cdnow = summarizeTransactions(
  readCdnowSample().map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
  CDNOW_CALIBRATION_END,
);

describe("Gamma-Gamma on the CDNOW sample", () => {
  const fit = fitGammaGamma(cdnow);

  it("reproduces Fader & Hardie (2013): p 6.25, q 3.74, γ 15.44 on the 946 repeat customers", () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(946);
    expect(Math.abs(fit.params.p - 6.25)).toBeLessThan(0.005);
    expect(Math.abs(fit.params.q - 3.74)).toBeLessThan(0.005);
    expect(Math.abs(fit.params.gamma - 15.44)).toBeLessThan(0.005);
    // CLVTools' test value for the log-likelihood at the estimates.
    expect(fit.logLikelihood).toBeCloseTo(-4055.9177, 3);
  });

  it("matches lifetimes' README: mean expected spend 35.2529 over all customers, mean m̄ 35.0786", () => {
    const expected = cdnow.map((c) => expectedAverageSpend(fit.params, c.x, c.averageRepeatSpend));
    expect(expected.reduce((s, v) => s + v, 0) / expected.length).toBeCloseTo(35.2529, 2);
    const repeat = cdnow.filter((c) => c.x > 0);
    expect(repeat.reduce((s, c) => s + c.averageRepeatSpend!, 0) / repeat.length).toBeCloseTo(35.0786, 2);
  });
});

describe("Gamma-Gamma formulas", () => {
  const params = { p: 6.25, q: 3.74, gamma: 15.44 };

  it("shrinks a customer's m̄ toward the population mean, less so the more they bought", () => {
    const population = (params.p * params.gamma) / (params.q - 1);
    expect(expectedAverageSpend(params, 0, null)).toBeCloseTo(population, 12);
    const one = expectedAverageSpend(params, 1, 100);
    const ten = expectedAverageSpend(params, 10, 100);
    expect(one).toBeGreaterThan(population);
    expect(one).toBeLessThan(ten);
    expect(ten).toBeLessThan(100);
    // The weighted-average form of the same expectation.
    const w = (params.p * 10) / (params.p * 10 + params.q - 1);
    expect(ten).toBeCloseTo((1 - w) * population + w * 100, 10);
  });

  it("has analytic gradients that agree with finite differences", () => {
    const data = cdnow.filter((c) => c.x > 0).slice(0, 300);
    const p = { p: 2.1, q: 4.2, gamma: 9.5 };
    const { gradient } = gammaGammaLogLikelihoodGradient(p, data);
    (["p", "q", "gamma"] as const).forEach((key, i) => {
      const h = 1e-6;
      const up = gammaGammaLogLikelihood({ ...p, [key]: p[key] * Math.exp(h) }, data);
      const down = gammaGammaLogLikelihood({ ...p, [key]: p[key] * Math.exp(-h) }, data);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 3);
    });
  });
});

import { describe, expect, it } from "vitest";
import { CDNOW_CALIBRATION_END, readCdnowSample } from "./cdnow";
import {
  expectedAverageSpend,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodGradient,
} from "./gamma-gamma";
import { logGamma } from "./special-functions";
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

describe("Gamma-Gamma when customers' spends do not differ", () => {
  // Every purchase is Gamma(4, rate 4/75) for every customer (mean 75): no heterogeneity, so the
  // maximum lies at q, γ → ∞ with γ/q fixed, where the model becomes "each customer's mean of x
  // purchases is Gamma(4x, rate 4x/75)" (with this seed the sample shows no heterogeneity either).
  // The fit must approach that limit's likelihood, which is computed here on its own: for a
  // given p the rate's estimate is Σ px / Σ x m̄ in closed form, and p is found by
  // golden-section search.
  let seed = 2;
  const uniform = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return (seed + 0.5) / 4_294_967_296;
  };
  const purchase = () => {
    let sum = 0;
    for (let k = 0; k < 4; k++) sum -= Math.log(uniform());
    return (sum * 75) / 4;
  };
  const customers = Array.from({ length: 800 }, (_, i) => {
    const x = 1 + (i % 12);
    let total = 0;
    for (let k = 0; k < x; k++) total += purchase();
    return { x, averageRepeatSpend: total / x };
  });

  const limitLogLikelihood = (p: number) => {
    let shape = 0;
    let spend = 0;
    for (const c of customers) {
      shape += p * c.x;
      spend += c.x * c.averageRepeatSpend;
    }
    const rate = shape / spend;
    let ll = 0;
    for (const { x, averageRepeatSpend: m } of customers) {
      const k = p * x;
      ll += k * Math.log(rate * x) - logGamma(k) + (k - 1) * Math.log(m) - rate * x * m;
    }
    return { ll, rate };
  };
  let [lo, hi] = [Math.log(0.1), Math.log(100)];
  for (let i = 0; i < 200; i++) {
    const a = hi - (hi - lo) / 1.618033988749895;
    const b = lo + (hi - lo) / 1.618033988749895;
    if (limitLogLikelihood(Math.exp(a)).ll > limitLogLikelihood(Math.exp(b)).ll) hi = b;
    else lo = a;
  }
  const pLimit = Math.exp((lo + hi) / 2);
  const limit = limitLogLikelihood(pLimit);

  it("approaches the likelihood of the limit instead of climbing rounding noise", () => {
    const fit = fitGammaGamma(customers);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    expect(fit.logLikelihood).toBeLessThanOrEqual(limit.ll + 1e-6);
    expect(fit.logLikelihood).toBeGreaterThan(limit.ll - 0.01);
    expect(fit.params.p).toBeCloseTo(pLimit, 1);
    expect(fit.params.q).toBeGreaterThan(1e3);
    // The population mean, pγ/(q−1), is the limit's p / rate.
    expect(expectedAverageSpend(fit.params, 0, null)).toBeCloseTo(pLimit / limit.rate, 1);
  });

  it("is the limit's likelihood far out along the ridge (q = 1e30), not rounding noise", () => {
    const q = 1e30;
    const ll = gammaGammaLogLikelihood({ p: pLimit, q, gamma: q / limit.rate }, customers);
    expect(Math.abs(ll - limit.ll)).toBeLessThan(1e-6);
  });
});

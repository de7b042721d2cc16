import { describe, expect, it } from "vitest";
import {
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodGradient,
  expectedPurchases,
  expectedPurchasesPopulation,
  fitBgNbd,
  probabilityAlive,
  probabilityOfPurchases,
  type BgNbdParams,
} from "./bgnbd";
import { CDNOW_CALIBRATION_END, readCdnowSample } from "./cdnow";
import { groupHistories } from "./history-groups";
import { summarizeTransactions } from "./summary";

const cdnow = summarizeTransactions(
  readCdnowSample().map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
  CDNOW_CALIBRATION_END,
);
const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("BG/NBD on the CDNOW sample", () => {
  const fit = fitBgNbd(cdnow);

  it("reproduces Fader, Hardie & Lee (2005): r 0.243, α 4.414, a 0.793, b 2.426, LL -9582.4", () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(Math.abs(fit.params.r - 0.243)).toBeLessThan(0.0005);
    expect(Math.abs(fit.params.alpha - 4.414)).toBeLessThan(0.0005);
    expect(Math.abs(fit.params.a - 0.793)).toBeLessThan(0.0005);
    expect(Math.abs(fit.params.b - 2.426)).toBeLessThan(0.0005);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.05);
    // CLVTools' test values for the same data, to more digits.
    expect(fit.params.r).toBeCloseTo(0.2425945, 4);
    expect(fit.params.alpha).toBeCloseTo(4.4136019, 3);
    expect(fit.logLikelihood).toBeCloseTo(-9582.429, 3);
  });

  it("needs T measured to the calibration end day, not to the end of that day", () => {
    const endOfDay = cdnow.map((c) => ({ ...c, T: c.T + 1 / 7 }));
    const other = fitBgNbd(endOfDay);
    expect(Math.abs(other.params.a - 0.793)).toBeGreaterThan(0.005);
    expect(Math.abs(other.logLikelihood - -9582.4)).toBeGreaterThan(1);
  });

  it("sums the same likelihood over distinct histories as over customers", () => {
    const groups = groupHistories(cdnow);
    expect(groups.x.length).toBeLessThan(1100);
    const perCustomer = cdnow.reduce((s, c) => s + bgnbdLogLikelihood(fit.params, [c]), 0);
    expect(bgnbdLogLikelihood(fit.params, groups)).toBeCloseTo(perCustomer, 8);
  });
});

describe("BG/NBD formulas", () => {
  it("has analytic gradients that agree with finite differences", () => {
    const data = cdnow.slice(0, 400);
    const params = { r: 0.4, alpha: 3.1, a: 1.3, b: 2.2 };
    const { gradient } = bgnbdLogLikelihoodGradient(params, data);
    const keys = ["r", "alpha", "a", "b"] as const;
    keys.forEach((key, i) => {
      const h = 1e-6;
      const up = bgnbdLogLikelihood({ ...params, [key]: params[key] * Math.exp(h) }, data);
      const down = bgnbdLogLikelihood({ ...params, [key]: params[key] * Math.exp(-h) }, data);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 3);
    });
  });

  it("E[X(t)] equals Σ n P(X(t) = n), and the probabilities sum to 1", () => {
    for (const t of [1, 39, 78]) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n <= 3000; n++) {
        const p = probabilityOfPurchases(published, t, n);
        total += p;
        mean += n * p;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-9);
      expect(Math.abs(mean - expectedPurchasesPopulation(published, t))).toBeLessThan(1e-6);
    }
    expect(expectedPurchasesPopulation(published, 78)).toBeCloseTo(1.8605, 3);
  });

  it("for x = 0 the conditional expectation is a new customer's with α + T (nothing was learnt but the wait)", () => {
    const T = 20;
    const t = 52;
    // Directly from the distribution of a customer whose λ ~ Gamma(r, α + T) and p ~ Beta(a, b).
    const later = { ...published, alpha: published.alpha + T };
    let direct = 0;
    for (let n = 1; n <= 3000; n++) direct += n * probabilityOfPurchases(later, t, n);
    expect(probabilityAlive(published, 0, 0, T)).toBe(1);
    expect(Math.abs(expectedPurchases(published, t, 0, 0, T) - direct)).toBeLessThan(1e-6);
  });

  it("gives heavy recent buyers high P(alive) and more expected purchases than lapsed ones", () => {
    const recent = probabilityAlive(published, 10, 38, 39);
    const lapsed = probabilityAlive(published, 10, 5, 39);
    expect(recent).toBeGreaterThan(0.9);
    expect(lapsed).toBeLessThan(0.01);
    expect(expectedPurchases(published, 39, 10, 38, 39)).toBeGreaterThan(
      100 * expectedPurchases(published, 39, 10, 5, 39),
    );
    // Very heavy buyers neither overflow nor go negative.
    const heavy = expectedPurchases(published, 52, 500, 38.9, 39);
    expect(Number.isFinite(heavy) && heavy > 0).toBe(true);
  });

  it("stays finite at a = 1, where the formula divides 0 by 0", () => {
    const near = expectedPurchases({ ...published, a: 1 + 1e-4 }, 30, 2, 10, 30);
    const at = expectedPurchases({ ...published, a: 1 }, 30, 2, 10, 30);
    expect(Math.abs(at - near) / near).toBeLessThan(1e-3);
  });
});

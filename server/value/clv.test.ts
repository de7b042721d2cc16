import { describe, expect, it } from "vitest";
import { expectedPurchases, probabilityAlive } from "./bgnbd";
import {
  customerLifetimeValue,
  discountedExpectedPurchases,
  scoreCustomers,
  sumByGroup,
  WEEKS_PER_MONTH,
} from "./clv";
import { expectedAverageSpend } from "./gamma-gamma";

// The CDNOW estimates (FHL 2005; Fader & Hardie 2013) to the digits this code finds.
const bgnbd = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
const gammaGamma = { p: 6.2495725, q: 3.7442247, gamma: 15.4435205 };
const customer = { x: 2, tx: 30.43, T: 38.86, averageRepeatSpend: 22.35 };

describe("customer lifetime value", () => {
  it("with no discount is expected purchases over the horizon × expected spend", () => {
    const clv = customerLifetimeValue(bgnbd, gammaGamma, customer, { horizonWeeks: 52, discountRate: 0 });
    const purchases = expectedPurchases(bgnbd, 52, customer.x, customer.tx, customer.T);
    const spend = expectedAverageSpend(gammaGamma, customer.x, customer.averageRepeatSpend);
    expect(clv).toBeCloseTo(purchases * spend, 10);
    // A horizon that is not a whole number of months ends with a shorter step.
    const odd = customerLifetimeValue(bgnbd, gammaGamma, customer, { horizonWeeks: 10, discountRate: 0 });
    expect(odd).toBeCloseTo(expectedPurchases(bgnbd, 10, 2, 30.43, 38.86) * spend, 10);
  });

  it("discounts each month's purchases from the month's end at the annual rate", () => {
    const options = { horizonWeeks: 52, discountRate: 0.1 };
    let manual = 0;
    for (let k = 1; k <= 12; k++) {
      const t = k * WEEKS_PER_MONTH;
      const step =
        expectedPurchases(bgnbd, t, 2, 30.43, 38.86) -
        expectedPurchases(bgnbd, t - WEEKS_PER_MONTH, 2, 30.43, 38.86);
      manual += step / Math.pow(1.1, t / 52);
    }
    expect(discountedExpectedPurchases(bgnbd, customer, options)).toBeCloseTo(manual, 12);
    const undiscounted = discountedExpectedPurchases(bgnbd, customer, { ...options, discountRate: 0 });
    expect(manual).toBeLessThan(undiscounted);
    expect(manual).toBeGreaterThan(undiscounted / 1.1);
  });

  it("matches lifetimes' README example (CDNOW, time=12 with its default 30-period steps, 1 % a step)", () => {
    // lifetimes' customer_lifetime_value(..., time=12, discount_rate=0.01) with its default freq="D"
    // steps 30 time units (weeks here) and discounts 1 % per step: customers 1, 2 and 3.
    const options = { horizonWeeks: 360, stepWeeks: 30, discountRate: Math.pow(1.01, 52 / 30) - 1 };
    const rows = [
      [customer, 140.096218],
      [{ x: 1, tx: 1.71, T: 38.86, averageRepeatSpend: 11.77 }, 18.943466],
      [{ x: 0, tx: 0, T: 38.86, averageRepeatSpend: null }, 38.180575],
    ] as const;
    for (const [c, published] of rows) {
      const clv = customerLifetimeValue(bgnbd, gammaGamma, c, options);
      expect(Math.abs(clv - published) / published).toBeLessThan(2e-4);
    }
  });
});

describe("scoreCustomers", () => {
  it("scores each customer from its history group and applies spend per customer", () => {
    const customers = [
      { x: 2, tx: 30, T: 38, averageRepeatSpend: 10 },
      { x: 0, tx: 0, T: 38, averageRepeatSpend: null },
      { x: 2, tx: 30, T: 38, averageRepeatSpend: 50 },
    ];
    const options = { horizonWeeks: 52, discountRate: 0.1 };
    const scores = scoreCustomers(customers, bgnbd, gammaGamma, options);
    expect(scores.groups).toBe(2);
    expect(scores.pAlive[0]).toBe(scores.pAlive[2]);
    expect(scores.pAlive[0]).toBeCloseTo(probabilityAlive(bgnbd, 2, 30, 38), 14);
    expect(scores.expectedPurchases[1]).toBeCloseTo(expectedPurchases(bgnbd, 52, 0, 0, 38), 14);
    expect(scores.clv![2]).toBeGreaterThan(scores.clv![0]!);
    expect(scores.clv![2]).toBeCloseTo(customerLifetimeValue(bgnbd, gammaGamma, customers[2]!, options), 10);

    const noSpend = scoreCustomers(customers, bgnbd, null, options);
    expect(noSpend.clv).toBeNull();
    expect(noSpend.expectedSpend).toBeNull();
  });

  it("sums values per group", () => {
    const totals = sumByGroup([1, 2, 3, 10], ["a", "b", "a", "c"]);
    expect([...totals]).toEqual([
      ["c", { customers: 1, total: 10, mean: 10 }],
      ["a", { customers: 2, total: 4, mean: 2 }],
      ["b", { customers: 1, total: 2, mean: 2 }],
    ]);
  });
});

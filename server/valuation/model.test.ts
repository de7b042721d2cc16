import { describe, expect, it } from "vitest";
import {
  quintileScores,
  quintileScoresOfMany,
  rfmGroups,
  rfmScores,
  scoreCustomers,
  summarizeTransactions,
} from "~/server/value";
import { CDNOW_CALIBRATION_END, readCdnowSample } from "~/server/value/cdnow";
import { fitModels, groupSummary, scoreSummary } from "./model";
import type { PurchaseSummary } from "./summary";

// The columnar path of a fit (./model.ts) against the module's own functions on
// the same customers: the fit in the app must score exactly as server/value does.

/** The module's summaries as the database would hand them over, sorted by id. */
function cdnowSummary(): { summary: PurchaseSummary; customers: ReturnType<typeof summarizeTransactions> } {
  const customers = summarizeTransactions(
    readCdnowSample().map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
    CDNOW_CALIBRATION_END,
  ).sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
  const end = customers[0]!.firstDay + Math.round(customers[0]!.T * 7);
  return {
    customers,
    summary: {
      calibrationEndDay: end,
      ids: customers.map((c) => c.customerId),
      firstDay: Int32Array.from(customers, (c) => c.firstDay),
      lastDay: Int32Array.from(customers, (c) => c.lastDay),
      x: Int32Array.from(customers, (c) => c.x),
      totalSpend: Float64Array.from(customers, (c) => c.totalSpend!),
      repeatSpend: Float64Array.from(customers, (c) => (c.x > 0 ? c.averageRepeatSpend! * c.x : 0)),
      repeatDays: { day: new Int32Array(0), count: new Float64Array(0) },
      lastDataDay: end,
    },
  };
}

describe("fit model on columns", () => {
  it("gives the quintile scores of quintileScores, ties and all", () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const n of [1, 2, 5, 17, 1000]) {
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * (n / 3 + 1)) * 0.5);
      for (const higher of [true, false]) {
        expect(Array.from(quintileScoresOfMany(values, higher))).toEqual(
          Array.from(quintileScores(values, higher)),
        );
      }
    }
  });

  it("scores the CDNOW customers as scoreCustomers and rfmScores do", () => {
    const { summary, customers } = cdnowSummary();
    const histories = groupSummary(summary);
    expect(histories.x.length).toBe(1016);
    const models = fitModels(summary, histories);
    const settings = { horizonWeeks: 52, discountRate: 0.1 };
    const scores = scoreSummary(summary, models, settings, histories);

    const { r, alpha, a, b } = models.bgnbd!;
    const { p, q, gamma } = models.gammaGamma!;
    const reference = scoreCustomers(customers, { r, alpha, a, b }, { p, q, gamma }, settings);
    for (let i = 0; i < customers.length; i++) {
      expect(scores.pAlive[i]).toBeCloseTo(reference.pAlive[i]!, 12);
      expect(scores.clv![i]).toBeCloseTo(reference.clv![i]!, 9);
      expect(scores.expectedSpend![i]).toBeCloseTo(reference.expectedSpend![i]!, 9);
    }
    const rfm = rfmScores(customers);
    expect(Array.from(scores.rfm.group, (g) => rfmGroups[g])).toEqual(rfm.map((s) => s.group));
    expect(Array.from(scores.rfm.recency)).toEqual(rfm.map((s) => s.recency));
    expect(Array.from(scores.rfm.monetary)).toEqual(rfm.map((s) => s.monetary));
  });

  it("leaves out the spend model below 20 repeat customers", () => {
    const { summary } = cdnowSummary();
    const few = 30;
    const small: PurchaseSummary = {
      ...summary,
      ids: summary.ids.slice(0, few),
      firstDay: summary.firstDay.slice(0, few),
      lastDay: summary.lastDay.slice(0, few),
      x: summary.x.slice(0, few),
      totalSpend: summary.totalSpend.slice(0, few),
      repeatSpend: summary.repeatSpend.slice(0, few),
    };
    const repeat = Array.from(small.x).filter((x) => x > 0).length;
    expect(repeat).toBeLessThan(20);
    const models = fitModels(small);
    expect(models.gammaGamma).toBeNull();
    const scores = scoreSummary(small, models, { horizonWeeks: 52, discountRate: 0.1 });
    expect(scores.clv).toBeNull();
    expect(scores.pAlive.every((p) => p > 0 && p <= 1)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import {
  fitMbgNbd,
  mbgnbdProbabilityAlive,
  quintileScores,
  quintileScoresOfMany,
  rfmGroups,
  rfmScores,
  scoreCustomers,
  summarizeTransactions,
} from "~/server/value";
import { CDNOW_CALIBRATION_END, readCdnowSample } from "~/server/value/cdnow";
import { compareModels } from "~/server/value/model-choice";
import { parseDay } from "~/server/value/summary";
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
      comparison: null,
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

  it("scores the CDNOW repeat customers as scoreCustomers and rfmScores do, one-time buyers by MBG/NBD", () => {
    const { summary, customers } = cdnowSummary();
    const histories = groupSummary(summary);
    expect(histories.x.length).toBe(1016);
    const models = fitModels(summary, { purpose: "live", modelChoice: "bgnbd" }, histories);
    expect(models.purchase!.model).toBe("bgnbd");
    expect(models.oneTimeBuyers!.model).toBe("mbgnbd");
    const settings = { horizonWeeks: 52, discountRate: 0.1 };
    const scores = scoreSummary(summary, models, settings, histories);

    const { r, alpha, a, b } = models.purchase!.params as { r: number; alpha: number; a: number; b: number };
    const { p, q, gamma } = models.gammaGamma!;
    const reference = scoreCustomers(customers, { r, alpha, a, b }, { p, q, gamma }, settings);
    const mbgnbd = fitMbgNbd(customers).params;
    for (let i = 0; i < customers.length; i++) {
      const c = customers[i]!;
      if (c.x > 0) {
        expect(scores.pAlive[i]).toBeCloseTo(reference.pAlive[i]!, 12);
        expect(scores.clv![i]).toBeCloseTo(reference.clv![i]!, 9);
        expect(scores.expectedSpend![i]).toBeCloseTo(reference.expectedSpend![i]!, 9);
      } else {
        expect(scores.pAlive[i]).toBeCloseTo(mbgnbdProbabilityAlive(mbgnbd, 0, 0, c.T), 6);
        expect(scores.pAlive[i]).toBeLessThan(1);
        // The first purchase's spend, shrunk toward the population mean.
        const own = c.totalSpend!;
        const mean = (p * gamma) / (q - 1);
        expect(scores.expectedSpend![i]).toBeCloseTo(((gamma + own) * p) / (p + q - 1), 9);
        expect(Math.sign(scores.expectedSpend![i]! - mean)).toBe(Math.sign(own - mean));
      }
      expect(scores.tooNew[i]).toBe(0);
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
    const models = fitModels(small, { purpose: "live", modelChoice: "auto" });
    expect(models.comparison).toBeNull();
    expect(models.purchase!.model).toBe("bgnbd");
    expect(models.gammaGamma).toBeNull();
    const scores = scoreSummary(small, models, { horizonWeeks: 52, discountRate: 0.1 });
    expect(scores.clv).toBeNull();
    expect(scores.pAlive.every((p) => p > 0 && p <= 1)).toBe(true);
  });

  it("compares the models on the split the summary carries, and chooses as compareModels does", () => {
    const all = readCdnowSample();
    const customers = summarizeTransactions(
      all.map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
      "1998-06-30",
    ).sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
    const end = parseDay("1998-06-30")!;
    const split = parseDay(CDNOW_CALIBRATION_END)!;
    // Per customer at the split, from the raw purchase days.
    const days = new Map<string, number[]>();
    for (const t of all) days.set(t.customerId, [...new Set([...(days.get(t.customerId) ?? []), t.day])]);
    const at = customers.map((c) => {
      const own = days.get(c.customerId)!.sort((u, v) => u - v);
      const before = own.filter((d) => d <= split);
      return { x: before.length - 1, last: before.at(-1)!, holdout: own.length - before.length };
    });
    const repeat = new Map<number, number>();
    for (const own of days.values()) for (const d of own.slice(1)) repeat.set(d, (repeat.get(d) ?? 0) + 1);
    const repeatDays = [...repeat].sort((u, v) => u[0] - v[0]);
    const summary: PurchaseSummary = {
      calibrationEndDay: end,
      ids: customers.map((c) => c.customerId),
      firstDay: Int32Array.from(customers, (c) => c.firstDay),
      lastDay: Int32Array.from(customers, (c) => c.lastDay),
      x: Int32Array.from(customers, (c) => c.x),
      totalSpend: Float64Array.from(customers, (c) => c.totalSpend!),
      repeatSpend: Float64Array.from(customers, (c) => (c.x > 0 ? c.averageRepeatSpend! * c.x : 0)),
      repeatDays: { day: new Int32Array(0), count: new Float64Array(0) },
      lastDataDay: end,
      comparison: {
        calibrationEndDay: split,
        holdoutEndDay: end,
        x: Int32Array.from(at, (h) => h.x),
        lastDay: Int32Array.from(at, (h) => h.last),
        holdout: Int32Array.from(at, (h) => h.holdout),
        repeatDays: {
          day: Int32Array.from(repeatDays, ([d]) => d),
          count: Float64Array.from(repeatDays, ([, n]) => n),
        },
      },
    };
    const models = fitModels(summary, { purpose: "live", modelChoice: "auto" });
    const reference = compareModels(
      all.map((t) => ({ customerId: t.customerId, day: t.day })),
      { calibrationEndDay: split, holdoutEndDay: end, startDay: parseDay("1997-01-01")! },
    );
    expect(models.comparison!.chosen).toBe(reference.chosen);
    expect(models.purchase!.model).toBe(reference.chosen);
    expect(models.oneTimeBuyers).toBeNull();
    models.comparison!.evaluations.forEach((e, i) => {
      const r = reference.evaluations[i]!;
      expect(e.model).toBe(r.model);
      expect(e.holdoutMae).toBeCloseTo(r.holdoutMae, 9);
      expect(e.trackingError).toBeCloseTo(r.trackingError, 9);
      expect(e.logLikelihood).toBeCloseTo(r.fit.logLikelihood, 6);
      expect(e.fitMs).toBeGreaterThan(0);
    });
    expect(models.choiceReason).toContain("chosen automatically");
  });
});

import { describe, expect, it } from "vitest";
import { fitBgNbd } from "./bgnbd";
import {
  cdnowCalibrationSummary,
  CDNOW_CALIBRATION_END,
  CDNOW_HOLDOUT_END,
  CDNOW_START,
  readCdnowSample,
} from "./cdnow";
import { cumulativeRepeatTracking, holdoutByFrequency, splitCalibrationHoldout } from "./holdout";
import { fitMbgNbd, mbgnbdModel } from "./mbgnbd";
import { predictorOf } from "./purchase-model";
import { parseDay, summarizeTransactions } from "./summary";

// The figures in docs/value-models.md ("Calibration and holdout"); the report script
// scripts/value/cdnow-report.ts prints them.

const transactions = readCdnowSample();
const fit = fitBgNbd(
  summarizeTransactions(
    transactions.map((t) => ({ customerId: t.customerId, date: t.day })),
    CDNOW_CALIBRATION_END,
  ),
);

describe("CDNOW calibration (39 weeks) and holdout (39 weeks)", () => {
  it("tracks cumulative repeat transactions week by week", () => {
    const curve = cumulativeRepeatTracking(transactions, fit.params, {
      startDay: parseDay(CDNOW_START)!,
      weeks: 78,
    });
    expect(curve).toHaveLength(78);
    const at = (week: number) => curve[week - 1]!;
    // Actual repeat purchase days, straight from the data.
    expect(at(39).actual).toBe(2457);
    expect(at(78).actual).toBe(4339);
    // The model's forecast (fails when a number drifts).
    expect(at(39).predicted).toBeCloseTo(2494.0, 0);
    expect(at(78).predicted).toBeCloseTo(4160.6, 0);
    // Within 6 % of the actual curve from week 20 on (the first weeks have few repeat buyers).
    for (const p of curve.slice(19)) expect(Math.abs(p.predicted - p.actual) / p.actual).toBeLessThan(0.06);
  });

  it("predicts holdout purchases by calibration frequency", () => {
    const buckets = holdoutByFrequency(transactions, fit.params, {
      calibrationEndDay: parseDay(CDNOW_CALIBRATION_END)!,
      holdoutEndDay: parseDay(CDNOW_HOLDOUT_END)!,
    });
    expect(buckets.map((b) => b.x)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
    expect(buckets.map((b) => b.customers)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
    const total = buckets.reduce((s, b) => s + b.actual * b.customers, 0);
    expect(Math.round(total)).toBe(1882);
    expect(buckets[0]!.actual).toBeCloseTo(0.2367, 3);
    expect(buckets[0]!.predicted).toBeCloseTo(0.2251, 3);
    expect(buckets[7]!.actual).toBeCloseTo(6.3594, 3);
    expect(buckets[7]!.predicted).toBeCloseTo(6.1572, 3);
    // More calibration purchases, more predicted holdout purchases.
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]!.predicted).toBeGreaterThan(buckets[i - 1]!.predicted);
  });
});

describe("splitCalibrationHoldout", () => {
  it("gives each calibration customer's (x, t_x, T) and holdout purchase days", () => {
    const day = (d: string) => parseDay(d)!;
    const split = splitCalibrationHoldout(
      [
        { customerId: "a", day: day("2024-01-01") },
        { customerId: "a", day: day("2024-01-15") },
        { customerId: "a", day: day("2024-01-15") }, // same day: one purchase
        { customerId: "a", day: day("2024-02-05") },
        { customerId: "a", day: day("2024-03-01") }, // after the holdout
        { customerId: "b", day: day("2024-01-29") },
        { customerId: "c", day: day("2024-02-02") }, // first bought in the holdout: not a calibration customer
      ],
      { calibrationEndDay: day("2024-01-29"), holdoutEndDay: day("2024-02-26") },
    );
    expect(split).toEqual([
      { x: 1, tx: 2, T: 4, holdout: 1 },
      { x: 0, tx: 0, T: 0, holdout: 0 },
    ]);
  });

  it("scores with any fitted model: MBG/NBD expects fewer holdout purchases of one-time buyers", () => {
    const mbgnbd = predictorOf(mbgnbdModel, fitMbgNbd(cdnowCalibrationSummary(transactions)).params);
    const options = {
      calibrationEndDay: parseDay(CDNOW_CALIBRATION_END)!,
      holdoutEndDay: parseDay(CDNOW_HOLDOUT_END)!,
    };
    const [zeroBg] = holdoutByFrequency(transactions, fit.params, options);
    const [zeroMbg] = holdoutByFrequency(transactions, mbgnbd, options);
    expect(zeroMbg!.actual).toBe(zeroBg!.actual);
    expect(zeroMbg!.predicted).toBeLessThan(zeroBg!.predicted);
  });
});

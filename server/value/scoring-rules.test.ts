import { describe, expect, it } from "vitest";
import { fitBgNbd, probabilityAlive } from "./bgnbd";
import { cdnowCalibrationSummary } from "./cdnow";
import { expectedAverageSpend } from "./gamma-gamma";
import { fitMbgNbd, mbgnbdProbabilityAlive } from "./mbgnbd";
import { fitParetoNbd, paretoNbdProbabilityAlive } from "./pareto-nbd";
import { expectedSpendOf, isTooNew, MIN_SCORED_AGE_DAYS, oneTimeBuyerModel } from "./scoring-rules";

// The rules for the customers the models know least about (docs/value-models.md).

const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
const populationMean = (spend.p * spend.gamma) / (spend.q - 1);

describe("too new to score", () => {
  it("holds back customers first seen fewer than 28 days before the calibration end", () => {
    expect(MIN_SCORED_AGE_DAYS).toBe(28);
    expect(isTooNew(100, 100)).toBe(true);
    expect(isTooNew(100 - 27, 100)).toBe(true);
    expect(isTooNew(100 - 28, 100)).toBe(false);
    expect(isTooNew(0, 1000)).toBe(false);
  });
});

describe("one-time buyers", () => {
  it("are scored by a model that lets them drop out after the first purchase", () => {
    expect(oneTimeBuyerModel("bgnbd")).toBe("mbgnbd");
    expect(oneTimeBuyerModel("mbgnbd")).toBe("mbgnbd");
    expect(oneTimeBuyerModel("pnbd")).toBe("pnbd");

    // BG/NBD holds every one-time buyer alive; MBG/NBD and Pareto/NBD do not, and the
    // longer ago the purchase, the less likely they are alive.
    const customers = cdnowCalibrationSummary();
    const bg = fitBgNbd(customers).params;
    const mbg = fitMbgNbd(customers).params;
    const pnbd = fitParetoNbd(customers).params;
    expect(probabilityAlive(bg, 0, 0, 30)).toBe(1);
    for (const alive of [
      (T: number) => mbgnbdProbabilityAlive(mbg, 0, 0, T),
      (T: number) => paretoNbdProbabilityAlive(pnbd, 0, 0, T),
    ]) {
      expect(alive(5)).toBeLessThan(1);
      expect(alive(30)).toBeLessThan(alive(5));
      expect(alive(30)).toBeGreaterThan(0);
    }
  });

  it("have their first purchase's spend shrunk toward the population mean, not the mean alone", () => {
    const small = expectedSpendOf(spend, 0, null, 8.1);
    const large = expectedSpendOf(spend, 0, null, 300);
    expect(small).toBeGreaterThan(8.1);
    expect(small).toBeLessThan(populationMean);
    expect(large).toBeGreaterThan(populationMean);
    expect(large).toBeLessThan(300);
    // One purchase weighs as one repeat purchase does in Gamma-Gamma.
    expect(small).toBeCloseTo(expectedAverageSpend(spend, 1, 8.1), 12);
    // Refunds count as no spend.
    expect(expectedSpendOf(spend, 0, null, -20)).toBeCloseTo(expectedAverageSpend(spend, 1, 0), 12);
  });

  it("leave repeat customers to Gamma-Gamma on their repeat purchases", () => {
    expect(expectedSpendOf(spend, 3, 40, 500)).toBeCloseTo(expectedAverageSpend(spend, 3, 40), 12);
  });
});

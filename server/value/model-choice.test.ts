import { describe, expect, it } from "vitest";
import {
  CDNOW_CALIBRATION_END,
  CDNOW_HOLDOUT_END,
  CDNOW_START,
  readCdnowMaster,
  readCdnowSample,
} from "./cdnow";
import { chooseModel, compareModels, comparisonTable, type ModelEvaluation } from "./model-choice";
import { parseDay } from "./summary";

// The tables of docs/value-models.md ("Choosing a model"); fails when a figure drifts.

const window = {
  startDay: parseDay(CDNOW_START)!,
  calibrationEndDay: parseDay(CDNOW_CALIBRATION_END)!,
  holdoutEndDay: parseDay(CDNOW_HOLDOUT_END)!,
};

type Row = [model: string, ll: number, mae: number, tracking: number, predicted: number];

function expectTable(evaluations: ModelEvaluation[], rows: Row[]) {
  expect(evaluations.map((e) => e.model)).toEqual(rows.map((r) => r[0]));
  evaluations.forEach((e, i) => {
    const [, ll, mae, tracking, predicted] = rows[i]!;
    expect(e.fit.converged).toBe(true);
    expect(e.fit.logLikelihood).toBeCloseTo(ll, 1);
    expect(e.holdoutMae).toBeCloseTo(mae, 4);
    expect(e.trackingError).toBeCloseTo(tracking, 2);
    expect(e.predictedHoldout).toBeCloseTo(predicted, 0);
    expect(e.aic).toBeCloseTo(8 - 2 * e.fit.logLikelihood, 8);
  });
}

describe("model choice on CDNOW (39-week calibration, 39-week holdout)", { timeout: 60_000 }, () => {
  it("the 1/10th sample (2,357 customers): Pareto/NBD by holdout MAE", () => {
    const comparison = compareModels(readCdnowSample(), window);
    expect(comparison.customers).toBe(2357);
    expect(comparison.actualHoldout).toBe(1882);
    expect(comparison.calibrationWeeks).toBe(39);
    expect(comparison.holdoutWeeks).toBe(39);
    expectTable(comparison.evaluations, [
      ["bgnbd", -9582.43, 0.7855, 2.63, 1653.4],
      ["mbgnbd", -9582.14, 0.7648, 4.11, 1576.7],
      ["pnbd", -9594.98, 0.7545, 1.31, 1665.5],
    ]);
    expect(comparison.chosen).toBe("pnbd");
    expect(comparisonTable(comparison)).toContain("| **Pareto/NBD** | -9594.98 |");
  });

  it("the whole cohort (CDNOW_master.txt, 23,570 customers): Pareto/NBD by holdout MAE", () => {
    const comparison = compareModels(readCdnowMaster(), window);
    expect(comparison.customers).toBe(23570);
    expect(comparison.actualHoldout).toBe(19684);
    expectTable(comparison.evaluations, [
      ["bgnbd", -95368.44, 0.8187, 3.47, 16873.7],
      ["mbgnbd", -95336.96, 0.7945, 5.4, 15933.6],
      ["pnbd", -95415.12, 0.7938, 2.4, 17153.2],
    ]);
    expect(comparison.chosen).toBe("pnbd");
  });
});

describe("chooseModel", () => {
  const evaluation = (model: ModelEvaluation["model"], holdoutMae: number) =>
    ({ model, holdoutMae }) as ModelEvaluation;

  it("takes the lowest holdout MAE and breaks ties towards BG/NBD, then MBG/NBD", () => {
    expect(chooseModel([evaluation("bgnbd", 0.8), evaluation("mbgnbd", 0.7), evaluation("pnbd", 0.75)])).toBe(
      "mbgnbd",
    );
    expect(chooseModel([evaluation("pnbd", 0.7), evaluation("bgnbd", 0.7), evaluation("mbgnbd", 0.7)])).toBe(
      "bgnbd",
    );
    expect(chooseModel([evaluation("pnbd", 0.7), evaluation("mbgnbd", 0.7 + 1e-12)])).toBe("mbgnbd");
    expect(chooseModel([evaluation("bgnbd", NaN), evaluation("pnbd", 0.9)])).toBe("pnbd");
  });

  it("needs a holdout after the calibration end", () => {
    expect(() =>
      compareModels(readCdnowSample(), { ...window, holdoutEndDay: window.calibrationEndDay }),
    ).toThrow(/holdout must end after/);
  });
});

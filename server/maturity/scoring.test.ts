import { describe, expect, it } from "vitest";
import { builtInModel } from "./model";
import {
  assessmentConsensus,
  compareAssessments,
  consensus,
  gaps,
  maturityIndex,
  type DimensionTarget,
} from "./scoring";

const model = builtInModel;

describe("consensus", () => {
  it("takes the median of [2, 3, 3]: level 3, spread 1, close", () => {
    expect(consensus([{ level: 2 }, { level: 3 }, { level: 3 }])).toEqual({
      level: 3,
      tied: false,
      spread: 1,
      agreement: "close",
      weightedMean: 2.67,
      assessors: 3,
    });
  });

  it("takes the lower middle score when two assessors split [1, 4]", () => {
    expect(consensus([{ level: 4 }, { level: 1 }])).toMatchObject({
      level: 1,
      tied: true,
      spread: 3,
      agreement: "disagree",
      weightedMean: 2.5,
    });
    // Four assessors: the middle pair 2 and 3 → 2.
    expect(consensus([3, 2, 4, 1].map((level) => ({ level })))).toMatchObject({ level: 2, tied: true });
    // A tie of equal middle scores is no tie.
    expect(consensus([2, 3, 3, 5].map((level) => ({ level })))).toMatchObject({ level: 3, tied: false });
  });

  it("says agree when everyone gave the same level, and ignores who skipped", () => {
    expect(
      consensus([{ level: 4 }, { level: null, confidence: "high" }, { level: 4, confidence: "low" }]),
    ).toMatchObject({ level: 4, spread: 0, agreement: "agree", assessors: 2 });
    expect(consensus([{ level: null }])).toBeNull();
    expect(consensus([])).toBeNull();
  });

  it("weights the mean by confidence: low 1, medium 2, high 3", () => {
    // (1×2 + 2×3 + 3×5) / (1 + 2 + 3) = 23/6 = 3.833…
    expect(
      consensus([
        { level: 2, confidence: "low" },
        { level: 3, confidence: "medium" },
        { level: 5, confidence: "high" },
      ])?.weightedMean,
    ).toBe(3.83);
    // Missing confidence counts as medium: (2×1 + 3×4) / 5 = 2.8.
    expect(consensus([{ level: 1 }, { level: 4, confidence: "high" }])?.weightedMean).toBe(2.8);
  });

  it("refuses a score that is not a level", () => {
    expect(() => consensus([{ level: 2.5 }])).toThrow(RangeError);
    expect(() => consensus([{ level: 0 }])).toThrow(/whole level/);
  });
});

describe("assessmentConsensus", () => {
  it("gives each dimension's consensus from the assessors' sheets, and the levels for the index", () => {
    const result = assessmentConsensus(model, [
      { recognition: { level: 2, confidence: "high" }, governance: { level: 3 } },
      { recognition: { level: 3 }, governance: { level: null } },
      { recognition: { level: 3, confidence: "low" } },
    ]);
    expect(result.dimensions.recognition).toMatchObject({
      level: 3,
      spread: 1,
      agreement: "close",
      assessors: 3,
    });
    expect(result.dimensions.governance).toMatchObject({ level: 3, agreement: "agree", assessors: 1 });
    expect(result.dimensions.technology).toBeNull();
    expect(result.levels).toEqual({
      "self-service": null,
      recognition: 3,
      "cross-channel": null,
      personalisation: null,
      "customer-value": null,
      governance: 3,
      technology: null,
    });
    // (50 + 50) / 2
    expect(maturityIndex(model, result.levels).index).toBe(50);
  });

  it("refuses a sheet with a level the model lacks or a dimension it does not have", () => {
    expect(() => assessmentConsensus(model, [{ recognition: { level: 6 } }])).toThrow(
      /not a level of the model/,
    );
    expect(() => assessmentConsensus(model, [{ loyalty: { level: 2 } }])).toThrow(
      /not a dimension of the model/,
    );
  });
});

const full = {
  "self-service": 3,
  recognition: 2,
  "cross-channel": 2,
  personalisation: 1,
  "customer-value": 4,
  governance: 3,
  technology: 5,
};

describe("maturityIndex", () => {
  it("maps a full assessment's levels to 0-100 and averages them", () => {
    // (50 + 25 + 25 + 0 + 75 + 50 + 100) / 7 = 325 / 7 = 46.43
    expect(maturityIndex(model, full)).toEqual({
      index: 46.4,
      scored: Object.keys(full),
      missing: [],
    });
    const all = (level: number) => Object.fromEntries(model.dimensions.map((d) => [d.key, level]));
    expect(maturityIndex(model, all(1)).index).toBe(0);
    expect(maturityIndex(model, all(5)).index).toBe(100);
  });

  it("leaves unscored dimensions out and reports them", () => {
    // (50 + 75) / 2 = 62.5
    expect(
      maturityIndex(model, {
        "self-service": 3,
        "customer-value": 4,
        governance: null,
        technology: undefined,
      }),
    ).toEqual({
      index: 62.5,
      scored: ["self-service", "customer-value"],
      missing: ["recognition", "cross-channel", "personalisation", "governance", "technology"],
    });
    expect(maturityIndex(model, {})).toEqual({
      index: null,
      scored: [],
      missing: model.dimensions.map((d) => d.key),
    });
  });

  it("applies dimension weights, 0 leaving a dimension out", () => {
    // self-service 50 ×3, technology 100 ×1: 250 / 4 = 62.5; personalisation (0) weighted 0.
    expect(
      maturityIndex(
        model,
        { "self-service": 3, technology: 5, personalisation: 1 },
        { weights: { "self-service": 3, personalisation: 0 } },
      ),
    ).toMatchObject({ index: 62.5, scored: ["self-service", "technology"] });
  });

  it("rounds to one decimal", () => {
    // (25 + 0 + 0) / 3 = 8.333…
    expect(maturityIndex(model, { recognition: 2, governance: 1, technology: 1 }).index).toBe(8.3);
    // A half rounds up: (100×1 + 25×3) / 4 = 43.75 → 43.8.
    expect(maturityIndex(model, { technology: 5, governance: 2 }, { weights: { governance: 3 } }).index).toBe(
      43.8,
    );
  });

  it("refuses levels outside the model, unknown dimensions and bad weights", () => {
    expect(() => maturityIndex(model, { recognition: 6 })).toThrow(
      /6 is not a level of the model \(1 to 5\)/,
    );
    expect(() => maturityIndex(model, { loyalty: 2 })).toThrow(/"loyalty", which is not a dimension/);
    expect(() => maturityIndex(model, { recognition: 2 }, { weights: { recognition: -1 } })).toThrow(
      RangeError,
    );
    // Even on a dimension without a score.
    expect(() => maturityIndex(model, { recognition: 2 }, { weights: { technology: Number.NaN } })).toThrow(
      /the weight of "technology" must be a number of 0 or more, not NaN/,
    );
  });
});

describe("gaps", () => {
  const target = (
    current: number | null,
    target: number | null,
    targetDate: string | null,
  ): DimensionTarget => ({
    current,
    target,
    targetDate,
  });

  it("sorts the largest gap first, flags overdue ones, and leaves out dimensions without a target", () => {
    const result = gaps(
      model,
      {
        "self-service": target(3, 4, "2026-12-31"),
        recognition: target(2, 4, "2026-06-30"),
        "cross-channel": target(1, 4, "2027-03-31"),
        personalisation: target(2, 4, "2026-12-31"),
        "customer-value": target(4, 3, "2026-01-31"),
        governance: target(2, null, null),
        technology: target(2, 3, null),
      },
      "2026-07-01",
    );
    expect(result.map((g) => [g.dimensionKey, g.gap, g.overdue])).toEqual([
      ["cross-channel", 3, false],
      // Equal gaps of 2: the overdue one first, then by target date.
      ["recognition", 2, true],
      ["personalisation", 2, false],
      // Equal gaps of 1: a dated target before one without a date.
      ["self-service", 1, false],
      ["technology", 1, false],
      // Past its target: no gap, and never overdue.
      ["customer-value", 0, false],
    ]);
    expect(result[1]).toEqual({
      dimensionKey: "recognition",
      name: "Customer recognition and data",
      current: 2,
      target: 4,
      gap: 2,
      targetDate: "2026-06-30",
      overdue: true,
    });
  });

  it("is not overdue on the target date itself", () => {
    const on = gaps(model, { recognition: target(2, 3, "2026-07-01") }, "2026-07-01");
    const after = gaps(model, { recognition: target(2, 3, "2026-07-01") }, "2026-07-02");
    expect([on[0]?.overdue, after[0]?.overdue]).toEqual([false, true]);
  });

  it("refuses dates that are not YYYY-MM-DD days", () => {
    expect(() => gaps(model, {}, "1/7/2026")).toThrow(/today must be a date as YYYY-MM-DD/);
    expect(() => gaps(model, { recognition: target(2, 3, "2026-02-30") }, "2026-07-01")).toThrow(
      /the target date of "recognition"/,
    );
  });
});

describe("compareAssessments", () => {
  it("gives each dimension's change and the index change", () => {
    const previous = { ...full, "self-service": 2, personalisation: 1, technology: 4 };
    const result = compareAssessments(model, full, previous);
    expect(result.dimensions.map((d) => [d.dimensionKey, d.delta])).toEqual([
      ["self-service", 1],
      ["recognition", 0],
      ["cross-channel", 0],
      ["personalisation", 0],
      ["customer-value", 0],
      ["governance", 0],
      ["technology", 1],
    ]);
    // Previous: (25 + 25 + 25 + 0 + 75 + 50 + 75) / 7 = 275 / 7 = 39.29 → 39.3; current 46.4.
    expect(result.index).toEqual({ current: 46.4, previous: 39.3, delta: 7.1 });
    expect(result.sameDimensions).toBe(true);
  });

  it("shows a fall as a negative delta, and says when the scored dimensions differ", () => {
    const result = compareAssessments(
      model,
      { recognition: 2, governance: 3 },
      { recognition: 3, technology: 5 },
    );
    expect(result.dimensions.find((d) => d.dimensionKey === "recognition")?.delta).toBe(-1);
    expect(result.dimensions.find((d) => d.dimensionKey === "governance")).toEqual({
      dimensionKey: "governance",
      current: 3,
      previous: null,
      delta: null,
    });
    // Current (25 + 50) / 2 = 37.5; previous (50 + 100) / 2 = 75.
    expect(result.index).toEqual({ current: 37.5, previous: 75, delta: -37.5 });
    expect(result.sameDimensions).toBe(false);
  });

  it("has no deltas for a first assessment", () => {
    const result = compareAssessments(model, full, null);
    expect(result.index).toEqual({ current: 46.4, previous: null, delta: null });
    expect(result.dimensions.every((d) => d.delta === null && d.previous === null)).toBe(true);
    expect(result.sameDimensions).toBe(false);
  });
});

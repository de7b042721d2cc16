import { describe, expect, it } from "vitest";
import {
  disagreement,
  indicatorDefinition,
  indicatorDefinitions,
  indicatorLevel,
  indicatorsFor,
  suggestedLevel,
} from "./indicators";
import { builtInModel, copyModel } from "./model";

describe("indicator definitions", () => {
  it("inform dimensions of the built-in model, with one threshold per level above 1, in order", () => {
    const keys = new Set(builtInModel.dimensions.map((d) => d.key));
    expect(new Set(indicatorDefinitions.map((d) => d.key)).size).toBe(indicatorDefinitions.length);
    for (const indicator of indicatorDefinitions) {
      expect(keys.has(indicator.dimensionKey), indicator.key).toBe(true);
      expect(indicator.thresholds).toHaveLength(builtInModel.levels.length - 1);
      const set = indicator.thresholds.filter((t): t is number => t !== null);
      expect(set.length, indicator.key).toBeGreaterThan(0);
      const ordered =
        indicator.direction === "higherIsBetter"
          ? [...set].sort((a, b) => a - b)
          : [...set].sort((a, b) => b - a);
      expect(set, `${indicator.key} thresholds must tighten level by level`).toEqual(ordered);
      expect(new Set(set).size).toBe(set.length);
      if (indicator.unit === "percent")
        if (indicator.unit === "percent")
          expect(
            set.every((t) => t > 0 && t <= 100),
            indicator.key,
          ).toBe(true);
    }
  });

  it("apply to copies that keep a dimension, not to dimensions a copy removed", () => {
    expect(indicatorsFor(builtInModel)).toHaveLength(indicatorDefinitions.length);
    const copy = copyModel(builtInModel, { name: "No value model" });
    copy.dimensions = copy.dimensions.filter((d) => d.key !== "customer-value");
    expect(indicatorsFor(copy).map((d) => d.key)).not.toContain("value-model-age");
    expect(indicatorsFor(copy)).toHaveLength(
      indicatorDefinitions.filter((d) => d.dimensionKey !== "customer-value").length,
    );
    // Three levels: the five-level thresholds would mean other things.
    const short = { ...copy, levels: copy.levels.slice(0, 3) };
    expect(indicatorsFor(short)).toEqual([]);
  });
});

describe("indicatorLevel", () => {
  const multichannel = indicatorDefinition("multichannel-customers"); // 20, 40, 55, 70 %

  it("counts a value exactly at a threshold as reaching that level", () => {
    expect(
      [0, 19.99, 20, 39.9, 40, 54.99, 55, 69.99, 70, 100].map((v) => indicatorLevel(multichannel, v)),
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("reads lower-is-better thresholds as maxima, a model never fitted being infinitely old", () => {
    const age = indicatorDefinition("value-model-age"); // 365, 90, 30, 7 days
    expect([0, 7, 8, 30, 31, 90, 91, 365, 366, Infinity].map((v) => indicatorLevel(age, v))).toEqual([
      5, 5, 4, 4, 3, 3, 2, 2, 1, 1,
    ]);
  });

  it("passes a level where an indicator sets no condition if it passes the level below", () => {
    const conversion = indicatorDefinition("journey-goal-conversion"); // none, 5, 10, 20 %
    expect([0, 4.9, 5, 10, 20].map((v) => indicatorLevel(conversion, v))).toEqual([2, 2, 3, 4, 5]);
  });

  it("refuses NaN", () => {
    expect(() => indicatorLevel(multichannel, Number.NaN)).toThrow(/not a number/);
  });
});

describe("suggestedLevel", () => {
  it("takes the lowest level among the dimension's indicators, and names the one holding it", () => {
    // Identity match 62% → level 4; resolved events 49.9% → level 2 (50% is level 3).
    expect(
      suggestedLevel("recognition", [
        { key: "identity-match-rate", value: 62 },
        { key: "resolved-events", value: 49.9 },
      ]),
    ).toEqual({
      level: 2,
      limitedBy: ["resolved-events"],
      readings: [
        { key: "identity-match-rate", value: 62, level: 4 },
        { key: "resolved-events", value: 49.9, level: 2 },
      ],
    });
    expect(
      suggestedLevel("recognition", [
        { key: "identity-match-rate", value: 40 },
        { key: "resolved-events", value: 50 },
      ]),
    ).toMatchObject({ level: 3, limitedBy: ["identity-match-rate", "resolved-events"] });
  });

  it("leaves out indicators without a value, and has no suggestion without any", () => {
    expect(
      suggestedLevel("customer-value", [
        { key: "value-model-age", value: 12 },
        { key: "value-model-accuracy", value: null },
      ]),
    ).toMatchObject({ level: 4, limitedBy: ["value-model-age"] });
    expect(suggestedLevel("customer-value", [{ key: "value-model-accuracy", value: null }])).toBeNull();
    expect(suggestedLevel("governance", [])).toBeNull();
  });

  it("refuses an indicator of another dimension or an unknown one", () => {
    expect(() => suggestedLevel("cross-channel", [{ key: "resolved-events", value: 80 }])).toThrow(
      /resolved-events informs "recognition", not "cross-channel"/,
    );
    expect(() => suggestedLevel("cross-channel", [{ key: "likes", value: 80 }])).toThrow(
      /unknown indicator: likes/,
    );
  });
});

describe("disagreement", () => {
  it("speaks when data and self-score differ by a level or more", () => {
    expect(disagreement(4, 2)).toBe("data suggests level 2 (lower than the self-score 4)");
    expect(disagreement(2, 3)).toBe("data suggests level 3 (higher than the self-score 2)");
    expect(disagreement(3.5, 2)).toBe("data suggests level 2 (lower than the self-score 3.5)");
  });

  it("is silent when they agree, differ by less than a level, or one is missing", () => {
    expect(disagreement(3, 3)).toBeNull();
    expect(disagreement(2.5, 3)).toBeNull();
    expect(disagreement(null, 3)).toBeNull();
    expect(disagreement(3, null)).toBeNull();
  });
});

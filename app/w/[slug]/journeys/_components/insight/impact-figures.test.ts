import { describe, expect, it } from "vitest";
import {
  formatDifference,
  metricSentence,
  neededSentence,
  totalSentence,
  type ImpactMetric,
} from "./impact-figures";

const metric = (overrides: Partial<ImpactMetric>): ImpactMetric => ({
  key: "revenue",
  kind: "mean",
  treatment: { n: 8300, value: 24.2 },
  holdout: { n: 900, value: 20 },
  interval: { difference: 4.2, low: 1.1, high: 7.3 },
  significant: "higher",
  incremental: { customers: 8300, total: 34860, low: 9130, high: 60590 },
  entrantsNeeded: 5000,
  ...overrides,
});

describe("the Impact tab's sentences", () => {
  it("leads with what the journey did, with its interval", () => {
    expect(metricSentence(metric({}))).toBe(
      "Treatment customers spent 4.20 more each (95 % interval +1.10 to +7.30).",
    );
    expect(totalSentence(metric({ key: "clvChange" }))).toBe(
      "+34,860.00 predicted lifetime value across 8,300 customers (95 % interval +9,130.00 to +60,590.00).",
    );
  });

  it("says when it is too soon to tell, and how many more entrants would tell", () => {
    const unsure = metric({
      treatment: { n: 900, value: 20.4 },
      holdout: { n: 100, value: 20 },
      interval: { difference: 0.4, low: -1.1, high: 1.9 },
      significant: null,
      entrantsNeeded: 9_431,
    });
    // 9,431 − 1,000 = 8,431 more, rounded up to two significant figures: 8,500.
    expect(metricSentence(unsure)).toBe(
      "Too soon to tell: treatment customers spent 0.40 more each, but the 95 % interval (−1.10 to +1.90) includes no difference. About 8,500 more entrants are needed to detect a 5 % lift.",
    );
    expect(totalSentence(unsure)).toBeNull();
    expect(neededSentence({ ...unsure, entrantsNeeded: 800 })).toMatch(
      /enough entrants to detect a 5 % lift/,
    );
  });

  it("writes shares in percentage points", () => {
    expect(formatDifference("conversion", 0.0213)).toBe("+2.1 pts");
    expect(formatDifference("pAliveChange", -0.004)).toBe("−0.4 pts");
    expect(
      metricSentence(metric({ key: "conversion", interval: { difference: 0.03, low: 0.01, high: 0.05 } })),
    ).toBe("Treatment customers reached the goal 3.0 pts more often (95 % interval +1.0 pts to +5.0 pts).");
  });
});

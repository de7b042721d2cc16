import { describe, expect, it } from "vitest";
import { linear, niceMax, niceTicks } from "./scale";

describe("chart scales", () => {
  it("maps a domain onto a range, and an empty domain onto its start", () => {
    const y = linear(0, 200, 300, 100);
    expect([y(0), y(100), y(200)]).toEqual([300, 200, 100]);
    expect(linear(5, 5, 10, 20)(5)).toBe(10);
  });

  it("puts round ticks on the axis and ends it on one", () => {
    expect(niceTicks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0, 0.9, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceMax(937, 5)).toBe(1000);
    expect(niceTicks(0, niceMax(937, 5), 5).at(-1)).toBe(niceMax(937, 5));
  });

  it("never gives more ticks than there is room for labels", () => {
    // 170 days across room for 16 labels: every 20 days, not every 10.
    const ticks = niceTicks(20_600, 20_770, 16);
    expect(ticks.length).toBeLessThanOrEqual(17);
    expect(ticks[1]! - ticks[0]!).toBe(20);
    for (const count of [2, 3, 4, 5, 7, 11]) {
      expect(niceTicks(0, 937, count).length).toBeLessThanOrEqual(count + 1);
    }
  });

  it("has something to draw for empty or broken data", () => {
    expect(niceMax(0, 5)).toBe(1);
    expect(niceMax(Number.NaN, 5)).toBe(1);
    expect(niceTicks(3, 3, 5)).toEqual([3]);
    expect(niceTicks(0, Number.POSITIVE_INFINITY, 5)).toEqual([0]);
  });
});

import { describe, expect, it } from "vitest";
import {
  changeWords,
  dayNumber,
  heatmapCells,
  isOverdue,
  isoDayOf,
  levelOfCell,
  levelOfIndex,
  radarPath,
  radarPoint,
  wrapLabel,
} from "./scorecard-figures";

const g = { cx: 100, cy: 100, radius: 50, levels: 5 };

describe("radar geometry", () => {
  it("puts the first axis straight up and the top level on the outer ring", () => {
    expect(radarPoint(g, 0, 4, 5)).toEqual({ x: 100, y: 50 });
    const right = radarPoint(g, 1, 4, 5);
    expect(right.x).toBeCloseTo(150);
    expect(right.y).toBeCloseTo(100);
    expect(radarPoint(g, 2, 4, 1).y).toBeCloseTo(110);
  });

  it("closes a series with every value and breaks it where one is missing", () => {
    expect(radarPath(g, [5, 5, 5, 5])).toBe("M100.0 50.0L150.0 100.0L100.0 150.0L50.0 100.0Z");
    // Axis 1 unscored: only the segments 2→3 and 3→0 remain.
    expect(radarPath(g, [5, null, 5, 5])).toBe("M100.0 150.0L50.0 100.0M50.0 100.0L100.0 50.0");
    expect(radarPath(g, [null, null, null])).toBe("");
    expect(radarPath(g, [])).toBe("");
  });
});

describe("wrapLabel", () => {
  it("wraps at spaces and keeps a long word whole", () => {
    expect(wrapLabel("Digital presence and self-service", 18)).toEqual([
      "Digital presence",
      "and self-service",
    ]);
    expect(wrapLabel("Personalisation", 8)).toEqual(["Personalisation"]);
  });
});

describe("levelOfIndex", () => {
  it("reaches a level only at its index", () => {
    expect(levelOfIndex(0, 5)).toBe(1);
    expect(levelOfIndex(24.9, 5)).toBe(1);
    expect(levelOfIndex(25, 5)).toBe(2);
    expect(levelOfIndex(57.1, 5)).toBe(3);
    expect(levelOfIndex(100, 5)).toBe(5);
    expect(levelOfIndex(50, 3)).toBe(2);
  });
});

describe("changeWords", () => {
  it("says the direction in symbols and words", () => {
    expect(changeWords(12.34, "points", "May")).toEqual({
      text: "▲ 12.3 points",
      spoken: "up 12.3 points since May",
      direction: 1,
    });
    expect(changeWords(-3, "points", "May")?.spoken).toBe("down 3 points since May");
    expect(changeWords(0, "points", "May")?.direction).toBe(0);
    expect(changeWords(null, "points", "May")).toBeNull();
  });
});

describe("days", () => {
  it("round-trips a day through its number", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(isoDayOf(dayNumber("2026-03-01"))).toBe("2026-03-01");
  });

  it("marks only unfinished work past its due date as overdue", () => {
    expect(isOverdue("2026-01-01", "in_progress", "2026-01-02")).toBe(true);
    expect(isOverdue("2026-01-02", "in_progress", "2026-01-02")).toBe(false);
    expect(isOverdue("2026-01-01", "done", "2026-01-02")).toBe(false);
    expect(isOverdue(null, "planned", "2026-01-02")).toBe(false);
  });
});

describe("heatmapCells", () => {
  it("lists the first unit as the top row and scales levels to 0..1", () => {
    const cells = heatmapCells(
      [{ levels: { a: 1, b: 5 } }, { levels: { a: 3, b: null } }],
      [{ key: "a" }, { key: "b" }, { key: "c" }],
      5,
    );
    expect(cells).toEqual([
      [0.5, null, null],
      [0, 1, null],
    ]);
    expect(levelOfCell(0.5, 5)).toBe(3);
  });
});

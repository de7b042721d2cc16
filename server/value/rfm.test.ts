import { describe, expect, it } from "vitest";
import { quintileScores, rfmGroup, rfmScores } from "./rfm";

describe("quintileScores", () => {
  it("splits distinct values into fifths, worst = 1", () => {
    expect([...quintileScores([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], true)]).toEqual([
      5, 5, 4, 4, 3, 3, 2, 2, 1, 1,
    ]);
    expect([...quintileScores([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], false)]).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
  });

  it("gives tied values one score: the score of the first of them in rank order", () => {
    // Four customers tie for worst (40 %): all score 1; the next value has 40 % below it.
    expect([...quintileScores([0, 0, 0, 0, 2, 3, 4, 5, 6, 7], true)]).toEqual([1, 1, 1, 1, 3, 3, 4, 4, 5, 5]);
    // Everyone equal: everyone 1.
    expect([...quintileScores([3, 3, 3], true)]).toEqual([1, 1, 1]);
    expect([...quintileScores([], true)]).toEqual([]);
  });
});

describe("RFM groups", () => {
  it("covers every (R, FM) cell with the documented map", () => {
    const grid = [5, 4, 3, 2, 1].map((fm) => [1, 2, 3, 4, 5].map((r) => rfmGroup(r, fm)));
    expect(grid).toEqual([
      ["cannot lose", "cannot lose", "loyal", "champions", "champions"],
      ["at risk", "at risk", "loyal", "champions", "champions"],
      ["at risk", "at risk", "loyal", "loyal", "loyal"],
      ["lost", "hibernating", "potential loyalist", "potential loyalist", "potential loyalist"],
      ["lost", "hibernating", "potential loyalist", "new", "new"],
    ]);
  });

  it("scores customers by rank within the base and maps (R, FM) to a group", () => {
    const customers = [
      { x: 9, tx: 38, T: 39, totalSpend: 900 }, // bought last week, often, a lot
      { x: 0, tx: 0, T: 39, totalSpend: 10 }, // one purchase 39 weeks ago
      { x: 8, tx: 2, T: 39, totalSpend: 800 }, // used to buy a lot, silent for 37 weeks
      { x: 0, tx: 0, T: 2 / 7, totalSpend: 15 }, // first purchase two days ago
      { x: 1, tx: 10, T: 30, totalSpend: 40 },
    ];
    const scores = rfmScores(customers);
    expect(scores.map((s) => [s.recency, s.frequency, s.monetary, s.frequencyMonetary, s.group])).toEqual([
      [4, 5, 5, 5, "champions"],
      [1, 1, 1, 1, "lost"],
      [2, 4, 4, 4, "at risk"],
      [5, 1, 2, 2, "potential loyalist"], // FM = round(1.5) = 2
      [3, 3, 3, 3, "loyal"],
    ]);
  });

  it("uses frequency alone without amounts", () => {
    const scores = rfmScores([
      { x: 3, tx: 5, T: 5, totalSpend: null },
      { x: 0, tx: 0, T: 20, totalSpend: null },
    ]);
    expect(scores.map((s) => [s.monetary, s.frequencyMonetary])).toEqual([
      [null, 3],
      [null, 1],
    ]);
  });
});

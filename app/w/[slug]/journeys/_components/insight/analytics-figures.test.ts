import { describe, expect, it } from "vitest";
import {
  channelMatchRows,
  designedSequence,
  emptyReason,
  formatDuration,
  funnelRows,
  outOfOrderText,
  pathRows,
} from "./analytics-figures";
import { testAnalytics, testDesign } from "./test-fixtures";

describe("funnelRows", () => {
  it("gives each stage its count, share and the step into it; a stage without a goal counts nothing", () => {
    const rows = funnelRows(testAnalytics(), testDesign());
    expect(rows.map((r) => [r.name, r.reached, r.share, r.fromPrevious?.conversion ?? null])).toEqual([
      ["Discover", 120, 0.6, null],
      ["Consider", 60, 0.3, 0.5],
      ["Buy", 0, 0, 0],
      ["Use", null, null, null],
    ]);
    expect(rows[0]!.goal).toEqual({ event: "Email Opened", channel: null });
    expect(rows[3]!.goal).toBeNull();
    expect(rows[1]!.fromPrevious).toMatchObject({ dropOff: 60, medianHours: 30 });
  });

  it("names the members who did a stage's goal out of order, and the stage they had not reached", () => {
    const rows = funnelRows(testAnalytics(), testDesign());
    expect(rows.map((r) => [r.outOfOrder, r.countedAfter])).toEqual([
      [0, null],
      [20, "Discover"],
      [30, "Consider"],
      [null, null],
    ]);
    expect(rows.map(outOfOrderText)).toEqual([
      null,
      "20 more members did Product Viewed in the window, but not after reaching Discover: not counted here.",
      "30 more members did Order Completed in the window, but not after reaching Consider: not counted here.",
      null,
    ]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0.25, "15 min"],
    [0.001, "1 min"],
    [5, "5 h"],
    [7.25, "7.3 h"],
    [30, "30 h"],
    [77, "3.2 days"],
    [24 * 14, "14 days"],
  ])("%s hours is %s", (hours, text) => expect(formatDuration(hours)).toBe(text));
});

describe("channelMatchRows", () => {
  it("breaks the acting members down by channel, the designed one first", () => {
    const [welcome, lookbook, tips] = channelMatchRows(testAnalytics(), testDesign());
    expect(welcome).toMatchObject({ title: "Welcome email", stageName: "Discover", channel: "email" });
    expect(welcome!.action!.parts).toEqual([
      { channel: "email", members: 10, share: 0.2, designed: true },
      { channel: "web", members: 35, share: 0.7, designed: false },
      { channel: "mobile", members: 5, share: 0.1, designed: false },
    ]);
    expect(lookbook!.action).toMatchObject({ acted: 0, parts: [] });
    expect(tips!.action).toBeNull();
  });
});

describe("pathRows and designedSequence", () => {
  it("names the stages of each path and says whether it follows the design", () => {
    const rows = pathRows(testAnalytics(), testDesign());
    expect(
      rows.map((r) => [r.steps.map((s) => `${s.name} (${s.channel})`).join(" → "), r.followsDesign]),
    ).toEqual([
      ["Discover (email) → Consider (web)", true],
      ["Consider (web) → Discover (email)", false],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
    expect(designedSequence(testDesign()).map((s) => [s.name, s.hasGoal])).toEqual([
      ["Discover", true],
      ["Consider", true],
      ["Buy", true],
      ["Use", false],
    ]);
  });
});

describe("emptyReason", () => {
  it("tells an empty segment from a quiet window", () => {
    expect(emptyReason({ ...testAnalytics(), members: 0, membersWithEvents: 0 })).toBe("noMembers");
    expect(emptyReason({ ...testAnalytics(), membersWithEvents: 0 })).toBe("noEvents");
    expect(emptyReason(testAnalytics())).toBeNull();
  });
});

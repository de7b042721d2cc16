import { describe, expect, it } from "vitest";
import { describeRange, presetAsCustom, windowRange } from "./analytics-window";

const now = new Date("2026-11-22T15:30:00Z");

describe("windowRange", () => {
  it("ends a preset window after today, so today's events count", () => {
    expect(windowRange({ kind: "last", days: 90 }, now)).toEqual({
      ok: true,
      from: "2026-08-25",
      to: "2026-11-23",
    });
    expect(windowRange({ kind: "last", days: 30 }, now)).toEqual({
      ok: true,
      from: "2026-10-24",
      to: "2026-11-23",
    });
  });
  it("includes a custom window's last day", () => {
    expect(windowRange({ kind: "custom", from: "2026-01-01", to: "2026-01-31" }, now)).toEqual({
      ok: true,
      from: "2026-01-01",
      to: "2026-02-01",
    });
    expect(windowRange({ kind: "custom", from: "2026-03-04", to: "2026-03-04" }, now)).toEqual({
      ok: true,
      from: "2026-03-04",
      to: "2026-03-05",
    });
  });
  it("refuses a backwards, missing or impossible date", () => {
    expect(windowRange({ kind: "custom", from: "2026-02-01", to: "2026-01-31" }, now)).toEqual({
      ok: false,
      error: "The last day must be on or after the first day.",
    });
    expect(windowRange({ kind: "custom", from: "", to: "2026-01-31" }, now).ok).toBe(false);
    expect(windowRange({ kind: "custom", from: "2026-02-30", to: "2026-03-31" }, now)).toEqual({
      ok: false,
      error: "Enter the first day of the window as a date.",
    });
  });
  it("allows three years and not a day more", () => {
    expect(windowRange({ kind: "custom", from: "2023-01-01", to: "2025-12-31" }, now).ok).toBe(true);
    expect(windowRange({ kind: "custom", from: "2022-12-31", to: "2025-12-31" }, now)).toEqual({
      ok: false,
      error: "The window can be at most 3 years long.",
    });
  });
});

describe("presetAsCustom", () => {
  it("gives the preset's first and last day, which ask for the same window", () => {
    const dates = presetAsCustom(30, now);
    expect(dates).toEqual({ from: "2026-10-24", to: "2026-11-22" });
    expect(windowRange({ kind: "custom", ...dates }, now)).toEqual(
      windowRange({ kind: "last", days: 30 }, now),
    );
  });
});

describe("describeRange", () => {
  it("shows both ends included and the length", () => {
    expect(describeRange("2026-01-01", "2026-02-01")).toBe("1 Jan 2026 – 31 Jan 2026 (31 days)");
  });
});

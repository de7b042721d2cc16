import { describe, expect, it } from "vitest";
import { CDNOW_CALIBRATION_END, readCdnowSample } from "./cdnow";
import { CalibrationLog, formatDay, parseDay, summarizeTransactions } from "./summary";

describe("parseDay", () => {
  it("reads ISO dates, timestamps and YYYYMMDD, and refuses impossible dates", () => {
    expect(parseDay("1970-01-02")).toBe(1);
    expect(parseDay("19970101")).toBe(parseDay("1997-01-01"));
    expect(parseDay("1997-01-01T23:59:59+05:00")).toBe(parseDay("1997-01-01"));
    expect(formatDay(parseDay("2024-02-29")!)).toBe("2024-02-29");
    for (const bad of ["2023-02-29", "1997-13-01", "97-01-01", "01/02/1997", "", "19970132"]) {
      expect(parseDay(bad)).toBeUndefined();
    }
  });
});

describe("summarizeTransactions", () => {
  const rows = [
    { customerId: "a", date: "2024-01-01", amount: 10 },
    { customerId: "a", date: "2024-01-01", amount: 5 }, // same day: one transaction of 15
    { customerId: "a", date: "2024-01-15", amount: 20 },
    { customerId: "a", date: "2024-01-15", amount: 2 },
    { customerId: "a", date: "2024-01-08", amount: 30 },
    { customerId: "a", date: "2024-03-01", amount: 99 }, // after the calibration end
    { customerId: "b", date: "2024-01-29", amount: 7 },
    { customerId: "c", date: "2024-02-05", amount: 1 }, // only after the end: not a customer yet
  ];

  it("counts purchase days, not rows, and ignores what comes after the calibration end", () => {
    const [a, b, ...rest] = summarizeTransactions(rows, "2024-01-29");
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ customerId: "a", x: 2, tx: 2, T: 4, totalSpend: 67 });
    // Repeat days 2024-01-08 (30) and 2024-01-15 (22): the first day's 15 is left out.
    expect(a!.averageRepeatSpend).toBe(26);
    expect(b).toMatchObject({ customerId: "b", x: 0, tx: 0, T: 0, totalSpend: 7, averageRepeatSpend: null });
  });

  it("has no spend without amounts", () => {
    const log = new CalibrationLog(parseDay("2024-01-31")!, false);
    log.add("a", parseDay("2024-01-01")!);
    log.add("a", parseDay("2024-01-03")!);
    expect(log.summarize()).toEqual([
      expect.objectContaining({ x: 1, totalSpend: null, averageRepeatSpend: null }),
    ]);
  });

  it("reproduces lifetimes' CDNOW summary (customer 1: x 2, t_x 30.43, T 38.86, zbar 22.35)", () => {
    const tx = readCdnowSample();
    expect(tx).toHaveLength(6919);
    const summary = summarizeTransactions(
      tx.map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
      CDNOW_CALIBRATION_END,
    );
    expect(summary).toHaveLength(2357);
    expect(summary.filter((c) => c.x > 0)).toHaveLength(946);
    expect(summary.reduce((s, c) => s + c.x, 0)).toBe(2457);
    const first = summary[0]!;
    expect(first.customerId).toBe("0001");
    expect(first.x).toBe(2);
    expect(first.tx).toBeCloseTo(30.43, 2);
    expect(first.T).toBeCloseTo(38.86, 2);
    expect(first.averageRepeatSpend).toBeCloseTo(22.35, 2);
  });
});

import { describe, expect, it } from "vitest";
import { bucketIndex, bucketSpan, bucketWidthFor, BUCKET_WIDTHS_MS } from "~/server/customers/lane-buckets";
import {
  axisTicks,
  fetchWindow,
  fitDomain,
  labelledPositions,
  MAX_SPAN_MS,
  maxBucketsFor,
  MIN_SPAN_MS,
  pan,
  timeScale,
  withSpan,
  zoom,
} from "./lane-scale";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2025, 2, 1);

describe("lane buckets", () => {
  it("takes the narrowest width that fits the bucket count", () => {
    expect(bucketWidthFor(DAY, 300)).toBe(HOUR);
    expect(bucketWidthFor(30 * DAY, 300)).toBe(3 * HOUR);
    expect(bucketWidthFor(365 * DAY, 300)).toBe(2 * DAY);
    expect(bucketWidthFor(365 * DAY, 40)).toBe(14 * DAY);
  });

  it("falls back to the widest width for spans no width fits", () => {
    expect(bucketWidthFor(100 * 365 * DAY, 10)).toBe(BUCKET_WIDTHS_MS.at(-1));
  });

  it("refuses an empty span or no buckets", () => {
    expect(() => bucketWidthFor(0, 10)).toThrow(RangeError);
    expect(() => bucketWidthFor(DAY, 0)).toThrow(RangeError);
  });

  it("aligns buckets to the epoch, so an instant and its bucket span agree", () => {
    const at = new Date(Date.UTC(2025, 2, 1, 13, 45));
    const index = bucketIndex(at, DAY);
    const { start, end } = bucketSpan(index, DAY);
    expect(start.toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(end.toISOString()).toBe("2025-03-02T00:00:00.000Z");
    expect(bucketIndex(end, DAY)).toBe(index + 1);
    expect(bucketIndex(new Date(end.getTime() - 1), DAY)).toBe(index);
  });
});

describe("lane scale", () => {
  it("fits the whole history with room either side", () => {
    const d = fitDomain(new Date(t0), new Date(t0 + 100 * DAY), new Date(t0 + 200 * DAY));
    expect(d.from).toBeLessThan(t0);
    expect(d.to).toBeGreaterThan(t0 + 100 * DAY);
    expect(d.to - d.from).toBeCloseTo(104 * DAY, -3);
  });

  it("shows the week before now for a customer without events, and never less than the narrowest view", () => {
    const now = new Date(t0);
    expect(fitDomain(null, null, now).to).toBeGreaterThan(t0);
    const single = fitDomain(new Date(t0), new Date(t0), now);
    expect(single.to - single.from).toBeGreaterThanOrEqual(MIN_SPAN_MS);
    expect((single.from + single.to) / 2).toBe(t0);
  });

  it("zooms around the focus, keeping that instant in place", () => {
    const d = { from: t0, to: t0 + 10 * DAY };
    const at = t0 + 2.5 * DAY; // a quarter of the way across
    const z = zoom(d, 0.5, 0.25);
    expect(z.to - z.from).toBe(5 * DAY);
    expect(z.from + (z.to - z.from) * 0.25).toBe(at);
  });

  it("clamps zoom between hours and ten years", () => {
    const d = { from: t0, to: t0 + DAY };
    expect(zoom(d, 0.001).to - zoom(d, 0.001).from).toBe(MIN_SPAN_MS);
    const wide = zoom(d, 1e6);
    expect(wide.to - wide.from).toBe(MAX_SPAN_MS);
  });

  it("sets a preset span around the centre and pans by a share of the view", () => {
    const d = { from: t0, to: t0 + 10 * DAY };
    const week = withSpan(d, 7 * DAY);
    expect(week.to - week.from).toBeCloseTo(7 * DAY, -1);
    expect((week.from + week.to) / 2).toBeCloseTo(t0 + 5 * DAY, -1);
    expect(pan(d, -0.5)).toEqual({ from: t0 - 5 * DAY, to: t0 + 5 * DAY });
  });

  it("fetches a snapped stretch that covers the view, the same one for a small pan", () => {
    const d = { from: t0 + 1234567, to: t0 + 1234567 + 8 * DAY };
    const w = fetchWindow(d);
    expect(w.from).toBeLessThanOrEqual(d.from - 4 * DAY);
    expect(w.to).toBeGreaterThanOrEqual(d.to + 4 * DAY);
    expect(fetchWindow(pan(d, 0.001))).toEqual(w);
  });

  it("sizes the bucket count by the pixels of the fetched stretch, within the server's bounds", () => {
    const view = { from: t0, to: t0 + 10 * DAY };
    expect(maxBucketsFor({ from: t0 - 5 * DAY, to: t0 + 15 * DAY }, view, 800)).toBe(200);
    expect(maxBucketsFor(view, view, 20)).toBe(10);
    expect(maxBucketsFor({ from: t0, to: t0 + 1000 * DAY }, view, 2000)).toBe(2000);
  });

  it("places instants and ticks on the width, with calendar labels", () => {
    const d = { from: t0, to: t0 + 10 * DAY };
    expect(timeScale(d, 1000)(new Date(t0 + 5 * DAY))).toBe(500);
    const ticks = axisTicks(d, 1000);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(12);
    for (const tick of ticks) {
      expect(tick.x).toBeGreaterThanOrEqual(0);
      expect(tick.x).toBeLessThanOrEqual(1000);
      expect(tick.label).not.toBe("");
    }
  });

  it("labels markers only where the label does not overlap the one before", () => {
    expect(labelledPositions([0, 100, 30, 200, 220], 50)).toEqual([true, true, false, true, false]);
    expect(labelledPositions([], 50)).toEqual([]);
  });
});

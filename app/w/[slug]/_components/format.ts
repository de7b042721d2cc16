import { formatCount, formatMoney } from "./channels";

// Number and date formats of the value pages. A fixed locale keeps server and
// browser output identical. Workspaces have no currency yet, so money is a plain
// number with two decimals, as on the customer pages.

export { formatCount, formatMoney };

const percent0 = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 0 });
const percent1 = new Intl.NumberFormat("en-GB", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const decimal = (digits: number) =>
  new Intl.NumberFormat("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const decimal1 = decimal(1);
const decimal2 = decimal(2);
const significant = new Intl.NumberFormat("en-GB", { maximumSignificantDigits: 4 });
const compact = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** 0.873 → "87%". */
export function formatPercent(share: number) {
  return percent0.format(share);
}

/** 0.873 → "87.3%". */
export function formatPercent1(share: number) {
  return percent1.format(share);
}

export function formatDecimal1(value: number) {
  return decimal1.format(value);
}

export function formatDecimal2(value: number) {
  return decimal2.format(value);
}

/** A model parameter: four significant digits (0.2426, 4.414, 15.44). */
export function formatParameter(value: number) {
  return significant.format(value);
}

/** Axis ticks: 1200 → "1.2K". */
export function formatCompact(value: number) {
  return compact.format(value);
}

/** "YYYY-MM-DD" → "30 Sept 1997". */
export function formatDay(isoDay: string) {
  const time = Date.parse(`${isoDay.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(time) ? isoDay : day.format(time);
}

export function formatTimestamp(iso: string) {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateTime.format(time);
}

/**
 * A change of a share in percentage points, as a triangle and the points:
 * "▲ 2.1 pts", "▼ 0.4 pts", "no change". `spoken` is the same in words.
 */
export function shareChange(now: number, before: number) {
  const points = Math.round((now - before) * 1000) / 10;
  if (points === 0) return { text: "±0 pts", spoken: "no change since the previous fit", direction: 0 };
  const size = decimal1.format(Math.abs(points));
  return points > 0
    ? { text: `▲ ${size} pts`, spoken: `up ${size} points since the previous fit`, direction: 1 }
    : { text: `▼ ${size} pts`, spoken: `down ${size} points since the previous fit`, direction: -1 };
}

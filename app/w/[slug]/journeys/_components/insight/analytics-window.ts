// The window the analytics cover. People pick whole days, both ends included;
// the server takes [from, to) as ISO dates, so `to` is the day after the last
// day picked. Days are UTC days, like the events' timestamps on the server.

import { MAX_ANALYTICS_YEARS } from "~/server/journeys/analytics-window";

export const presetDays = [30, 90, 365] as const;
export type PresetDays = (typeof presetDays)[number];

export type WindowChoice =
  | { kind: "last"; days: PresetDays }
  | {
      kind: "custom";
      /** First day, YYYY-MM-DD. */ from: string;
      /** Last day, YYYY-MM-DD, included. */ to: string;
    };

export const defaultWindow: WindowChoice = { kind: "last", days: 90 };

const DAY = 24 * 3600 * 1000;
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

function parseDay(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const time = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a day that does not survive the round trip does not exist.
  return Number.isNaN(time) || isoDay(time) !== value ? null : time;
}

/** The first day that a window ending at `end` (exclusive) may start on. */
function earliestStart(end: number): number {
  const date = new Date(end);
  date.setUTCFullYear(date.getUTCFullYear() - MAX_ANALYTICS_YEARS);
  return date.getTime();
}

export type WindowRange = { ok: true; from: string; to: string } | { ok: false; error: string };

/** The [from, to) the server is asked for, or what is wrong with a custom window. */
export function windowRange(choice: WindowChoice, now: Date): WindowRange {
  if (choice.kind === "last") {
    const end = parseDay(now.toISOString().slice(0, 10))! + DAY;
    return { ok: true, from: isoDay(end - choice.days * DAY), to: isoDay(end) };
  }
  const from = parseDay(choice.from);
  const last = parseDay(choice.to);
  if (from === null) return { ok: false, error: "Enter the first day of the window as a date." };
  if (last === null) return { ok: false, error: "Enter the last day of the window as a date." };
  if (last < from) return { ok: false, error: "The last day must be on or after the first day." };
  const end = last + DAY;
  if (from < earliestStart(end)) {
    return { ok: false, error: `The window can be at most ${MAX_ANALYTICS_YEARS} years long.` };
  }
  return { ok: true, from: isoDay(from), to: isoDay(end) };
}

/** A preset as the first and last day of a custom window, to start editing from. */
export function presetAsCustom(days: PresetDays, now: Date): { from: string; to: string } {
  const range = windowRange({ kind: "last", days }, now);
  if (!range.ok) throw new Error("a preset window is always valid");
  return { from: range.from, to: isoDay(parseDay(range.to)! - DAY) };
}

/** "1 Aug 2026 – 29 Oct 2026 (90 days)" for a [from, to) range. */
export function describeRange(from: string, to: string): string {
  const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
  const start = parseDay(from);
  const end = parseDay(to);
  if (start === null || end === null) return `${from} – ${to}`;
  const days = Math.round((end - start) / DAY);
  return `${format.format(start)} – ${format.format(end - DAY)} (${days} ${days === 1 ? "day" : "days"})`;
}

import "server-only";
import { sql } from "drizzle-orm";
import type { BehaviourCondition, DateBound, Season, Window } from "../rules";

// When events count: windows (the last N days, or from and to a date), moments
// relative to now, and yearly periods, as conditions on `events e`.

export const DAY = 24 * 3600 * 1000;

/** The start (inclusive) and end (exclusive) of a window; a date-only `to` runs through that day. */
export function windowBounds(window: Window, now: Date): { from?: Date; to?: Date } {
  if ("lastDays" in window) return { from: new Date(now.getTime() - window.lastDays * DAY), to: undefined };
  const to =
    window.to === undefined
      ? undefined
      : new Date(window.to.length === 10 ? Date.parse(window.to) + DAY : Date.parse(window.to));
  return { from: window.from === undefined ? undefined : new Date(window.from), to };
}

export function timestamp(date: Date) {
  return sql`${date.toISOString()}::timestamptz`;
}

export function windowCondition(window: Window, now: Date) {
  const { from, to } = windowBounds(window, now);
  const parts = [sql`true`];
  if (from) parts.push(sql`e.timestamp >= ${timestamp(from)}`);
  if (to) parts.push(sql`e.timestamp < ${timestamp(to)}`);
  return sql.join(parts, sql` and `);
}

/**
 * The event's calendar day (UTC) in one of the yearly periods, or in none with
 * `outside`. The day is MMDD as a number, tested against one multirange, so it
 * is computed once per event whatever the number of periods.
 */
export function seasonCondition(season: Season) {
  const mmdd = (monthDay: string) => Number(monthDay.replace("-", ""));
  const range = (from: number, to: number) => sql`int4range(${from}::int, ${to}::int, '[]')`;
  const ranges = season.periods.flatMap(
    ({ from, to }) =>
      mmdd(from) <= mmdd(to)
        ? [range(mmdd(from), mmdd(to))]
        : [range(mmdd(from), 1231), range(101, mmdd(to))], // over New Year
  );
  const local = sql`(e.timestamp at time zone 'UTC')`;
  const day = sql`(date_part('month', ${local}) * 100 + date_part('day', ${local}))::int`;
  const inside = sql`int4multirange(${sql.join(ranges, sql`, `)}) @> ${day}`;
  return season.outside ? sql`not (${inside})` : inside;
}

export function boundDate(bound: DateBound, now: Date) {
  if ("daysAgo" in bound) return new Date(now.getTime() - bound.daysAgo * DAY);
  return new Date(bound.date);
}

/** The window that covers every condition's own: from the earliest start to the latest end (undefined: open). */
export function scanWindow(rules: readonly BehaviourCondition[], now: Date) {
  const bounds = rules.map((rule) => (rule.window ? windowBounds(rule.window, now) : {}));
  const earliest = bounds.every((b) => b.from)
    ? Math.min(...bounds.map((b) => b.from!.getTime()))
    : undefined;
  const latest = bounds.every((b) => b.to) ? Math.max(...bounds.map((b) => b.to!.getTime())) : undefined;
  return { bounds, earliest, latest };
}

/** How long a stream's scan window is, in ms (Infinity without a start): shorter windows read fewer rows. */
export function windowSpan(rules: readonly BehaviourCondition[], now: Date) {
  const { earliest, latest } = scanWindow(rules, now);
  return earliest === undefined ? Infinity : (latest ?? now.getTime()) - earliest;
}

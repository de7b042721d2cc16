import type { HourRange } from "../design";

// When a message may go out, in the customer's own time zone: a touchpoint's
// send window (only between these local hours) and the journey's quiet hours
// (never between these, unless the touchpoint opts out). Pure, so the runner,
// the dry run and the tests share it.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime knows ("Europe/Amsterdam", "UTC"). */
export function isTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== "string" || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local hour, minute and second of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: part("hour"), minute: part("minute"), second: part("second") };
}

/** Whether a local hour is inside a range; start > end wraps midnight (21 → 8 is the night). */
export function inHours(hour: number, range: HourRange) {
  return range.startHour < range.endHour
    ? hour >= range.startHour && hour < range.endHour
    : hour >= range.startHour || hour < range.endHour;
}

export interface SendRules {
  sendWindow: HourRange | null;
  quietHours: HourRange | null;
  respectQuietHours: boolean;
}

/** Whether a message may go out at this local hour. */
export function mayGoOutAt(hour: number, rules: SendRules) {
  if (rules.sendWindow && !inHours(hour, rules.sendWindow)) return false;
  if (rules.respectQuietHours && rules.quietHours && inHours(hour, rules.quietHours)) return false;
  return true;
}

const HOUR_MS = 3_600_000;

/**
 * The earliest moment at or after `due` when the rules let the message go out in
 * `timeZone`, and inside the hours `within` when given (the customer's best
 * hours): `due` itself, or the start of the first local hour that is allowed.
 * Null when no hour of the day is (a send window entirely inside the quiet hours).
 * Steps hour by hour in UTC, which crosses daylight-saving changes correctly.
 */
export function nextSendTime(due: Date, timeZone: string, rules: SendRules, within?: HourRange): Date | null {
  const allowed = (hour: number) => mayGoOutAt(hour, rules) && (!within || inHours(hour, within));
  const local = localTime(due, timeZone);
  if (allowed(local.hour)) return due;
  const hourStart = due.getTime() - (local.minute * 60 + local.second) * 1000 - (due.getTime() % 1000);
  for (let k = 1; k <= 49; k++) {
    const candidate = new Date(hourStart + k * HOUR_MS);
    if (allowed(localTime(candidate, timeZone).hour)) return candidate;
  }
  return null;
}

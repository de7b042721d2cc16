import type { HourRange } from "~/server/journeys/design";
import { localTime } from "~/server/journeys/run/timing";
import { HISTORY_DAYS, type ActivitySlot } from "./reactions";

// The customer's usual active hours, in their time zone, from their own events
// of the last 180 days (docs/journeys.md, "Best channel and best hour"): the
// two consecutive local hours holding the most events, when there are at least
// 8 events and those two hours hold at least a quarter of them (else the
// events are spread over the day and no hour is theirs). Ties: more events in
// the first of the two hours (so that the hours start when the customer does),
// then the latest event, then the earlier hours. A touchpoint that sends "at
// the customer's best hour" sends inside these two hours.

export const MIN_EVENTS = 8;
/** The share of the events the two hours must hold. */
export const MIN_SHARE = 0.25;
export const ACTIVE_HOURS = 2;

export interface BestHour {
  /** The usual active hours (local), or null when there are none. */
  hours: HourRange | null;
  timeZone: string;
  /** One sentence: the hours and what they come from, or why there are none. */
  reason: string;
}

export const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

export function bestHour(slots: ActivitySlot[], timeZone: string): BestHour {
  const counts = new Array<number>(24).fill(0);
  const latest = new Array<number>(24).fill(0);
  let total = 0;
  for (const slot of slots) {
    const { hour } = localTime(slot.at, timeZone);
    counts[hour]! += slot.events;
    latest[hour] = Math.max(latest[hour]!, slot.at.getTime());
    total += slot.events;
  }
  if (total < MIN_EVENTS) {
    return {
      hours: null,
      timeZone,
      reason: `Too few events in the last ${HISTORY_DAYS} days (${total}; ${MIN_EVENTS} needed): no best hour`,
    };
  }
  // Each start hour's key, compared in order: events in the two hours, in the first, the latest event.
  const keyOf = (h: number) => {
    const window = Array.from({ length: ACTIVE_HOURS }, (_, k) => (h + k) % 24);
    return [
      window.reduce((n, w) => n + counts[w]!, 0),
      counts[h]!,
      Math.max(...window.map((w) => latest[w]!)),
    ];
  };
  let start = 0;
  let key = keyOf(0);
  for (let h = 1; h < 24; h++) {
    const candidate = keyOf(h);
    const better = candidate.findIndex((v, i) => v !== key[i]);
    if (better >= 0 && candidate[better]! > key[better]!) {
      start = h;
      key = candidate;
    }
  }
  const held = key[0]!;
  const end = (start + ACTIVE_HOURS) % 24;
  if (held < total * MIN_SHARE) {
    return {
      hours: null,
      timeZone,
      reason:
        `Their ${total} events in the last ${HISTORY_DAYS} days are spread over the day ` +
        `(at most ${held} in any ${ACTIVE_HOURS} hours, a quarter needed): no best hour`,
    };
  }
  return {
    hours: { startHour: start, endHour: end },
    timeZone,
    reason: `Usually active ${clock(start)}–${clock(end)} ${timeZone}, from ${total} events (${held} in those hours)`,
  };
}

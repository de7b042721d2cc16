import { createParser, parseAsArrayOf, parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useCallback } from "react";
import { channels, eventTypes, type Channel, type EventType } from "~/db/enums";

// The timeline's filters as URL parameters (nuqs), the customer list's pattern:
// a reload, a shared link and the back button show the same events.

export interface TimelineFilters {
  channels: Channel[];
  type: EventType | "";
  event: string;
  /** yyyy-mm-dd from the date inputs, in the viewer's time zone. */
  from: string;
  to: string;
}

export const noTimelineFilters: TimelineFilters = { channels: [], type: "", event: "", from: "", to: "" };

/** A yyyy-mm-dd day as a date input gives it; anything else reads as no date. */
const parseAsDay = createParser({
  parse: (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null),
  serialize: (value: string) => value,
});

const timelineFilterParams = {
  channels: parseAsArrayOf(parseAsStringLiteral(channels)).withDefault([]),
  type: parseAsStringLiteral(eventTypes),
  event: parseAsString.withDefault(""),
  from: parseAsDay.withDefault(""),
  to: parseAsDay.withDefault(""),
};

/** The filters the URL holds, and a change of some of them (an empty value removes its parameter). */
export function useTimelineFilters() {
  // Each change is a step of the browser's history, so the back button undoes it.
  const [params, setParams] = useQueryStates(timelineFilterParams, { history: "push" });
  const filters: TimelineFilters = { ...params, type: params.type ?? "" };
  const change = useCallback(
    (patch: Partial<TimelineFilters>) => {
      const { type, ...rest } = patch;
      void setParams({ ...rest, ...(type === undefined ? {} : { type: type || null }) });
    },
    [setParams],
  );
  return [filters, change] as const;
}

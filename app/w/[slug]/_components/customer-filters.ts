import { parseAsString, parseAsStringLiteral, type inferParserType } from "nuqs";
import { channels } from "~/db/enums";
import { rfmGroups } from "./rfm-groups";
import { parseAsUuid } from "./url-state";

// The customer list's search, filters and sort as URL parameters, and how they
// become the input of the list procedure.

const DAY = 24 * 3600 * 1000;

export const seenOptions = [
  { value: "", label: "Any time" },
  { value: "7d", label: "Within 7 days" },
  { value: "30d", label: "Within 30 days" },
  { value: "90d", label: "Within 90 days" },
  { value: "365d", label: "Within 12 months" },
  { value: "not-90d", label: "Over 90 days ago" },
  { value: "not-365d", label: "Over a year ago" },
  { value: "before", label: "Before a date…" },
] as const;

export const sortOptions = [
  { value: "lastSeen", label: "Last seen, newest first" },
  { value: "name", label: "Name, A to Z" },
  { value: "value", label: "Predicted value, highest first" },
  { value: "alive", label: "Probability alive, highest first" },
] as const;

export type Sort = (typeof sortOptions)[number]["value"];

export const sortCaptions: Record<Sort, string> = {
  lastSeen: "last seen",
  name: "name",
  value: "predicted value",
  alive: "probability alive",
};

/**
 * The URL parameters. The typed ones drop a bad value (it reads as no filter);
 * "seen", "before" and the amounts stay text, so a half-typed amount is not
 * taken out of its field, and are read by `customerListFilters`.
 */
export const customerFilterParams = {
  q: parseAsString.withDefault(""),
  channel: parseAsStringLiteral(channels),
  seen: parseAsString.withDefault(""),
  before: parseAsString.withDefault(""),
  min: parseAsString.withDefault(""),
  group: parseAsStringLiteral(rfmGroups),
  minClv: parseAsString.withDefault(""),
  segment: parseAsUuid,
  sort: parseAsStringLiteral(sortOptions.map((option) => option.value)).withDefault("lastSeen"),
};

export type CustomerFilterParams = inferParserType<typeof customerFilterParams>;

/** The filters cleared by "Clear filters": all but the sort, and the segment, which a segment's page fixes. */
export const clearedFilters = {
  q: null,
  channel: null,
  seen: null,
  before: null,
  min: null,
  group: null,
  minClv: null,
} satisfies Partial<Record<keyof CustomerFilterParams, null>>;

function startOfTodayUtc() {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function nonNegativeAmount(text: string) {
  const amount = Number(text);
  return text && Number.isFinite(amount) && amount >= 0 ? amount : undefined;
}

/** The URL's parameters as the list procedure's filters. */
export function customerListFilters(params: CustomerFilterParams) {
  let lastSeenWithinDays: number | undefined;
  let lastSeenBefore: Date | undefined;
  const within = /^(\d{1,5})d$/.exec(params.seen);
  const notFor = /^not-(\d{1,5})d$/.exec(params.seen);
  if (within) lastSeenWithinDays = Math.max(1, Number(within[1]));
  // Whole days, so the query (and its cache key) stays the same all day.
  if (notFor) lastSeenBefore = new Date(startOfTodayUtc() - Number(notFor[1]) * DAY);
  const { before } = params;
  if (params.seen === "before" && /^\d{4}-\d{2}-\d{2}$/.test(before) && !Number.isNaN(Date.parse(before))) {
    lastSeenBefore = new Date(`${before}T00:00:00Z`);
  }
  return {
    search: params.q.trim() || undefined,
    channel: params.channel ?? undefined,
    lastSeenWithinDays,
    lastSeenBefore,
    minSpend: nonNegativeAmount(params.min),
    rfmGroup: params.group ?? undefined,
    minClv: nonNegativeAmount(params.minClv),
    segmentId: params.segment ?? undefined,
    sort: params.sort,
  };
}

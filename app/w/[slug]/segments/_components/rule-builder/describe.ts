import type { DateBound, Rule, Season, ValueTest, Window } from "~/server/segments/rules";
import {
  channelLabel,
  comparisonLabels,
  eventTypeLabels,
  fieldLabel,
  measureLabels,
  rfmGroupInfo,
  testOpLabels,
  type Condition,
} from "./labels";

// Plain-language sentences for a rule tree, e.g.
// "Performed Order Completed in at least 8 distinct weeks in the last 91 days".

export interface DescribeOptions {
  /** The name of a segment by id, for "Member of segment …". */
  segmentName?: (id: string) => string | undefined;
}

const numberFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 4 });

function n(value: number) {
  return numberFormat.format(value);
}

function percent(fraction: number) {
  return `${n(Math.round(fraction * 10000) / 100)} %`;
}

function quote(value: string | number | boolean) {
  return typeof value === "string" ? `"${value}"` : String(value);
}

function plural(count: number, one: string, many = `${one}s`) {
  return `${n(count)} ${count === 1 ? one : many}`;
}

export function describeTest(test: ValueTest): string {
  const op = testOpLabels[test.op];
  switch (test.op) {
    case "isSet":
    case "isNotSet":
      return op;
    case "in":
      return `${op} ${test.values.length ? test.values.map(quote).join(", ") : "(no values)"}`;
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return `${op} ${n(test.value)}`;
    default:
      return `${op} ${quote(test.value)}`;
  }
}

export function describeWindow(window: Window | undefined): string {
  if (!window) return "";
  if ("lastDays" in window)
    return window.lastDays === 1 ? "in the last day" : `in the last ${n(window.lastDays)} days`;
  const from = window.from?.slice(0, 10);
  const to = window.to?.slice(0, 10);
  if (from && to) return `between ${from} and ${to}`;
  if (from) return `since ${from}`;
  if (to) return `up to ${to}`;
  return "";
}

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "11-20" → "20 Nov"; a malformed day is shown as typed. */
function describeMonthDay(monthDay: string) {
  const match = /^(\d{2})-(\d{2})$/.exec(monthDay);
  const month = match ? monthNames[Number(match[1]) - 1] : undefined;
  return match && month ? `${Number(match[2])} ${month}` : monthDay || "?";
}

export function describeSeason(season: Season | undefined): string {
  if (!season) return "";
  const periods = season.periods.map((p) => `${describeMonthDay(p.from)}–${describeMonthDay(p.to)}`);
  return season.outside
    ? `outside ${periods.join(" and ")} of any year`
    : `in ${periods.join(" or ")} of any year`;
}

function bounds(range: { atLeast?: number; atMost?: number } | undefined, unit: string, many?: string) {
  if (!range) return "";
  const { atLeast, atMost } = range;
  if (atLeast !== undefined && atMost !== undefined) {
    return atLeast === atMost
      ? `exactly ${plural(atLeast, unit, many)}`
      : `between ${n(atLeast)} and ${plural(atMost, unit, many)}`;
  }
  if (atLeast !== undefined) return `at least ${plural(atLeast, unit, many)}`;
  if (atMost !== undefined) return `at most ${plural(atMost, unit, many)}`;
  return "";
}

type EventFilter = Pick<
  Extract<Condition, { type: "behaviour" }>,
  "event" | "eventType" | "channel" | "properties"
>;

function describeEvent(filter: EventFilter, fallback = "any event") {
  const parts = [
    filter.event
      ? filter.event
      : filter.eventType
        ? `any ${eventTypeLabels[filter.eventType].toLowerCase()} event`
        : fallback,
  ];
  if (filter.event && filter.eventType) parts.push(`(${filter.eventType})`);
  if (filter.channel) parts.push(`on ${channelLabel(filter.channel)}`);
  return parts.join(" ");
}

/** Last in the sentence, so that "at least 2 times" stays beside the event it counts. */
function describeProperties(filter: EventFilter) {
  if (!filter.properties?.length) return "";
  return `where ${filter.properties.map((p) => `${p.property || "(property)"} ${describeTest(p.test)}`).join(" and ")}`;
}

function describeBound(bound: DateBound, side: "before" | "after") {
  if ("date" in bound) return `${side} ${bound.date.slice(0, 10)}`;
  if (bound.daysAgo === 0) return side === "after" ? "today" : "before today";
  return side === "after"
    ? `within the last ${plural(bound.daysAgo, "day")}`
    : `more than ${plural(bound.daysAgo, "day")} ago`;
}

function sentence(parts: (string | undefined | false)[]) {
  return parts.filter(Boolean).join(" ");
}

export function describeCondition(rule: Condition, options: DescribeOptions = {}): string {
  switch (rule.type) {
    case "trait":
      return `${fieldLabel(rule.field)} ${describeTest(rule.test)}`;
    case "behaviour": {
      if (!rule.performed) {
        return sentence([
          "Did not perform",
          describeEvent(rule),
          describeWindow(rule.window),
          describeSeason(rule.season),
          describeProperties(rule),
        ]);
      }
      const weeks = bounds(rule.weeks, "distinct week");
      return sentence([
        "Performed",
        describeEvent(rule),
        bounds(rule.times, "time"),
        weeks && `in ${weeks}`,
        describeWindow(rule.window),
        describeSeason(rule.season),
        describeProperties(rule),
      ]);
    }
    case "eventTime": {
      const which = rule.which === "first" ? "First" : "Last";
      const when = [
        rule.after && describeBound(rule.after, "after"),
        rule.before && describeBound(rule.before, "before"),
      ].filter(Boolean);
      return sentence([
        which,
        describeEvent(rule),
        describeProperties(rule),
        "was",
        when.length ? when.join(" and ") : "at any time",
      ]);
    }
    case "channelShare":
      return `${comparisonLabels[rule.op].replace(/^./, (c) => c.toUpperCase())} ${percent(rule.value)} of events on ${channelLabel(rule.channel)}`;
    case "channelCount":
      return `Used ${comparisonLabels[rule.op]} ${plural(rule.value, "channel")}`;
    case "eventCount":
      return `${comparisonLabels[rule.op].replace(/^./, (c) => c.toUpperCase())} ${plural(rule.value, "event")} in total`;
    case "rfmGroup":
      return rule.groups.length
        ? `RFM group is ${rule.groups.map((g) => rfmGroupInfo[g]?.label ?? g).join(" or ")}`
        : "RFM group is (none chosen)";
    case "value": {
      const measure = measureLabels[rule.measure];
      if (rule.op === "topPercent" || rule.op === "bottomPercent") {
        return `${measure} in the ${rule.op === "topPercent" ? "top" : "bottom"} ${n(rule.value)} % of customers`;
      }
      const value = rule.measure === "pAlive" ? percent(rule.value) : n(rule.value);
      return `${measure} ${comparisonLabels[rule.op]} ${value}`;
    }
    case "spend":
      return sentence(["Spent", comparisonLabels[rule.op], n(rule.value), describeWindow(rule.window)]);
    case "segment": {
      const name = options.segmentName?.(rule.segmentId);
      const target = name ? `segment "${name}"` : "another segment";
      return `${rule.member ? "Member" : "Not a member"} of ${target}`;
    }
  }
}

function describeNode(rule: Rule, options: DescribeOptions, nested: boolean): string {
  switch (rule.type) {
    case "and":
    case "or": {
      if (rule.rules.length === 0) return "(empty group)";
      if (rule.rules.length === 1) return describeNode(rule.rules[0]!, options, nested);
      const text = rule.rules
        .map((r) => describeNode(r, options, true))
        .join(rule.type === "and" ? " and " : " or ");
      return nested ? `(${text})` : text;
    }
    case "not":
      return `not (${describeNode(rule.rule, options, false)})`;
    default:
      return describeCondition(rule, options);
  }
}

/** One sentence for a whole rule tree; nested groups are in parentheses. */
export function describeRule(rule: Rule, options: DescribeOptions = {}): string {
  return describeNode(rule, options, false);
}

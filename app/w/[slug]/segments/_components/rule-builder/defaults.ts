import type { Rule } from "~/server/segments/rules";
import type { Condition, ConditionType } from "./labels";

// A new condition of each type, valid as it stands (parseRule accepts it), so
// adding a row never shows an error before the person has typed anything.

export interface DefaultContext {
  /** Segments a segment condition may refer to; the first is picked. */
  segments?: readonly { id: string }[];
}

export function defaultCondition(type: ConditionType, context: DefaultContext = {}): Condition {
  switch (type) {
    case "behaviour":
      return { type, performed: true, event: "Order Completed", window: { lastDays: 90 } };
    case "eventTime":
      return { type, which: "last", after: { daysAgo: 30 } };
    case "trait":
      return { type, field: "email", test: { op: "isSet" } };
    case "channelShare":
      return { type, channel: "web", op: "gte", value: 0.5 };
    case "channelCount":
      return { type, op: "gte", value: 2 };
    case "eventCount":
      return { type, op: "gte", value: 10 };
    case "rfmGroup":
      return { type, groups: ["champions", "loyal"] };
    case "value":
      return { type, measure: "clv", op: "topPercent", value: 20 };
    case "spend":
      return { type, window: { lastDays: 365 }, op: "gte", value: 100 };
    case "segment":
      // Without another segment the id stays empty and the server names the problem.
      return { type, segmentId: context.segments?.[0]?.id ?? "", member: true };
  }
}

/** A new group holding one condition; the opposite of its parent's combinator reads most naturally. */
export function defaultGroup(parentType: "and" | "or", context: DefaultContext = {}): Rule {
  return { type: parentType === "and" ? "or" : "and", rules: [defaultCondition("behaviour", context)] };
}

/** A rule for a new segment: one behaviour condition in an AND group. */
export function emptyRule(context: DefaultContext = {}): Rule {
  return { type: "and", rules: [defaultCondition("behaviour", context)] };
}

export function todayIso(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

export function daysBeforeIso(days: number, now = new Date()) {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

import type { Channel, EventType } from "~/db/enums";
import type { Rule, ValueCondition, ValueTest } from "~/server/segments/rules";
import { channelLabels } from "../../../_components/channels";
import { rfmGroupInfo, rfmGroups } from "../../../_components/rfm-groups";

// The words the editor and the summaries share, so a row's controls and its
// sentence always say the same thing.

export { channelLabels, rfmGroupInfo, rfmGroups };

export type Condition = Exclude<Rule, { type: "and" | "or" | "not" }>;
export type ConditionType = Condition["type"];

export const conditionTypeLabels: Record<ConditionType, string> = {
  behaviour: "Did an event",
  eventTime: "First or last event",
  trait: "Trait",
  channelShare: "Share of a channel",
  channelCount: "Number of channels",
  eventCount: "Number of events",
  rfmGroup: "RFM group",
  value: "Customer value",
  spend: "Spend",
  segment: "Another segment",
};

export const conditionTypes = Object.keys(conditionTypeLabels) as ConditionType[];

export const eventTypeLabels: Record<EventType, string> = {
  track: "Track (an action)",
  page: "Page view",
  screen: "App screen view",
  identify: "Identify",
  group: "Group",
  alias: "Alias",
};

export type TestOp = ValueTest["op"];

export const testOpLabels: Record<TestOp, string> = {
  equals: "is",
  notEquals: "is not",
  contains: "contains",
  startsWith: "starts with",
  in: "is one of",
  gt: "is more than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  before: "is before",
  after: "is after",
  isSet: "is set",
  isNotSet: "is not set",
};

export const testOps = Object.keys(testOpLabels) as TestOp[];

export const measureLabels: Record<ValueCondition["measure"], string> = {
  clv: "Predicted lifetime value",
  pAlive: "Probability alive",
  expectedPurchases90d: "Expected purchases (next 90 days)",
  pastRevenue: "Past revenue",
};

export const valueOpLabels: Record<ValueCondition["op"], string> = {
  gte: "at least",
  lte: "at most",
  topPercent: "in the top",
  bottomPercent: "in the bottom",
};

export const comparisonLabels = { gte: "at least", lte: "at most", equals: "exactly" } as const;

export function channelLabel(channel: Channel) {
  return channelLabels[channel];
}

/** "traits.city" → "city"; the built-in fields by name. */
export function fieldLabel(field: string) {
  if (field === "name") return "Name";
  if (field === "email") return "Email";
  if (field === "phone") return "Phone";
  return field.startsWith("traits.") ? `Trait "${field.slice(7)}"` : field;
}

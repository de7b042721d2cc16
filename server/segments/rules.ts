import { z } from "zod";
import { channels, eventTypes } from "~/db/enums";
import { InvalidInputError } from "~/server/errors";
import { rfmGroups } from "~/server/value/rfm";

// The segment rule tree: groups (and / or / not) over conditions, validated
// here and compiled to one parameterised SQL condition by ./sql/rule-tree.ts.
// Objects are strict, so an unknown field or operator is refused, never ignored.

export const MAX_RULE_DEPTH = 6;
export const MAX_RULE_CONDITIONS = 50;
const MAX_TEXT = 500;
const MAX_KEY = 100;
const MAX_LIST = 100;
const MAX_NUMBER = 1e12;
const MAX_DAYS = 3650;

// PostgreSQL text cannot hold NUL, so it is refused here rather than failing in the query.
const text = (max = MAX_TEXT) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

const number = z.number().finite().min(-MAX_NUMBER).max(MAX_NUMBER);
const count = z.number().int().min(0).max(1_000_000);
const days = z.number().int().min(1).max(MAX_DAYS);
/** YYYY-MM-DD, or an ISO date-time with Z or an offset; years 1000-8999 so that date arithmetic stays in range. */
const isoDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: () => "must be a date (YYYY-MM-DD) or an ISO date-time with Z or an offset",
  })
  .refine((s) => /^[1-8]/.test(s), "must be between the years 1000 and 8999");

const channel = z.enum(channels);
const eventType = z.enum(eventTypes);

/** A comparison on one value: a trait, a column or an event property. */
export const ZValueTest = z.discriminatedUnion(
  "op",
  [
    z.strictObject({ op: z.literal("equals"), value: z.union([text(), number, z.boolean()]) }),
    z.strictObject({ op: z.literal("notEquals"), value: z.union([text(), number, z.boolean()]) }),
    z.strictObject({ op: z.literal("contains"), value: text() }),
    z.strictObject({ op: z.literal("startsWith"), value: text() }),
    z.strictObject({ op: z.literal("in"), values: z.array(text()).min(1).max(MAX_LIST) }),
    z.strictObject({ op: z.enum(["gt", "gte", "lt", "lte"]), value: number }),
    z.strictObject({ op: z.enum(["before", "after"]), value: isoDate }),
    z.strictObject({ op: z.enum(["isSet", "isNotSet"]) }),
  ],
  {
    error: () =>
      "unknown operator: use equals, notEquals, contains, startsWith, in, gt, gte, lt, lte, before, after, isSet or isNotSet",
  },
);
export type ValueTest = z.infer<typeof ZValueTest>;

/** name, email, phone, or traits.<key> (any key of the traits object). */
const traitField = z
  .string()
  .max(MAX_KEY + 7)
  .refine((s) => !s.includes("\u0000"), "must not contain NUL characters")
  .refine(
    (s) => s === "name" || s === "email" || s === "phone" || (s.startsWith("traits.") && s.length > 7),
    "unknown field: use name, email, phone or traits.<key>",
  );

const ZTraitCondition = z.strictObject({ type: z.literal("trait"), field: traitField, test: ZValueTest });

const ZPropertyFilter = z.strictObject({ property: text(MAX_KEY), test: ZValueTest });

/** When: the last N days before `now`, or from / to (to a date means through that day). */
const ZWindow = z.union(
  [
    z.strictObject({ lastDays: days }),
    z
      .strictObject({ from: isoDate.optional(), to: isoDate.optional() })
      .refine((w) => w.from !== undefined || w.to !== undefined, "give from, to or both"),
  ],
  {
    error: () => "a window is { lastDays: 1-3650 } or { from, to } with dates (YYYY-MM-DD or ISO date-times)",
  },
);
export type Window = z.infer<typeof ZWindow>;

/** A day of any year, MM-DD. */
const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, "must be a day of the year as MM-DD, e.g. 11-20");

/**
 * Days of every year: the event's calendar day (UTC) is in one of the periods,
 * from through to (a period whose from is after its to runs over New Year),
 * or, with `outside`, in none of them. Sale seasons, holidays, summer.
 */
const ZSeason = z.strictObject({
  periods: z
    .array(z.strictObject({ from: monthDay, to: monthDay }))
    .min(1, "give at least one period")
    .max(12),
  outside: z.boolean().optional(),
});
export type Season = z.infer<typeof ZSeason>;

const eventFilter = {
  event: text().optional(),
  eventType: eventType.optional(),
  channel: channel.optional(),
  properties: z.array(ZPropertyFilter).max(10).optional(),
};

/**
 * Performed (or did not perform) matching events. `times` bounds how many;
 * `weeks` how many distinct ISO weeks (UTC) they fall in, so "bought in at
 * least 8 of the last 13 weeks" is `{ weeks: { atLeast: 8 }, window: { lastDays: 91 } }`.
 * Performed means at least once unless `times.atLeast` is 0.
 */
const ZBehaviourCondition = z
  .strictObject({
    type: z.literal("behaviour"),
    performed: z.boolean(),
    ...eventFilter,
    window: ZWindow.optional(),
    season: ZSeason.optional(),
    times: z.strictObject({ atLeast: count.optional(), atMost: count.optional() }).optional(),
    weeks: z.strictObject({ atLeast: count.optional(), atMost: count.optional() }).optional(),
  })
  .refine((c) => c.performed || (c.times === undefined && c.weeks === undefined), {
    message: "times and weeks apply only to performed: true",
    path: ["performed"],
  });

const ZDateBound = z.union([
  z.strictObject({ date: isoDate }),
  z.strictObject({ daysAgo: z.number().int().min(0).max(MAX_DAYS) }),
]);

/** The first or last matching event happened before and/or after a moment. */
const ZEventTimeCondition = z
  .strictObject({
    type: z.literal("eventTime"),
    which: z.enum(["first", "last"]),
    ...eventFilter,
    before: ZDateBound.optional(),
    after: ZDateBound.optional(),
  })
  .refine((c) => c.before !== undefined || c.after !== undefined, "give before, after or both");

const comparison = z.enum(["gte", "lte"]);

/** Share (0-1) of the customer's events on a channel. */
const ZChannelShareCondition = z.strictObject({
  type: z.literal("channelShare"),
  channel,
  op: comparison,
  value: z.number().min(0).max(1),
});

/** How many distinct channels the customer used. */
const ZChannelCountCondition = z.strictObject({
  type: z.literal("channelCount"),
  op: z.enum(["gte", "lte", "equals"]),
  value: z.number().int().min(0).max(channels.length),
});

/** All events of the customer (customers.event_count). */
const ZEventCountCondition = z.strictObject({
  type: z.literal("eventCount"),
  op: z.enum(["gte", "lte", "equals"]),
  value: count,
});

const ZRfmGroupCondition = z.strictObject({
  type: z.literal("rfmGroup"),
  groups: z.array(z.enum(rfmGroups)).min(1).max(rfmGroups.length),
});

/**
 * A figure of the latest value fit: gte / lte a value, or in the top / bottom
 * N % of the workspace's customers that have it.
 */
const ZValueCondition = z
  .strictObject({
    type: z.literal("value"),
    measure: z.enum(["clv", "pAlive", "expectedPurchases90d", "pastRevenue"]),
    op: z.enum(["gte", "lte", "topPercent", "bottomPercent"]),
    value: number,
  })
  .refine((c) => (c.op === "topPercent" || c.op === "bottomPercent" ? c.value > 0 && c.value <= 100 : true), {
    message: "a percentage must be above 0 and at most 100",
    path: ["value"],
  })
  .refine(
    (c) =>
      c.measure === "pAlive" && (c.op === "gte" || c.op === "lte") ? c.value >= 0 && c.value <= 1 : true,
    {
      message: "P(alive) is between 0 and 1",
      path: ["value"],
    },
  );

/** Sum of purchase amounts (track events with an amount) in a window. */
const ZSpendCondition = z.strictObject({
  type: z.literal("spend"),
  window: ZWindow.optional(),
  op: comparison,
  value: number,
});

/** Membership of another segment, resolved by the caller (./sql/options.ts: SegmentResolver). */
const ZSegmentCondition = z.strictObject({
  type: z.literal("segment"),
  segmentId: z.uuid(),
  member: z.boolean(),
});

export type TraitCondition = z.infer<typeof ZTraitCondition>;
export type PropertyFilter = z.infer<typeof ZPropertyFilter>;
export type BehaviourCondition = z.infer<typeof ZBehaviourCondition>;
export type DateBound = z.infer<typeof ZDateBound>;
export type EventTimeCondition = z.infer<typeof ZEventTimeCondition>;
export type ChannelShareCondition = z.infer<typeof ZChannelShareCondition>;
export type ChannelCountCondition = z.infer<typeof ZChannelCountCondition>;
export type EventCountCondition = z.infer<typeof ZEventCountCondition>;
export type RfmGroupCondition = z.infer<typeof ZRfmGroupCondition>;
export type ValueCondition = z.infer<typeof ZValueCondition>;
export type SpendCondition = z.infer<typeof ZSpendCondition>;
export type SegmentCondition = z.infer<typeof ZSegmentCondition>;

export type Condition =
  | TraitCondition
  | BehaviourCondition
  | EventTimeCondition
  | ChannelShareCondition
  | ChannelCountCondition
  | EventCountCondition
  | RfmGroupCondition
  | ValueCondition
  | SpendCondition
  | SegmentCondition;

export type Rule = { type: "and" | "or"; rules: Rule[] } | { type: "not"; rule: Rule } | Condition;

const conditionTypes = [
  "and",
  "or",
  "not",
  "trait",
  "behaviour",
  "eventTime",
  "channelShare",
  "channelCount",
  "eventCount",
  "rfmGroup",
  "value",
  "spend",
  "segment",
] as const;

const ZRuleNode: z.ZodType<Rule> = z.lazy(() =>
  z.discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.enum(["and", "or"]),
        rules: z.array(ZRuleNode).min(1).max(MAX_RULE_CONDITIONS),
      }),
      z.strictObject({ type: z.literal("not"), rule: ZRuleNode }),
      ZTraitCondition,
      ZBehaviourCondition,
      ZEventTimeCondition,
      ZChannelShareCondition,
      ZChannelCountCondition,
      ZEventCountCondition,
      ZRfmGroupCondition,
      ZValueCondition,
      ZSpendCondition,
      ZSegmentCondition,
    ],
    { error: () => `unknown rule type: use ${conditionTypes.join(", ")}` },
  ),
);

/** Depth (groups count as one level each) and number of conditions, checked on the raw input first so a hostile tree cannot exhaust the stack. */
function measure(node: unknown, depth: number, counts: { conditions: number; depth: number }) {
  counts.depth = Math.max(counts.depth, depth);
  if (depth > MAX_RULE_DEPTH || counts.conditions > MAX_RULE_CONDITIONS) return;
  if (!node || typeof node !== "object") return;
  const { type, rules, rule } = node as { type?: unknown; rules?: unknown; rule?: unknown };
  if ((type === "and" || type === "or") && Array.isArray(rules)) {
    for (const child of rules.slice(0, MAX_RULE_CONDITIONS + 1)) measure(child, depth + 1, counts);
  } else if (type === "not") {
    measure(rule, depth + 1, counts);
  } else {
    counts.conditions++;
  }
}

export const ZSegmentRule = z.unknown().transform((input, ctx): Rule => {
  const counts = { conditions: 0, depth: 0 };
  measure(input, 1, counts);
  if (counts.depth > MAX_RULE_DEPTH) {
    ctx.addIssue({ code: "custom", message: `rules may nest at most ${MAX_RULE_DEPTH} levels deep` });
    return z.NEVER;
  }
  if (counts.conditions > MAX_RULE_CONDITIONS) {
    ctx.addIssue({ code: "custom", message: `a segment may have at most ${MAX_RULE_CONDITIONS} conditions` });
    return z.NEVER;
  }
  const parsed = ZRuleNode.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: "custom", path: issue.path });
    return z.NEVER;
  }
  return parsed.data;
});

/** ["rules", 0, "test", "op"] → "rule.rules[0].test.op"; the root is "rule". */
export function formatRulePath(path: readonly PropertyKey[]) {
  if (path.length === 0) return "rule";
  return `rule${path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")}`;
}

/** A rule tree that failed validation; `issues` keep every path and message. */
export class InvalidRuleError extends InvalidInputError {
  name = "InvalidRuleError";
  constructor(issues: { path: string; message: string }[]) {
    super(
      `Invalid segment rule: ${issues
        .slice(0, 3)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ")}`,
      issues,
    );
  }
}

/** Validates a rule tree; throws InvalidRuleError naming the path of each bad node. */
export function parseRule(input: unknown): Rule {
  const parsed = ZSegmentRule.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidRuleError(
    parsed.error.issues.map((issue) => ({ path: formatRulePath(issue.path), message: issue.message })),
  );
}

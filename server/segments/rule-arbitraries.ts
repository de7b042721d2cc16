import fc from "fast-check";
import { channels, eventTypes, rfmGroups } from "~/db/enums";
import { MAX_RULE_DEPTH } from "./rules";

// Rule trees for property tests, shaped like the schema of ./rules.ts: each
// condition kind with its own fields, nested in and / or / not. Most values
// are valid; some are hostile or out of range (SQL in strings, LIKE wildcards,
// NUL, lone surrogates, too long, impossible dates, unknown operators and
// kinds, trees too deep), so a tree is either refused or compiled. Optional
// fields are optional keys and groups are arrays, so a failing tree shrinks
// to the few conditions and fields that make it fail.

/** Strings that break careless SQL and text handling; some are valid rule text, some are refused. */
export const hostileStrings = [
  "'; drop table customers; --",
  "a\u0000b",
  "x".repeat(600),
  "y".repeat(500),
  "ünïcødé 🙂 中文",
  "%_\\",
  "\\",
  "$1",
  "?",
  "' or '1'='1",
  "\ud800",
  "",
  "plan",
  "discount",
  "2026-02-31",
  "1e999999",
  "  42  ",
] as const;

const hostile = fc.constantFrom(...hostileStrings);

/** A value of the wrong kind wherever the schema wants something else. */
const anything = fc.oneof(
  hostile,
  fc.double({ min: -5e12, max: 5e12, noNaN: true }),
  fc.integer({ min: -5, max: 14 }),
  fc.boolean(),
  fc.constantFrom<unknown>(null, Number.NaN, Infinity, [], {}),
);

/** Mostly a valid value, now and then one the schema refuses; shrinks towards the valid one. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
}

/** Text: the fixture's own words, or a hostile string. */
const text = fc.oneof(
  { arbitrary: fc.constantFrom("gold", "Gold", "silver", "plan", "signup", "Order Completed"), weight: 3 },
  { arbitrary: hostile, weight: 2 },
);

const number = mostly(
  fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double({ min: -1e12, max: 1e12, noNaN: true })),
  anything,
);
const count = mostly(fc.integer({ min: 0, max: 6 }), fc.constantFrom(-1, 2.5, 2_000_000));
const days = mostly(fc.integer({ min: 1, max: 400 }), fc.constantFrom(0, -3, 4000, 1.5));
const isoDate = mostly(
  fc.constantFrom(
    "2026-01-01",
    "2026-06-01",
    "2025-03-01",
    "2025-06-01T10:00:00Z",
    "2026-06-10T00:00:00+02:00",
  ),
  fc.oneof(fc.constantFrom("2026-02-31", "0000-01-01", "9999-12-31"), hostile),
);
const channel = mostly(fc.constantFrom(...channels), fc.constantFrom("fax", "moon"));

/** Every operator of ZValueTest with its operands, and an unknown one. */
const valueTest = fc.oneof(
  fc.record({ op: fc.constantFrom("equals", "notEquals"), value: fc.oneof(text, number, fc.boolean()) }),
  fc.record({ op: fc.constantFrom("contains", "startsWith"), value: text }),
  fc.record({ op: fc.constant("in"), values: fc.array(text, { minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constantFrom("gt", "gte", "lt", "lte"), value: number }),
  fc.record({ op: fc.constantFrom("before", "after"), value: isoDate }),
  fc.record({ op: fc.constantFrom("isSet", "isNotSet") }),
  fc.record({ op: fc.constant("regex"), value: text }),
);

const window = fc.oneof(
  fc.record({ lastDays: days }),
  // Neither key is refused: a window gives from, to or both.
  fc.record({ from: isoDate, to: isoDate }, { requiredKeys: [] }),
);

const monthDay = mostly(
  fc.constantFrom("11-20", "06-15", "12-31", "01-01", "03-10", "02-29"),
  fc.oneof(fc.constantFrom("13-01", "1-1"), hostile),
);
const season = fc.record(
  {
    periods: fc.array(fc.record({ from: monthDay, to: monthDay }), { minLength: 1, maxLength: 3 }),
    outside: fc.boolean(),
  },
  { requiredKeys: ["periods"] },
);

const eventFilter = {
  event: mostly(fc.constantFrom("Order Completed", "Email Opened", "Post Liked", "Product Viewed"), text),
  eventType: mostly(fc.constantFrom(...eventTypes), fc.constant("click")),
  channel,
  properties: fc.array(
    fc.record({ property: mostly(fc.constantFrom("discount", "revenue"), text), test: valueTest }),
    { minLength: 1, maxLength: 2 },
  ),
};

const dateBound = fc.oneof(
  fc.record({ daysAgo: mostly(fc.integer({ min: 0, max: 400 }), fc.constantFrom(-1, 5000)) }),
  fc.record({ date: isoDate }),
);
const bounds = fc.record({ atLeast: count, atMost: count }, { requiredKeys: [] });

/** One arbitrary per condition kind of the schema, and a kind it does not know. */
export const conditionArbitraries = {
  trait: fc.record({
    type: fc.constant("trait"),
    field: mostly(
      fc.oneof(
        fc.constantFrom("name", "email", "phone", "traits.plan", "traits.age", "traits.signup", "traits.vip"),
        text.map((key) => `traits.${key}`),
      ),
      hostile,
    ),
    test: valueTest,
  }),
  behaviour: fc.record(
    {
      type: fc.constant("behaviour"),
      performed: fc.boolean(),
      ...eventFilter,
      window,
      season,
      times: bounds,
      weeks: bounds,
    },
    { requiredKeys: ["type", "performed"] },
  ),
  eventTime: fc.record(
    {
      type: fc.constant("eventTime"),
      which: mostly(fc.constantFrom("first", "last"), hostile),
      ...eventFilter,
      before: dateBound,
      after: dateBound,
    },
    { requiredKeys: ["type", "which"] },
  ),
  channelShare: fc.record({
    type: fc.constant("channelShare"),
    channel,
    op: mostly(fc.constantFrom("gte", "lte"), fc.constant("like")),
    value: mostly(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 1.01, max: 1.2, noNaN: true }),
    ),
  }),
  channelCount: fc.record({
    type: fc.constant("channelCount"),
    op: mostly(fc.constantFrom("gte", "lte", "equals"), fc.constant("like")),
    value: mostly(fc.integer({ min: 0, max: channels.length }), fc.constant(channels.length + 2)),
  }),
  eventCount: fc.record({
    type: fc.constant("eventCount"),
    op: fc.constantFrom("gte", "lte", "equals"),
    value: mostly(fc.integer({ min: 0, max: 12 }), anything),
  }),
  rfmGroup: fc.record({
    type: fc.constant("rfmGroup"),
    groups: fc.array(mostly(fc.constantFrom(...rfmGroups), text), { minLength: 1, maxLength: 3 }),
  }),
  value: fc.record({
    type: fc.constant("value"),
    measure: mostly(
      fc.constantFrom("clv", "pAlive", "expectedPurchases90d", "pastRevenue"),
      fc.constant("ssn"),
    ),
    op: fc.constantFrom("gte", "lte", "topPercent", "bottomPercent"),
    value: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 120, noNaN: true })),
  }),
  spend: fc.record(
    { type: fc.constant("spend"), op: fc.constantFrom("gte", "lte"), value: number, window },
    { requiredKeys: ["type", "op", "value"] },
  ),
  segment: fc.record({
    type: fc.constant("segment"),
    segmentId: mostly(fc.uuid(), hostile),
    member: fc.boolean(),
  }),
  unknown: fc.record({ type: hostile, field: hostile }),
};

const condition = fc.oneof(
  ...Object.entries(conditionArbitraries).map(([kind, arbitrary]) => ({
    arbitrary: arbitrary as fc.Arbitrary<unknown>,
    // A kind the schema does not know is refused whatever the rest: rarely.
    weight: kind === "unknown" ? 1 : 4,
  })),
);

/**
 * A rule tree: conditions under and / or / not, now and then deeper than the
 * schema allows. Shrinking replaces a group by one of its conditions.
 */
export const ruleTree: fc.Arbitrary<unknown> = fc.letrec<{ rule: unknown }>((tie) => ({
  rule: fc.oneof(
    { maxDepth: MAX_RULE_DEPTH + 2, depthSize: "medium", withCrossShrink: true },
    { arbitrary: condition, weight: 5 },
    { arbitrary: fc.record({ type: fc.constant("not"), rule: tie("rule") }), weight: 1 },
    {
      arbitrary: fc.record({
        type: fc.constantFrom("and", "or"),
        rules: fc.array(tie("rule"), { minLength: 1, maxLength: 4 }),
      }),
      weight: 3,
    },
  ),
})).rule;

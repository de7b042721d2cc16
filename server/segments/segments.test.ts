import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { DbOrTx } from "~/db";
import { seedDemo } from "~/server/demo/seed";
import { valueFits, workspaces } from "~/db/schema";
import { numericOrNull } from "~/db/sql";
import {
  insertCustomer,
  insertCustomerValue,
  insertEvents,
  type EventSeed,
} from "~/server/customers/test-fixtures";
import { RuleError } from "~/server/errors";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { countAndSampleMatching, countMatching } from "./matching";
import { matchingCondition, resolverFromRules } from "./sql/matching-query";
import type { SegmentResolver } from "./sql/options";
import { compileRule } from "./sql/rule-tree";
import { ruleTree } from "./rule-arbitraries";
import { InvalidRuleError, MAX_RULE_CONDITIONS, parseRule, type Rule } from "./rules";
import { segmentTemplates } from "./templates";
import { buildStreams } from "./streams";
import { loadValueThresholds } from "./thresholds";

const DAY = 24 * 3600 * 1000;
const now = new Date("2026-06-15T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

/** The rule-tree fuzz (./rule-arbitraries.ts): seeded, so a failure replays; 200 trees take a few seconds per database. */
const FUZZ_SEED = 1717;
const FUZZ_RUNS = 200;

const order = (
  days: number,
  amount: number,
  channel: EventSeed["channel"] = "web",
  discount = 0,
): EventSeed => ({
  event: "Order Completed",
  channel,
  timestamp: daysAgo(days),
  amount,
  properties: { revenue: amount, discount },
});

// ---------------------------------------------------------------------------
// Validation (no database)
// ---------------------------------------------------------------------------

describe("segment rule validation", () => {
  const rejects = (input: unknown, message: RegExp) => {
    expect(() => parseRule(input)).toThrow(InvalidRuleError);
    expect(() => parseRule(input)).toThrow(message);
  };

  it("accepts every template", () => {
    for (const template of segmentTemplates) expect(parseRule(template.rule)).toEqual(template.rule);
  });

  it("rejects unknown fields, operators, rule types and keys, naming the path", () => {
    rejects({ type: "trait", field: "password", test: { op: "isSet" } }, /rule\.field: unknown field/);
    rejects(
      { type: "and", rules: [{ type: "trait", field: "email", test: { op: "matches", value: "x" } }] },
      /rules\[0\]\.test\.op: unknown operator/,
    );
    rejects({ type: "or", rules: [{ type: "sql", text: "1=1" }] }, /rules\[0\]\.type: unknown rule type/);
    rejects({ type: "eventCount", op: "gte", value: 1, raw: "x" }, /Unrecognized key/);
    rejects({ type: "behaviour", performed: true, channel: "fax" }, /rule\.channel/);
  });

  it("rejects wrong types, out-of-range numbers, bad dates and NUL characters", () => {
    rejects({ type: "eventCount", op: "gte", value: "3" }, /rule\.value/);
    rejects({ type: "value", measure: "pAlive", op: "gte", value: 2 }, /P\(alive\) is between 0 and 1/);
    rejects({ type: "value", measure: "clv", op: "topPercent", value: 0 }, /percentage/);
    rejects(
      { type: "spend", op: "gte", value: 1, window: { from: "2026-02-31" } },
      /rule\.window: a window is/,
    );
    rejects({ type: "eventTime", which: "first", before: { date: "9999-12-31" } }, /rule\.before/);
    rejects({ type: "trait", field: "traits.a", test: { op: "equals", value: "a\u0000b" } }, /NUL/);
    rejects(
      { type: "trait", field: "traits.a", test: { op: "equals", value: "x".repeat(501) } },
      /at most 500/,
    );
    rejects({ type: "behaviour", performed: false, event: "x", times: { atLeast: 2 } }, /performed: true/);
    rejects({ type: "segment", segmentId: "not-a-uuid", member: true }, /segmentId/);
    const season = (periods: unknown) => ({ type: "behaviour", performed: true, season: { periods } });
    rejects(
      season([{ from: "13-01", to: "12-31" }]),
      /rule\.season\.periods\[0\]\.from: must be a day of the year as MM-DD/,
    );
    rejects(season([{ from: "11-20" }]), /rule\.season\.periods\[0\]\.to/);
    rejects(season([]), /give at least one period/);
  });

  it("rejects trees deeper than 6 levels or with more than 50 conditions", () => {
    let deep: unknown = { type: "eventCount", op: "gte", value: 1 };
    for (let i = 0; i < 6; i++) deep = { type: "not", rule: deep };
    rejects(deep, /at most 6 levels/);
    let hostile: unknown = { type: "eventCount", op: "gte", value: 1 };
    for (let i = 0; i < 100_000; i++) hostile = { type: "and", rules: [hostile] };
    rejects(hostile, /at most 6 levels/);
    const wide = {
      type: "or",
      rules: Array.from({ length: MAX_RULE_CONDITIONS + 1 }, () => ({
        type: "eventCount",
        op: "gte",
        value: 1,
      })),
    };
    rejects(wide, /at most 50 conditions/);
  });
});

// ---------------------------------------------------------------------------
// Each condition against a small fixture with hand-computed memberships
// ---------------------------------------------------------------------------

describeEachDatabase("segment rules", (getDb) => {
  let workspaceId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const db = getDb();
    await truncateAllTables(db);
    workspaceId = (await makeWorkspace(db, "Northwind")).workspace.id;
    const otherWorkspaceId = (await makeWorkspace(db, "Elsewhere")).workspace.id;
    const add = async (
      name: string,
      seed: Parameters<typeof insertCustomer>[2],
      events: EventSeed[] = [],
      workspace = workspaceId,
    ) => {
      const id = await insertCustomer(db, workspace, { name, ...seed });
      await insertEvents(db, workspace, id, events);
      ids[name] = id;
      return id;
    };

    // Ana: web buyer with discounts and newsletter opens, champion.
    await add(
      "Ana",
      {
        email: "ana@example.test",
        phone: "+351 912 000 001",
        traits: { plan: "gold", age: 34, signup: "2026-01-10", vip: true },
        firstSeenAt: daysAgo(200),
        lastSeenAt: daysAgo(2),
        eventCount: 5,
        channelCounts: { web: 3, email: 2 },
      },
      [
        order(2, 50, "web", 0.3),
        order(10, 60, "web", 0.5),
        order(200, 40, "web"),
        { event: "Email Opened", channel: "email", timestamp: daysAgo(5) },
        { event: "Email Opened", channel: "email", timestamp: daysAgo(400) },
      ],
    );
    // Ben: one big store purchase long ago, at risk.
    await add(
      "Ben",
      {
        email: "ben@example.test",
        traits: { plan: "silver", age: "41", signup: "2025-03-01T10:00:00Z" },
        firstSeenAt: daysAgo(100),
        lastSeenAt: daysAgo(100),
        eventCount: 1,
        channelCounts: { store: 1 },
      },
      [order(100, 200, "store")],
    );
    // Cy: hostile-looking traits, no events.
    await add("Cy", {
      email: "cy_100%@example.test",
      traits: { plan: "Gold", age: "n/a", signup: "not a date", note: "'; drop table customers; --" },
      eventCount: 0,
    });
    // Dee: weekly mobile buyer for 10 weeks who likes posts.
    await add(
      "Dee",
      {
        email: "dee@example.test",
        traits: { plan: "platinum", age: 52.5 },
        firstSeenAt: daysAgo(400),
        lastSeenAt: daysAgo(1),
        eventCount: 12,
        channelCounts: { social: 2, mobile: 10 },
      },
      [
        ...Array.from({ length: 10 }, (_, k) => order(7 * k + 1, 20, "mobile")),
        { event: "Post Liked", channel: "social", timestamp: daysAgo(1) },
        { event: "Post Liked", channel: "social", timestamp: daysAgo(3) },
      ],
    );
    // Eve: new, only looked.
    await add(
      "Eve",
      {
        traits: {},
        firstSeenAt: daysAgo(10),
        lastSeenAt: daysAgo(10),
        eventCount: 1,
        channelCounts: { web: 1 },
      },
      [
        {
          event: "Product Viewed",
          channel: "web",
          timestamp: daysAgo(10),
          properties: { name: "Olive oil 100%" },
        },
      ],
    );
    // Merged into Ana, and a lookalike in another workspace: never counted.
    await add(
      "Merged",
      { mergedInto: ids.Ana, traits: { plan: "gold" }, eventCount: 1, channelCounts: { web: 1 } },
      [order(3, 999)],
    );
    await add(
      "Outsider",
      { traits: { plan: "gold" }, eventCount: 1, channelCounts: { web: 1 } },
      [order(3, 999)],
      otherWorkspaceId,
    );

    await insertCustomerValue(db, workspaceId, ids.Ana!, { clv: 500, pAlive: 0.9, group: "champions" });
    await insertCustomerValue(db, workspaceId, ids.Ben!, { clv: 50, pAlive: 0.2, group: "at risk" });
    await insertCustomerValue(db, workspaceId, ids.Dee!, { clv: 300, pAlive: 0.95, group: "loyal" });
    await insertCustomerValue(db, workspaceId, ids.Eve!, { clv: null, pAlive: 0.6, group: "new" });
    // Whole-workspace counts read the customer streams where they answer; members() compares them with events.
    for (const id of [workspaceId, otherWorkspaceId])
      await buildStreams(db, { workspaceId: id, settleMs: 0 });
  });

  async function members(rule: unknown, resolveSegment?: SegmentResolver) {
    const db = getDb();
    const { count, sample } = await countAndSampleMatching(db, workspaceId, rule, 100, {
      now,
      resolveSegment,
    });
    const total = await countMatching(db, workspaceId, rule, { now, resolveSegment });
    expect(count).toBe(total);
    expect(sample.length).toBe(total);
    expect(sample.map((row) => row.id)).toEqual(sample.map((row) => row.id).sort());
    // Both use the whole-workspace shape, with the customer streams. The per-customer shape
    // agrees, and so does the whole-workspace shape from events alone, from the streams
    // wherever they answer (short windows too), and when an AND's further sets read and hash
    // rows instead of testing the few customers left one by one.
    expect(await countCorrelated(db, rule, resolveSegment)).toBe(total);
    expect(await countMatching(db, workspaceId, rule, { now, resolveSegment, streams: false })).toBe(total);
    expect(
      await countMatching(db, workspaceId, rule, { now, resolveSegment, streams: true, shortWindowDays: 0 }),
    ).toBe(total);
    expect(await countMatching(db, workspaceId, rule, { now, resolveSegment, oneByOneUpTo: 0 })).toBe(total);
    return sample.map((row) => row.name).sort();
  }

  async function countCorrelated(db: DbOrTx, rule: unknown, resolveSegment?: SegmentResolver) {
    const where = matchingCondition(workspaceId, rule, { now, resolveSegment, shape: "customers" });
    const result = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from customers c where ${where}`,
    );
    return result.rows[0]!.n;
  }

  const trait = (field: string, test: unknown) => ({ type: "trait", field, test });

  it("matches traits and columns: equals, contains, in, numbers, dates, is set", async () => {
    expect(await members(trait("traits.plan", { op: "equals", value: "GOLD" }))).toEqual(["Ana", "Cy"]);
    expect(await members(trait("traits.plan", { op: "notEquals", value: "gold" }))).toEqual(["Ben", "Dee"]);
    expect(await members(trait("traits.vip", { op: "equals", value: true }))).toEqual(["Ana"]);
    expect(await members(trait("traits.age", { op: "equals", value: 41 }))).toEqual(["Ben"]);
    expect(await members(trait("email", { op: "contains", value: "_100%" }))).toEqual(["Cy"]);
    expect(await members(trait("email", { op: "contains", value: "%" }))).toEqual(["Cy"]);
    expect(await members(trait("name", { op: "startsWith", value: "d" }))).toEqual(["Dee"]);
    expect(await members(trait("traits.plan", { op: "in", values: ["silver", "Platinum"] }))).toEqual([
      "Ben",
      "Dee",
    ]);
    expect(await members(trait("traits.age", { op: "gte", value: 40 }))).toEqual(["Ben", "Dee"]);
    expect(await members(trait("traits.age", { op: "lt", value: 40 }))).toEqual(["Ana"]);
    expect(await members(trait("traits.signup", { op: "after", value: "2025-12-31" }))).toEqual(["Ana"]);
    expect(await members(trait("traits.signup", { op: "before", value: "2025-12-31T00:00:00Z" }))).toEqual([
      "Ben",
    ]);
    expect(await members(trait("phone", { op: "isSet" }))).toEqual(["Ana"]);
    expect(await members(trait("traits.signup", { op: "isNotSet" }))).toEqual(["Dee", "Eve"]);
    expect(
      await members(trait("traits.note", { op: "equals", value: "'; drop table customers; --" })),
    ).toEqual(["Cy"]);
  });

  it("matches behaviour: performed or not, channel, properties, counts, weeks and windows", async () => {
    const bought = { type: "behaviour", performed: true, event: "Order Completed" };
    expect(await members(bought)).toEqual(["Ana", "Ben", "Dee"]);
    expect(await members({ ...bought, performed: false })).toEqual(["Cy", "Eve"]);
    expect(await members({ ...bought, channel: "store" })).toEqual(["Ben"]);
    expect(await members({ ...bought, times: { atLeast: 3 } })).toEqual(["Ana", "Dee"]);
    expect(await members({ ...bought, times: { atMost: 3 } })).toEqual(["Ana", "Ben"]);
    expect(await members({ ...bought, times: { atLeast: 2, atMost: 3 } })).toEqual(["Ana"]);
    expect(await members({ ...bought, times: { atLeast: 0, atMost: 1 } })).toEqual(["Ben", "Cy", "Eve"]);
    expect(await members({ ...bought, window: { lastDays: 30 } })).toEqual(["Ana", "Dee"]);
    expect(await members({ ...bought, window: { lastDays: 30 }, times: { atLeast: 4 } })).toEqual(["Dee"]);
    expect(await members({ ...bought, window: { from: "2026-03-01", to: "2026-03-07" } })).toEqual(["Ben"]);
    expect(await members({ ...bought, window: { lastDays: 91 }, weeks: { atLeast: 8 } })).toEqual(["Dee"]);
    const discounted = [{ property: "discount", test: { op: "gte", value: 0.3 } }];
    expect(await members({ ...bought, properties: discounted })).toEqual(["Ana"]);
    expect(await members({ ...bought, properties: discounted, times: { atLeast: 2 } })).toEqual(["Ana"]);
    expect(
      await members({
        type: "behaviour",
        performed: true,
        properties: [{ property: "name", test: { op: "contains", value: "100%" } }],
      }),
    ).toEqual(["Eve"]);
    expect(await members({ type: "behaviour", performed: true, eventType: "identify" })).toEqual([]);
  });

  it("matches purchases in yearly periods, or outside them", async () => {
    const bought = { type: "behaviour", performed: true, event: "Order Completed" } as const;
    const inPeriods = (periods: { from: string; to: string }[], outside?: boolean) => ({
      ...bought,
      season: { periods, outside },
    });
    // Orders: Ana 27 Nov 2025, 5 and 13 Jun; Ben 7 Mar; Dee weekly 12 Apr-14 Jun.
    expect(await members(inPeriods([{ from: "11-20", to: "12-31" }]))).toEqual(["Ana"]);
    // A period over New Year.
    expect(await members(inPeriods([{ from: "12-15", to: "03-10" }]))).toEqual(["Ben"]);
    expect(
      await members(
        inPeriods([
          { from: "03-01", to: "03-31" },
          { from: "11-01", to: "11-30" },
        ]),
      ),
    ).toEqual(["Ana", "Ben"]);
    expect(await members({ ...inPeriods([{ from: "04-01", to: "06-30" }], true), performed: false })).toEqual(
      ["Cy", "Dee", "Eve"],
    );
    // Only in the periods, with a discount: one scan, each condition with its own periods.
    const onlyInSale = (periods: { from: string; to: string }[]) => ({
      type: "and",
      rules: [
        { ...inPeriods(periods), properties: [{ property: "discount", test: { op: "gte", value: 0.3 } }] },
        { ...inPeriods(periods, true), performed: false },
      ],
    });
    expect(await members(onlyInSale([{ from: "06-01", to: "06-30" }]))).toEqual([]); // Ana also bought in November
    expect(await members(onlyInSale([{ from: "11-01", to: "06-30" }]))).toEqual(["Ana"]);
  });

  it("matches the first or last time, with and without an event filter", async () => {
    expect(await members({ type: "eventTime", which: "first", after: { daysAgo: 30 } })).toEqual(["Eve"]);
    expect(await members({ type: "eventTime", which: "last", before: { daysAgo: 30 } })).toEqual(["Ben"]);
    expect(
      await members({
        type: "eventTime",
        which: "first",
        event: "Order Completed",
        before: { date: "2026-01-01" },
      }),
    ).toEqual(["Ana"]);
    expect(
      await members({
        type: "eventTime",
        which: "last",
        event: "Email Opened",
        after: { daysAgo: 7 },
        before: { daysAgo: 1 },
      }),
    ).toEqual(["Ana"]);
    // With a property filter: Ana's first order with 30 % off or more was 10 days ago; her first order, 200.
    expect(
      await members({
        type: "eventTime",
        which: "first",
        event: "Order Completed",
        properties: [{ property: "discount", test: { op: "gte", value: 0.3 } }],
        after: { daysAgo: 30 },
      }),
    ).toEqual(["Ana"]);
  });

  it("matches channel habits", async () => {
    expect(await members({ type: "channelShare", channel: "mobile", op: "gte", value: 0.5 })).toEqual([
      "Dee",
    ]);
    expect(await members({ type: "channelShare", channel: "web", op: "lte", value: 0.5 })).toEqual([
      "Ben",
      "Dee",
    ]);
    expect(await members({ type: "channelCount", op: "gte", value: 2 })).toEqual(["Ana", "Dee"]);
    expect(await members({ type: "channelCount", op: "equals", value: 0 })).toEqual(["Cy"]);
    expect(await members({ type: "eventCount", op: "gte", value: 5 })).toEqual(["Ana", "Dee"]);
  });

  it("matches value: RFM group, P(alive), predicted value, top share and spend in a window", async () => {
    expect(await members({ type: "rfmGroup", groups: ["champions", "at risk"] })).toEqual(["Ana", "Ben"]);
    expect(await members({ type: "value", measure: "pAlive", op: "lte", value: 0.6 })).toEqual([
      "Ben",
      "Eve",
    ]);
    expect(await members({ type: "value", measure: "clv", op: "gte", value: 300 })).toEqual(["Ana", "Dee"]);
    // Three customers have a value (50, 300, 500): the top and bottom 30 % are one each, 40 % two.
    expect(await members({ type: "value", measure: "clv", op: "topPercent", value: 30 })).toEqual(["Ana"]);
    expect(await members({ type: "value", measure: "clv", op: "topPercent", value: 40 })).toEqual([
      "Ana",
      "Dee",
    ]);
    expect(await members({ type: "value", measure: "clv", op: "bottomPercent", value: 30 })).toEqual(["Ben"]);
    expect(await members({ type: "spend", op: "gte", value: 150 })).toEqual(["Ana", "Ben", "Dee"]);
    expect(await members({ type: "spend", op: "gte", value: 105, window: { lastDays: 30 } })).toEqual([
      "Ana",
    ]);
    expect(await members({ type: "spend", op: "lte", value: 0 })).toEqual(["Cy", "Eve"]);
  });

  it("combines and / or / not", async () => {
    const bought = { type: "behaviour", performed: true, event: "Order Completed" };
    const gold = trait("traits.plan", { op: "equals", value: "gold" });
    expect(await members({ type: "and", rules: [bought, gold] })).toEqual(["Ana"]);
    expect(
      await members({ type: "or", rules: [gold, { type: "eventCount", op: "gte", value: 12 }] }),
    ).toEqual(["Ana", "Cy", "Dee"]);
    // NOT of a condition on a missing trait matches the customers without it.
    expect(await members({ type: "not", rule: trait("traits.age", { op: "gte", value: 40 }) })).toEqual([
      "Ana",
      "Cy",
      "Eve",
    ]);
    expect(await members({ type: "not", rule: { type: "or", rules: [bought, gold] } })).toEqual(["Eve"]);
  });

  it("counts conditions that read the same rows in one scan, with the same answers", async () => {
    const bought = { type: "behaviour", performed: true, event: "Order Completed" } as const;
    const discount = (op: string, value: number) => [{ property: "discount", test: { op, value } }];
    // One event stream, three conditions: a bound on all orders, a positive and a negative property filter.
    const holidayLike = (negativeWindow?: { lastDays: number }) => ({
      type: "and",
      rules: [
        { ...bought, times: { atMost: 3 } },
        { ...bought, properties: discount("gte", 0.3) },
        { ...bought, performed: false, properties: discount("lt", 0.3), window: negativeWindow },
      ],
    });
    expect(await members(holidayLike({ lastDays: 30 }))).toEqual(["Ana"]);
    expect(await members(holidayLike())).toEqual([]); // Ana's order of 200 days ago had no discount
    // Weeks in one window and a count in another, over the same purchases.
    const weekly = (atMost: number) => ({
      type: "and",
      rules: [
        { ...bought, window: { lastDays: 91 }, weeks: { atLeast: 8 } },
        { ...bought, window: { lastDays: 30 }, times: { atMost } },
      ],
    });
    expect(await members(weekly(5))).toEqual(["Dee"]);
    expect(await members(weekly(4))).toEqual([]);
    // Both pass without purchases: customers without any pass the group.
    expect(
      await members({
        type: "and",
        rules: [
          { ...bought, times: { atLeast: 0, atMost: 1 } },
          { ...bought, performed: false, properties: discount("gte", 0.3) },
        ],
      }),
    ).toEqual(["Ben", "Cy", "Eve"]);
    // Value subtrees: a missing figure is false, and NOT of it matches, with or without a value row.
    const value = (measure: string, op: string, v: number) => ({ type: "value", measure, op, value: v });
    expect(
      await members({
        type: "and",
        rules: [value("pAlive", "lte", 0.6), { type: "not", rule: value("clv", "gte", 100) }],
      }),
    ).toEqual(["Ben", "Eve"]);
    expect(await members({ type: "not", rule: value("pAlive", "gte", 0.9) })).toEqual(["Ben", "Cy", "Eve"]);
    expect(
      await members({
        type: "and",
        rules: [
          trait("traits.plan", { op: "equals", value: "gold" }),
          value("pAlive", "gte", 0.5),
          value("clv", "topPercent", 40),
        ],
      }),
    ).toEqual(["Ana"]);

    // Sets on different streams read only the customers of the sets before them.
    const recentBuyers = { ...bought, window: { lastDays: 30 }, times: { atLeast: 2 } };
    const opened = { type: "behaviour", performed: true, event: "Email Opened", window: { lastDays: 30 } };
    expect(await members({ type: "and", rules: [recentBuyers, opened] })).toEqual(["Ana"]);
    expect(await members({ type: "and", rules: [recentBuyers, { ...opened, performed: false }] })).toEqual([
      "Dee",
    ]);
    expect(
      await members({
        type: "and",
        rules: [
          { type: "behaviour", performed: true, channel: "social" },
          recentBuyers,
          { ...opened, performed: false },
        ],
      }),
    ).toEqual(["Dee"]);

    const scans = (rule: unknown, table: string) => {
      const compiled = compileRule(parseRule(rule), { workspaceId, now, shape: "workspace" });
      return new PgDialect().sqlToQuery(compiled).sql.split(`from ${table} `).length - 1;
    };
    expect(scans(holidayLike(), "events")).toBe(1);
    expect(scans(weekly(5), "events")).toBe(1);
    const atRisk = segmentTemplates.find((t) => t.key === "at-risk-high-value")!.rule;
    // The value rows once, plus the two top-20 % thresholds found in the statement (none given).
    expect(scans(atRisk, "customer_values")).toBe(1 + 2 * 2);
  });

  it("reads a discount from events.discount exactly as from the properties", async () => {
    const db = getDb();
    const elsewhere = (await makeWorkspace(db, "Discounts")).workspace.id;
    const customer = await insertCustomer(db, elsewhere, { name: "Discounted" });
    const discounts = [0.25, "0.45", " 1e-1 ", "ten", true, null, "-3", "1e9999"];
    await insertEvents(
      db,
      elsewhere,
      customer,
      discounts.map((discount, k) => ({ ...order(k + 1, 10), properties: { discount } })),
    );
    await insertEvents(db, elsewhere, customer, [{ ...order(20, 10), properties: {} }]);
    const rows = await db.execute<{ typed: string | null; text: string | null }>(sql`
      select e.discount::text as typed, ${numericOrNull(sql`e.properties ->> 'discount'`)}::text as text
      from events e where e.workspace_id = ${elsewhere}::uuid order by e.timestamp desc`);
    expect(rows.rows.map((r) => r.typed)).toEqual(rows.rows.map((r) => r.text));
    expect(rows.rows.map((r) => (r.typed === null ? null : Number(r.typed)))).toEqual([
      0.25,
      0.45,
      0.1,
      null,
      null,
      null,
      -3,
      null, // an exponent of over 3 digits is not taken as a number
      null,
    ]);
  });

  it("compiles segment membership through the resolver, which refuses unknown ids and cycles", async () => {
    const buyers = randomUUID();
    const goldBuyers = randomUUID();
    const a = randomUUID();
    const b = randomUUID();
    const definitions = new Map<string, Rule>([
      [buyers, { type: "behaviour", performed: true, event: "Order Completed" }],
      [
        goldBuyers,
        {
          type: "and",
          rules: [
            { type: "segment", segmentId: buyers, member: true },
            parseRule(trait("traits.plan", { op: "equals", value: "gold" })),
          ],
        },
      ],
      [a, { type: "segment", segmentId: b, member: true }],
      [b, { type: "not", rule: { type: "segment", segmentId: a, member: true } }],
    ]);
    const resolve = resolverFromRules(definitions, { workspaceId, now });
    expect(await members({ type: "segment", segmentId: goldBuyers, member: true }, resolve)).toEqual(["Ana"]);
    expect(await members({ type: "segment", segmentId: buyers, member: false }, resolve)).toEqual([
      "Cy",
      "Eve",
    ]);
    await expect(members({ type: "segment", segmentId: a, member: true }, resolve)).rejects.toThrow(/cycle/);
    await expect(
      members({ type: "segment", segmentId: randomUUID(), member: true }, resolve),
    ).rejects.toThrow(/does not exist/);
    await expect(members({ type: "segment", segmentId: buyers, member: true })).rejects.toThrow(RuleError);
  });

  it("puts every value and key in parameters, never in the SQL text", () => {
    const hostile = "'; drop table customers; --";
    const compiled = compileRule(
      parseRule({
        type: "and",
        rules: [
          trait(`traits.${hostile}`, { op: "equals", value: hostile }),
          {
            type: "behaviour",
            performed: true,
            event: hostile,
            properties: [{ property: hostile, test: { op: "contains", value: hostile } }],
          },
        ],
      }),
      { workspaceId, now },
    );
    const query = new PgDialect().sqlToQuery(compiled);
    expect(query.sql).not.toContain("drop table");
    expect(query.params).toContain(hostile);
  });

  // -------------------------------------------------------------------------
  // Fuzz: generated trees with hostile values either fail validation or run,
  // with the same count in every shape. Seeded, so a failure replays, and it
  // shrinks to the smallest tree that still fails.
  // -------------------------------------------------------------------------

  it("either rejects or runs 200 generated rule trees, counting the same in every shape", async () => {
    const db = getDb();
    const resolveSegment = () => sql`c.event_count > ${0}::int`;
    let ran = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(ruleTree, async (rule) => {
        try {
          parseRule(rule);
        } catch (error) {
          expect(error, JSON.stringify(rule)).toBeInstanceOf(InvalidRuleError);
          rejected++;
          return;
        }
        const n = await countMatching(db, workspaceId, rule, { now, resolveSegment });
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThanOrEqual(5);
        expect(await countCorrelated(db, rule, resolveSegment), JSON.stringify(rule)).toBe(n);
        const hashed = await countMatching(db, workspaceId, rule, { now, resolveSegment, oneByOneUpTo: 0 });
        expect(hashed, JSON.stringify(rule)).toBe(n);
        const fromEvents = await countMatching(db, workspaceId, rule, {
          now,
          resolveSegment,
          streams: false,
        });
        expect(fromEvents, JSON.stringify(rule)).toBe(n);
        const fromStreams = await countMatching(db, workspaceId, rule, {
          now,
          resolveSegment,
          streams: true,
          shortWindowDays: 0,
        });
        expect(fromStreams, JSON.stringify(rule)).toBe(n);
        ran++;
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
    expect(ran).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(30);
    expect(await countMatching(db, workspaceId, { type: "eventCount", op: "gte", value: 0 })).toBe(5);
  });
});

// ---------------------------------------------------------------------------
// Templates against the demo data (server/demo/generate.ts) with a real value fit
// ---------------------------------------------------------------------------

describeEachDatabase("segment templates on demo data", (getDb) => {
  it("matches some demo customers with every template", async () => {
    const db = getDb();
    await truncateAllTables(db);
    await seedDemo(db, { customers: 120 });
    const [workspace] = await db
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(sql`${workspaces.name} = 'Northwind Retail'`);
    const workspaceId = workspace!.id;
    // seedDemo has fitted the value models, as `npm start` does.
    const [fit] = await db
      .select({ status: valueFits.status })
      .from(valueFits)
      .where(eq(valueFits.workspaceId, workspaceId));
    expect(fit?.status).toBe("succeeded");
    const counts: Record<string, number> = {};
    for (const template of segmentTemplates) {
      counts[template.key] = await countMatching(db, workspaceId, template.rule);
      const { count, sample } = await countAndSampleMatching(db, workspaceId, template.rule, 3);
      expect(count).toBe(counts[template.key]);
      expect(sample.length).toBe(Math.min(3, count));
    }
    // Top and bottom shares agree with percentile_disc, in both shapes.
    for (const [measure, column] of [
      ["clv", "clv"],
      ["pastRevenue", "past_revenue"],
      ["pAlive", "p_alive"],
    ] as const) {
      for (const percent of [0.5, 1, 10, 20, 33.3, 50, 99, 100]) {
        for (const op of ["topPercent", "bottomPercent"] as const) {
          const top = op === "topPercent";
          const fraction = top ? 1 - percent / 100 : percent / 100;
          const reference = await db.execute<{ n: number }>(sql`
            select count(*)::int as n from customers c join customer_values cv
              on cv.workspace_id = c.workspace_id and cv.customer_id = c.id
            where c.workspace_id = ${workspaceId}::uuid and c.merged_into is null
              and cv.${sql.raw(column)} ${sql.raw(top ? ">=" : "<=")} (
                select percentile_disc(${fraction}::float8) within group (order by a.${sql.raw(column)})
                from customer_values a where a.workspace_id = ${workspaceId}::uuid and a.${sql.raw(column)} is not null)`);
          const rule = { type: "value", measure, op, value: percent };
          const label = `${measure} ${op} ${percent}`;
          expect(await countMatching(db, workspaceId, rule), label).toBe(reference.rows[0]!.n);
          const where = matchingCondition(workspaceId, rule, { shape: "customers" });
          const correlated = await db.execute<{ n: number }>(
            sql`select count(*)::int as n from customers c where ${where}`,
          );
          expect(correlated.rows[0]!.n, label).toBe(reference.rows[0]!.n);
          // The same threshold read from the fit's store (./thresholds.ts), in both shapes.
          const thresholds = await loadValueThresholds(db, workspaceId, parseRule(rule));
          expect(thresholds.size, label).toBe(1);
          expect(await countMatching(db, workspaceId, rule, { thresholds }), `${label} stored`).toBe(
            reference.rows[0]!.n,
          );
          const stored = matchingCondition(workspaceId, rule, { thresholds });
          const storedCount = await db.execute<{ n: number }>(
            sql`select count(*)::int as n from customers c where ${stored}`,
          );
          expect(storedCount.rows[0]!.n, `${label} stored`).toBe(reference.rows[0]!.n);
        }
      }
    }
    // Found once per fit: a second read finds them stored, and a running fit keeps nothing.
    // (The seed fits twice, before and after its journey's weeks: the first fit's are its own.)
    const kept = async () =>
      (
        await db.execute<{ n: number }>(sql`
          select count(*)::int as n from value_thresholds
          where fit_id = (select id from value_fits where status = 'succeeded' order by created_at desc limit 1)`)
      ).rows[0]!.n;
    expect(await kept()).toBe(3 * 8 * 2);
    const quarter = parseRule({
      type: "or",
      rules: [
        { type: "value", measure: "clv", op: "topPercent", value: 25 },
        { type: "value", measure: "pAlive", op: "bottomPercent", value: 25 },
      ],
    });
    const before = await kept();
    const queued = await db.execute<{ id: string }>(sql`
      insert into value_fits (workspace_id, status, calibration_end, horizon_weeks, discount_rate)
      values (${workspaceId}, 'queued', '2026-01-01', 52, 0.1) returning id`);
    expect((await loadValueThresholds(db, workspaceId, quarter)).size).toBe(0);
    expect(await kept()).toBe(before);
    await db.execute(sql`delete from value_fits where id = ${queued.rows[0]!.id}`);
    expect((await loadValueThresholds(db, workspaceId, quarter)).size).toBe(2);
    expect(await kept()).toBe(before + 2);
    for (const template of segmentTemplates) expect(counts[template.key], template.key).toBeGreaterThan(0);
    // Templates pick a part of the workspace, not everyone.
    for (const template of segmentTemplates) expect(counts[template.key], template.key).toBeLessThan(120);
  });
});

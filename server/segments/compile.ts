import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { RuleError } from "~/server/errors";
import { textArray } from "~/db/sql";
import {
  parseRule,
  type BehaviourCondition,
  type DateBound,
  type EventTimeCondition,
  type PropertyFilter,
  type Rule,
  type ValueTest,
  type Window,
} from "./rules";

// A rule tree → one boolean SQL condition over the row `customers c`. Every
// value and every jsonb key is a bind parameter; the SQL text is made only of
// this file's fragments. Event conditions are EXISTS / correlated aggregates on
// (events.workspace_id, events.customer_id) = (c.workspace_id, c.id), which
// events_timeline_idx (workspace_id, customer_id, timestamp desc, id desc) serves.
// Leaves are coalesced to false, so NOT of a condition on a missing value matches.

const DAY = 24 * 3600 * 1000;

/** The membership condition of another segment over `customers c`; throws RuleError for unknown ids and cycles. */
export type SegmentResolver = (segmentId: string) => SQL;

export interface CompileOptions {
  workspaceId: string;
  now: Date;
  resolveSegment?: SegmentResolver;
}

export function compileRule(rule: Rule, options: CompileOptions): SQL {
  switch (rule.type) {
    case "and":
    case "or": {
      const parts = rule.rules.map((child) => sql`(${compileRule(child, options)})`);
      return sql.join(parts, rule.type === "and" ? sql` and ` : sql` or `);
    }
    case "not":
      return sql`not (${compileRule(rule.rule, options)})`;
    case "segment": {
      if (!options.resolveSegment) throw new RuleError("Segment conditions cannot be used here.");
      const member = options.resolveSegment(rule.segmentId);
      return rule.member ? sql`coalesce((${member}), false)` : sql`not coalesce((${member}), false)`;
    }
    default:
      return sql`coalesce((${compileCondition(rule, options)}), false)`;
  }
}

function compileCondition(
  rule: Exclude<Rule, { type: "and" | "or" | "not" | "segment" }>,
  options: CompileOptions,
): SQL {
  switch (rule.type) {
    case "trait": {
      if (rule.field === "name" || rule.field === "email" || rule.field === "phone") {
        return compileTest(rule.test, { text: sql.raw(`c.${rule.field}`) });
      }
      const key = param(rule.field.slice("traits.".length));
      return compileTest(rule.test, { text: sql`(c.traits ->> ${key})`, json: sql`(c.traits -> ${key})` });
    }
    case "behaviour":
      return compileBehaviour(rule, options);
    case "eventTime":
      return compileEventTime(rule, options);
    case "channelShare":
      return sql`coalesce(${numericOf(sql`c.channel_counts ->> ${sql`${rule.channel}::text`}`)}, 0)::float8 / nullif(c.event_count, 0) ${cmp(rule.op)} ${num(rule.value)}`;
    case "channelCount":
      return sql`(select count(*) from jsonb_each(c.channel_counts) as cc (k, v)
        where case when jsonb_typeof(cc.v) = 'number' then (cc.v)::numeric > 0 else false end) ${cmp(rule.op)} ${num(rule.value)}`;
    case "eventCount":
      return sql`c.event_count ${cmp(rule.op)} ${num(rule.value)}`;
    case "rfmGroup":
      return sql`exists (select 1 from customer_values cv where ${valueOfCustomer()}
        and cv.rfm_group::text = any(${textArray(rule.groups)}))`;
    case "value": {
      const column = sql.raw(
        {
          clv: "cv.clv",
          pAlive: "cv.p_alive",
          expectedPurchases90d: "cv.expected_purchases_90d",
          pastRevenue: "cv.past_revenue",
        }[rule.measure],
      );
      const all = sql.raw(
        {
          clv: "a.clv",
          pAlive: "a.p_alive",
          expectedPurchases90d: "a.expected_purchases_90d",
          pastRevenue: "a.past_revenue",
        }[rule.measure],
      );
      let test: SQL;
      if (rule.op === "gte" || rule.op === "lte") {
        test = sql`${column} ${cmp(rule.op)} ${num(rule.value)}`;
      } else {
        // The threshold depends only on the workspace (a parameter), so it is an
        // uncorrelated subquery that PostgreSQL computes once.
        const top = rule.op === "topPercent";
        const fraction = top ? 1 - rule.value / 100 : rule.value / 100;
        const threshold = sql`(select percentile_disc(${num(fraction)}::float8) within group (order by ${all})
          from customer_values a where a.workspace_id = ${sql`${options.workspaceId}::uuid`} and ${all} is not null)`;
        test = top ? sql`${column} >= ${threshold}` : sql`${column} <= ${threshold}`;
      }
      return sql`exists (select 1 from customer_values cv where ${valueOfCustomer()} and ${test})`;
    }
    case "spend": {
      const window = rule.window ? windowCondition(rule.window, options.now) : sql`true`;
      return sql`coalesce((select sum(e.amount) from events e where ${eventsOfCustomer()}
        and e.type = 'track' and e.amount is not null and ${window}), 0) ${cmp(rule.op)} ${num(rule.value)}`;
    }
  }
}

function param(value: string) {
  return sql`${value}::text`;
}

function num(value: number) {
  return sql`${value}::numeric`;
}

function cmp(op: "gt" | "gte" | "lt" | "lte" | "equals") {
  return sql.raw({ gt: ">", gte: ">=", lt: "<", lte: "<=", equals: "=" }[op]);
}

function eventsOfCustomer() {
  return sql`e.workspace_id = c.workspace_id and e.customer_id = c.id`;
}

function valueOfCustomer() {
  return sql`cv.workspace_id = c.workspace_id and cv.customer_id = c.id`;
}

/** The text as numeric when it is a plain decimal number, else null (never a cast error). */
function numericOf(text: SQL) {
  return sql`(case when (${text}) ~ '^\\s*[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]{1,3})?\\s*$' then (${text})::numeric end)`;
}

/** `abc` → `%abc%` (or `abc%`) with LIKE's own wildcards taken literally. */
function likePattern(value: string, prefix: boolean) {
  const escaped = value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return prefix ? `${escaped}%` : `%${escaped}%`;
}

/** YYYY-MM-DD of a trait or property, compared as text (lexical = chronological), so a malformed date is no match rather than an error. */
function dayOf(text: SQL) {
  return sql`(case when (${text}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then left((${text}), 10) end)`;
}

function compileTest(test: ValueTest, value: { text: SQL; json?: SQL }): SQL {
  const { text, json } = value;
  switch (test.op) {
    case "equals":
    case "notEquals": {
      let equal: SQL;
      if (typeof test.value === "string") equal = sql`lower(${text}) = lower(${param(test.value)})`;
      else if (typeof test.value === "number") equal = sql`${numericOf(text)} = ${num(test.value)}`;
      else equal = json ? sql`${json} = ${sql`${JSON.stringify(test.value)}::jsonb`}` : sql`false`;
      return test.op === "equals" ? equal : sql`${text} is not null and not coalesce(${equal}, false)`;
    }
    case "contains":
    case "startsWith":
      return sql`${text} ilike ${param(likePattern(test.value, test.op === "startsWith"))}`;
    case "in":
      return sql`lower(${text}) = any(${textArray(test.values.map((v) => v.toLowerCase()))})`;
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return sql`${numericOf(text)} ${cmp(test.op)} ${num(test.value)}`;
    case "before":
    case "after":
      return sql`${dayOf(text)} ${sql.raw(test.op === "before" ? "<" : ">")} ${param(test.value.slice(0, 10))}`;
    case "isSet":
      return sql`coalesce(${text}, '') <> ''`;
    case "isNotSet":
      return sql`coalesce(${text}, '') = ''`;
  }
}

/** The start (inclusive) and end (exclusive) of a window; a date-only `to` runs through that day. */
export function windowBounds(window: Window, now: Date): { from?: Date; to?: Date } {
  if ("lastDays" in window) return { from: new Date(now.getTime() - window.lastDays * DAY), to: undefined };
  const to =
    window.to === undefined
      ? undefined
      : new Date(window.to.length === 10 ? Date.parse(window.to) + DAY : Date.parse(window.to));
  return { from: window.from === undefined ? undefined : new Date(window.from), to };
}

function timestamp(date: Date) {
  return sql`${date.toISOString()}::timestamptz`;
}

function windowCondition(window: Window, now: Date) {
  const { from, to } = windowBounds(window, now);
  const parts = [sql`true`];
  if (from) parts.push(sql`e.timestamp >= ${timestamp(from)}`);
  if (to) parts.push(sql`e.timestamp < ${timestamp(to)}`);
  return sql.join(parts, sql` and `);
}

function propertyCondition(filter: PropertyFilter) {
  const key = param(filter.property);
  return compileTest(filter.test, {
    text: sql`(e.properties ->> ${key})`,
    json: sql`(e.properties -> ${key})`,
  });
}

function eventFilter(rule: Pick<BehaviourCondition, "event" | "eventType" | "channel" | "properties">) {
  const parts = [eventsOfCustomer()];
  if (rule.event !== undefined) parts.push(sql`e.event = ${param(rule.event)}`);
  if (rule.eventType !== undefined) parts.push(sql`e.type = ${sql`${rule.eventType}::event_type`}`);
  if (rule.channel !== undefined) parts.push(sql`e.channel = ${sql`${rule.channel}::channel`}`);
  for (const filter of rule.properties ?? []) parts.push(sql`coalesce(${propertyCondition(filter)}, false)`);
  return sql.join(parts, sql` and `);
}

function compileBehaviour(rule: BehaviourCondition, options: CompileOptions) {
  const where = sql`${eventFilter(rule)} and ${rule.window ? windowCondition(rule.window, options.now) : sql`true`}`;
  if (!rule.performed) return sql`not exists (select 1 from events e where ${where})`;
  const tests: SQL[] = [];
  const atLeast = rule.times?.atLeast ?? 1;
  const atMost = rule.times?.atMost;
  if (atLeast === 1 && atMost === undefined) {
    tests.push(sql`exists (select 1 from events e where ${where})`);
  } else if (atLeast > 0 || atMost !== undefined) {
    // Count no further than the bound needs: the index scan stops there.
    const enough = atMost !== undefined ? atMost + 1 : atLeast;
    const counted = sql`(select count(*) from (select 1 from events e where ${where} limit ${sql`${enough}::bigint`}) as n)`;
    if (atLeast > 0) tests.push(sql`${counted} >= ${num(atLeast)}`);
    if (atMost !== undefined) tests.push(sql`${counted} <= ${num(atMost)}`);
  }
  if (rule.weeks && (rule.weeks.atLeast !== undefined || rule.weeks.atMost !== undefined)) {
    const weeks = sql`(select count(distinct date_trunc('week', e.timestamp at time zone 'UTC')) from events e where ${where})`;
    if (rule.weeks.atLeast !== undefined) tests.push(sql`${weeks} >= ${num(rule.weeks.atLeast)}`);
    if (rule.weeks.atMost !== undefined) tests.push(sql`${weeks} <= ${num(rule.weeks.atMost)}`);
  }
  if (tests.length === 0) return sql`true`;
  return sql.join(tests, sql` and `);
}

function boundDate(bound: DateBound, now: Date) {
  if ("daysAgo" in bound) return new Date(now.getTime() - bound.daysAgo * DAY);
  return new Date(bound.date);
}

function compileEventTime(rule: EventTimeCondition, options: CompileOptions) {
  const unfiltered =
    rule.event === undefined &&
    rule.eventType === undefined &&
    rule.channel === undefined &&
    !rule.properties?.length;
  let moment: SQL;
  if (unfiltered) moment = sql.raw(rule.which === "first" ? "c.first_seen_at" : "c.last_seen_at");
  else {
    const order = sql.raw(rule.which === "first" ? "asc" : "desc");
    moment = sql`(select e.timestamp from events e where ${eventFilter(rule)} order by e.timestamp ${order} limit 1)`;
  }
  const parts: SQL[] = [];
  if (rule.before) parts.push(sql`${moment} < ${timestamp(boundDate(rule.before, options.now))}`);
  if (rule.after) parts.push(sql`${moment} >= ${timestamp(boundDate(rule.after, options.now))}`);
  return sql.join(parts, sql` and `);
}

// ---------------------------------------------------------------------------
// Running a rule
// ---------------------------------------------------------------------------

export interface MatchOptions {
  now?: Date;
  resolveSegment?: SegmentResolver;
}

/** The WHERE of the customers a rule picks in a workspace (standing profiles only). */
export function matchingCondition(workspaceId: string, rule: unknown, options: MatchOptions = {}) {
  const parsed = parseRule(rule);
  const condition = compileRule(parsed, {
    workspaceId,
    now: options.now ?? new Date(),
    resolveSegment: options.resolveSegment,
  });
  return sql`c.workspace_id = ${sql`${workspaceId}::uuid`} and c.merged_into is null and (${condition})`;
}

export async function countMatching(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  options: MatchOptions = {},
) {
  const where = matchingCondition(workspaceId, rule, options);
  const result = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from customers c where ${where}`,
  );
  return result.rows[0]?.n ?? 0;
}

export async function sampleMatching(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  limit = 10,
  options: MatchOptions = {},
) {
  const where = matchingCondition(workspaceId, rule, options);
  const result = await db.execute<{ id: string; name: string | null; email: string | null }>(
    sql`select c.id, c.name, c.email from customers c where ${where}
      order by c.last_seen_at desc nulls last, c.id limit ${sql`${Math.max(1, Math.min(100, Math.trunc(limit)))}::int`}`,
  );
  return result.rows.map((row) => ({ id: row.id, name: row.name, email: row.email }));
}

/**
 * A resolver over known segment definitions: compiles a referenced segment's
 * rule in place, refusing unknown ids and cycles (a → b → a).
 */
export function resolverFromRules(
  definitions: ReadonlyMap<string, Rule>,
  options: Omit<CompileOptions, "resolveSegment">,
): SegmentResolver {
  const stack: string[] = [];
  const resolve: SegmentResolver = (segmentId) => {
    if (stack.includes(segmentId)) {
      throw new RuleError(`Segments refer to each other in a cycle: ${[...stack, segmentId].join(" → ")}.`);
    }
    const rule = definitions.get(segmentId);
    if (!rule) throw new RuleError(`Segment ${segmentId} does not exist.`);
    stack.push(segmentId);
    try {
      return compileRule(rule, { ...options, resolveSegment: resolve });
    } finally {
      stack.pop();
    }
  };
  return resolve;
}

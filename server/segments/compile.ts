import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { RuleError } from "~/server/errors";
import { numericOrNull, textArray } from "~/db/sql";
import { channels } from "~/db/enums";
import { seasonBits, streamsBuilt, weekNumber } from "./streams";
import {
  parseRule,
  type BehaviourCondition,
  type DateBound,
  type EventTimeCondition,
  type PropertyFilter,
  type Rule,
  type Season,
  type ValueCondition,
  type ValueTest,
  type Window,
} from "./rules";

// A rule tree → one boolean SQL condition over the row `customers c`. Every
// value and every jsonb key is a bind parameter; the SQL text is made only of
// this file's fragments. Leaves are coalesced to false, so NOT of a condition
// on a missing value matches.
//
// Two shapes of the same condition:
// - "customers" (default): event and value conditions are EXISTS / correlated
//   aggregates on (events.workspace_id, events.customer_id) = (c.workspace_id, c.id),
//   which events_timeline_idx serves: cheap per customer, for a few customers
//   (`c.id = any($ids) and …`), far too slow for a whole workspace (one index
//   descent and ~10 heap fetches per customer and condition).
// - "workspace": each of them is one uncorrelated `c.id in (select customer_id …
//   group by customer_id having …)` over the workspace's matching events (or
//   values), which PostgreSQL runs once and hashes (a hashed SubPlan; the coalesce
//   around every leaf keeps it from being pulled up into a join whose row
//   estimates, after a HAVING, are guesses). Event scans name every channel when
//   the condition names none, so events_segment_idx (workspace_id, channel, event,
//   timestamp) include (customer_id) is read by ranges, without the heap.
// Both shapes give the same customers (segments.test.ts runs every rule in both).

const DAY = 24 * 3600 * 1000;

/** The membership condition of another segment over `customers c`; throws RuleError for unknown ids and cycles. */
export type SegmentResolver = (segmentId: string) => SQL;

export type RuleShape = "customers" | "workspace";

export interface CompileOptions {
  workspaceId: string;
  now: Date;
  resolveSegment?: SegmentResolver;
  /** "customers" (default) for a few customers at a time, "workspace" for counting or listing a whole workspace. */
  shape?: RuleShape;
  thresholds?: ValueThresholds;
  /** How many customers an AND's further sets test one by one (default FEW_TO_TEST_ONE_BY_ONE); tests set 0 to take the hashed way. */
  oneByOneUpTo?: number;
  /** The workspace's customer_streams are built (./streams.ts): the workspace shape reads them where they answer. */
  streams?: boolean;
  /** A chain that starts with a count in a window up to this many days reads events (default SHORT_WINDOW_DAYS); tests set 0 to read streams. */
  shortWindowDays?: number;
}

export function compileRule(rule: Rule, options: CompileOptions): SQL {
  if (options.shape === "workspace") {
    // A subtree of value conditions is one scan of customer_values, not a set per leaf.
    if (isValueTree(rule)) return sql`coalesce((${valueTreeSet(rule, options)}), false)`;
    if (rule.type === "and") return compileAndOfWorkspace(rule.rules, options);
  }
  switch (rule.type) {
    case "and":
      return compileAndOfCustomers(rule.rules, options);
    case "or": {
      const parts = rule.rules.map((child) => sql`(${compileRule(child, options)})`);
      return sql.join(parts, sql` or `);
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
      return sql`coalesce(${numericOrNull(sql`c.channel_counts ->> ${sql`${rule.channel}::text`}`)}, 0)::float8 / nullif(c.event_count, 0) ${cmp(rule.op)} ${num(rule.value)}`;
    case "channelCount":
      return sql`(select count(*) from jsonb_each(c.channel_counts) as cc (k, v)
        where case when jsonb_typeof(cc.v) = 'number' then (cc.v)::numeric > 0 else false end) ${cmp(rule.op)} ${num(rule.value)}`;
    case "eventCount":
      return sql`c.event_count ${cmp(rule.op)} ${num(rule.value)}`;
    case "rfmGroup":
    case "value":
      return sql`exists (select 1 from customer_values cv
        where cv.workspace_id = c.workspace_id and cv.customer_id = c.id and ${valueTest(rule, options)})`;
    case "spend": {
      const window = rule.window ? windowCondition(rule.window, options.now) : sql`true`;
      const purchases = sql`e.type = 'track' and e.amount is not null and ${window}`;
      if (options.shape !== "workspace") {
        return sql`coalesce((select sum(e.amount) from events e where ${eventsOfCustomer()}
        and ${purchases}), 0) ${cmp(rule.op)} ${num(rule.value)}`;
      }
      // Customers without purchases have spent 0: they match when 0 passes the test.
      const test = sql`sum(e.amount) ${cmp(rule.op)} ${num(rule.value)}`;
      return membership(
        groupedIds(
          sql`events e where ${eventsOfWorkspace(options)} and ${purchases}`,
          test,
          compare(0, rule.op, rule.value),
        ),
      );
    }
  }
}

/** A value or RFM-group condition as a test of the row `customer_values cv`. */
function valueTest(rule: ValueLeaf, options: CompileOptions): SQL {
  if (rule.type === "rfmGroup") return sql`cv.rfm_group::text = any(${textArray(rule.groups)})`;
  const column = sql.raw(`cv.${valueColumns[rule.measure]}`);
  if (rule.op === "gte" || rule.op === "lte") return sql`${column} ${cmp(rule.op)} ${num(rule.value)}`;
  const known = options.thresholds?.get(thresholdKey(rule.measure, rule.op, rule.value));
  // A threshold read beforehand (./thresholds.ts) is a parameter; otherwise the subquery finds it.
  const threshold =
    known === undefined
      ? percentThreshold(options.workspaceId, rule.measure, rule.op, rule.value)
      : known === null
        ? sql`null::float8`
        : sql`${known}::float8`;
  return rule.op === "topPercent" ? sql`${column} >= ${threshold}` : sql`${column} <= ${threshold}`;
}

const valueColumns: Record<ValueCondition["measure"], string> = {
  clv: "clv",
  pAlive: "p_alive",
  expectedPurchases90d: "expected_purchases_90d",
  pastRevenue: "past_revenue",
};

type PercentOp = "topPercent" | "bottomPercent";

/** Top / bottom N % thresholds known before compiling, by thresholdKey; null when no customer has the measure. */
export type ValueThresholds = ReadonlyMap<string, number | null>;

export function thresholdKey(measure: ValueCondition["measure"], op: PercentOp, percent: number) {
  return `${measure}:${op}:${percent}`;
}

/**
 * The value that starts the top (or ends the bottom) N % of the workspace's
 * customers with a measure, as a scalar subquery. It is
 * percentile_disc(fraction): the value at position max(ceil(fraction × n), 1)
 * of the n values in ascending order (PostgreSQL's own arithmetic), read from
 * the nearer end so that the clv and P(alive) indexes serve it without sorting
 * the workspace. It depends only on the workspace, so PostgreSQL
 * computes it once per statement.
 */
export function percentThreshold(
  workspaceId: string,
  measure: ValueCondition["measure"],
  op: PercentOp,
  percent: number,
): SQL {
  const column = sql.raw(`a.${valueColumns[measure]}`);
  const top = op === "topPercent";
  const fraction = sql`${num(top ? 1 - percent / 100 : percent / 100)}::float8`;
  const values = sql`customer_values a where a.workspace_id = ${sql`${workspaceId}::uuid`} and ${column} is not null`;
  const position = sql`greatest(ceil(${fraction} * count(*)::float8)::bigint, 1)`;
  return top
    ? sql`(select ${column} from ${values} order by ${column} desc
        offset (select count(*) - ${position} from ${values}) limit 1)`
    : sql`(select ${column} from ${values} order by ${column} asc
        offset (select ${position} - 1 from ${values}) limit 1)`;
}

function param(value: string) {
  return sql`${value}::text`;
}

function num(value: number) {
  return sql`${value}::numeric`;
}

/** A count bound (validated as a whole number), compared without casting every count to numeric. */
function int(value: number) {
  return sql`${value}::bigint`;
}

function cmp(op: "gt" | "gte" | "lt" | "lte" | "equals") {
  return sql.raw({ gt: ">", gte: ">=", lt: "<", lte: "<=", equals: "=" }[op]);
}

function compare(a: number, op: "gt" | "gte" | "lt" | "lte" | "equals", b: number) {
  return { gt: a > b, gte: a >= b, lt: a < b, lte: a <= b, equals: a === b }[op];
}

function eventsOfCustomer() {
  return sql`e.workspace_id = c.workspace_id and e.customer_id = c.id`;
}

function eventsOfWorkspace(options: CompileOptions) {
  return sql`e.workspace_id = ${sql`${options.workspaceId}::uuid`}`;
}

/** Every channel, for an index whose second column is the channel: one range per channel instead of the whole workspace. */
const allChannels = sql`${sql.param([...channels])}::channel[]`;

/**
 * A set of customers as a query of their ids. `excluded`: the condition holds
 * for the customers not in it. "everyone": it holds for every customer.
 */
type IdSet = { ids: SQL; excluded: boolean; standing?: boolean } | "everyone";

function membership(set: IdSet) {
  if (set === "everyone") return sql`true`;
  return set.excluded ? sql`not (c.id in (${set.ids}))` : sql`c.id in (${set.ids})`;
}

/**
 * The customers in `from` (a FROM clause with a customer_id column, e.g.
 * `events e where …`) whose rows pass `having`, as one uncorrelated scan.
 * `zeroPasses`: a customer without rows passes too, so the set is of those
 * whose rows fail the test, excluded.
 */
function groupedIds(from: SQL, having: SQL | undefined, zeroPasses: boolean): IdSet {
  if (having === undefined)
    return zeroPasses ? "everyone" : { ids: sql`select customer_id from ${from}`, excluded: false };
  if (!zeroPasses)
    return {
      ids: sql`select customer_id from ${from} group by customer_id having ${having}`,
      excluded: false,
    };
  return {
    ids: sql`select customer_id from ${from} group by customer_id having not coalesce(${having}, false)`,
    excluded: true,
  };
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

/** `numeric`: the value already as numeric (numericOrNull of the text), e.g. a typed column. */
function compileTest(test: ValueTest, value: { text: SQL; json?: SQL; numeric?: SQL }): SQL {
  const { text, json } = value;
  const numeric = value.numeric ?? numericOrNull(text);
  switch (test.op) {
    case "equals":
    case "notEquals": {
      let equal: SQL;
      if (typeof test.value === "string") equal = sql`lower(${text}) = lower(${param(test.value)})`;
      else if (typeof test.value === "number") equal = sql`${numeric} = ${num(test.value)}`;
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
      return sql`${numeric} ${cmp(test.op)} ${num(test.value)}`;
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

/**
 * The event's calendar day (UTC) in one of the yearly periods, or in none with
 * `outside`. The day is MMDD as a number, tested against one multirange, so it
 * is computed once per event whatever the number of periods.
 */
function seasonCondition(season: Season) {
  const mmdd = (monthDay: string) => Number(monthDay.replace("-", ""));
  const range = (from: number, to: number) => sql`int4range(${from}::int, ${to}::int, '[]')`;
  const ranges = season.periods.flatMap(
    ({ from, to }) =>
      mmdd(from) <= mmdd(to)
        ? [range(mmdd(from), mmdd(to))]
        : [range(mmdd(from), 1231), range(101, mmdd(to))], // over New Year
  );
  const local = sql`(e.timestamp at time zone 'UTC')`;
  const day = sql`(date_part('month', ${local}) * 100 + date_part('day', ${local}))::int`;
  const inside = sql`int4multirange(${sql.join(ranges, sql`, `)}) @> ${day}`;
  return season.outside ? sql`not (${inside})` : inside;
}

function propertyCondition(filter: PropertyFilter) {
  const key = param(filter.property);
  return compileTest(filter.test, {
    text: sql`(e.properties ->> ${key})`,
    json: sql`(e.properties -> ${key})`,
    // The spec's discount is also a generated column, in events_segment_idx:
    // a purchase's discount is then read from the index, not the heap.
    numeric: filter.property === "discount" ? sql`e.discount` : undefined,
  });
}

function eventFilter(
  rule: Pick<BehaviourCondition, "event" | "eventType" | "channel" | "properties">,
  options: CompileOptions,
) {
  const workspace = options.shape === "workspace";
  const parts = [workspace ? eventsOfWorkspace(options) : eventsOfCustomer()];
  if (rule.channel !== undefined) parts.push(sql`e.channel = ${sql`${rule.channel}::channel`}`);
  else if (workspace) parts.push(sql`e.channel = any(${allChannels})`);
  if (rule.event !== undefined) parts.push(sql`e.event = ${param(rule.event)}`);
  if (rule.eventType !== undefined) parts.push(sql`e.type = ${sql`${rule.eventType}::event_type`}`);
  for (const filter of rule.properties ?? []) parts.push(sql`coalesce(${propertyCondition(filter)}, false)`);
  return sql.join(parts, sql` and `);
}

function compileBehaviour(rule: BehaviourCondition, options: CompileOptions) {
  if (options.shape === "workspace") return membership(streamIds([rule], options));
  const parts = [eventFilter(rule, options)];
  if (rule.window) parts.push(windowCondition(rule.window, options.now));
  if (rule.season) parts.push(seasonCondition(rule.season));
  const where = sql.join(parts, sql` and `);
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
  const test = (moment: SQL) => {
    const parts: SQL[] = [];
    if (rule.before) parts.push(sql`${moment} < ${timestamp(boundDate(rule.before, options.now))}`);
    if (rule.after) parts.push(sql`${moment} >= ${timestamp(boundDate(rule.after, options.now))}`);
    return sql.join(parts, sql` and `);
  };
  const first = rule.which === "first";
  const unfiltered =
    rule.event === undefined &&
    rule.eventType === undefined &&
    rule.channel === undefined &&
    !rule.properties?.length;
  if (unfiltered) return test(sql.raw(first ? "c.first_seen_at" : "c.last_seen_at"));
  if (options.shape !== "workspace") {
    const order = sql.raw(first ? "asc" : "desc");
    return test(
      sql`(select e.timestamp from events e where ${eventFilter(rule, options)} order by e.timestamp ${order} limit 1)`,
    );
  }
  // No matching event: no moment, no match.
  if (options.streams && hasSummaryStream(rule) && !rule.properties?.length) {
    const moment = sql.raw(first ? "s.first_at" : "s.last_at");
    return membership({
      ids: sql`select s.customer_id from customer_streams s where ${summaryStream(rule, options)} and ${test(moment)}`,
      excluded: false,
    });
  }
  const moment = sql.raw(first ? "min(e.timestamp)" : "max(e.timestamp)");
  return membership(groupedIds(sql`events e where ${eventFilter(rule, options)}`, test(moment), false));
}

// ---------------------------------------------------------------------------
// The whole-workspace shape: one set per scan, not one per condition
// ---------------------------------------------------------------------------
//
// Each set below is one scan and one hash. Conditions that read the same rows
// share a scan: a subtree made only of value conditions reads customer_values
// once ("P(alive) ≤ 50 % and (top 20 % clv or top 20 % past revenue)"), and
// the behaviour conditions of an AND on the same event stream (event, type and
// channel) are counted together, each with its own FILTER ("at most 4
// purchases, one with 30 % off, none with less" reads the purchases once).

type ValueLeaf = Extract<Rule, { type: "value" | "rfmGroup" }>;

function isValueTree(rule: Rule): boolean {
  switch (rule.type) {
    case "value":
    case "rfmGroup":
      return true;
    case "and":
    case "or":
      return rule.rules.every(isValueTree);
    case "not":
      return isValueTree(rule.rule);
    default:
      return false;
  }
}

/** A value subtree as a condition on `customer_values cv`, each leaf false when its figure is missing. */
function valueTreeSql(rule: Rule, options: CompileOptions): SQL {
  switch (rule.type) {
    case "and":
    case "or":
      return sql.join(
        rule.rules.map((child) => sql`(${valueTreeSql(child, options)})`),
        rule.type === "and" ? sql` and ` : sql` or `,
      );
    case "not":
      return sql`not (${valueTreeSql(rule.rule, options)})`;
    default:
      return sql`coalesce((${valueTest(rule as ValueLeaf, options)}), false)`;
  }
}

/** What a value subtree says of a customer without a value row: every leaf false. */
function valueTreeWithoutRow(rule: Rule): boolean {
  switch (rule.type) {
    case "and":
      return rule.rules.every(valueTreeWithoutRow);
    case "or":
      return rule.rules.some(valueTreeWithoutRow);
    case "not":
      return !valueTreeWithoutRow(rule.rule);
    default:
      return false;
  }
}

function valueTreeSet(rule: Rule, options: CompileOptions) {
  const rows = sql`customer_values cv where cv.workspace_id = ${sql`${options.workspaceId}::uuid`}`;
  const test = valueTreeSql(rule, options);
  // A customer without a value row passes when the tree does with every leaf false.
  return valueTreeWithoutRow(rule)
    ? sql`not (c.id in (select cv.customer_id from ${rows} and not (${test})))`
    : sql`c.id in (select cv.customer_id from ${rows} and ${test})`;
}

function compileAndOfWorkspace(children: readonly Rule[], options: CompileOptions): SQL {
  const { parts, kept } = andOfWorkspace(children, options);
  if (kept) parts.push(sql`coalesce((c.id in (${kept})), false)`);
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` and `,
  );
}

/**
 * An AND in the workspace shape: the tests of the customer row `c` (`parts`)
 * and the ids that the chain of its event streams keeps (`kept`). `standing`:
 * the chain starts from customer_streams, whose rows are all of standing
 * customers (./streams.ts), so `kept` needs no customer row to count.
 */
function andOfWorkspace(children: readonly Rule[], options: CompileOptions) {
  const parts: SQL[] = [];
  const values = children.filter(isValueTree);
  const { streams, others } = byStream(children);
  for (const child of others) {
    if (values.length > 1 && isValueTree(child)) continue;
    parts.push(compileRule(child, options));
  }
  if (values.length > 1) parts.push(compileRule({ type: "and", rules: [...values] }, options));
  // Every customer must be in each positive set, so each set reads only the rows
  // of the customers in the sets before it, narrowest window first: "no order in
  // 30 days" hashes the orders of the few who viewed 3 products and opened an
  // email, not all 435,000. The last set holds the customers in all of them.
  const sets = streams.map((rules) => ({
    rules,
    span: windowSpan(rules, options.now),
    positive: !rules.every(passesWithoutEvents),
  }));
  let within: SQL | undefined;
  let standing = false;
  for (const { rules } of sets.filter((set) => set.positive).sort((a, b) => a.span - b.span)) {
    if (within) {
      within = testWithin(within, [rules], options);
      continue;
    }
    const set = streamIds(rules, options);
    if (set === "everyone") continue;
    within = set.ids;
    standing = set.standing === true;
  }
  const withoutEvents = sets.filter((set) => !set.positive).map((set) => set.rules);
  if (!within) {
    for (const rules of withoutEvents) parts.push(hashedCondition(rules, options));
    return { parts, kept: undefined, standing: false };
  }
  const kept = withoutEvents.length === 0 ? within : testWithin(within, withoutEvents, options);
  return { parts, kept, standing };
}

/**
 * The ids of the customers a rule picks, when the whole rule is a chain of
 * event streams that starts from customer_streams: counting them then reads no
 * customer rows (testing a million customers against the set cost more than
 * finding it). Undefined for any other rule.
 */
function standingIds(rule: Rule, options: CompileOptions): SQL | undefined {
  if (options.shape !== "workspace" || !options.streams) return undefined;
  const children = rule.type === "and" ? rule.rules : rule.type === "behaviour" ? [rule] : undefined;
  if (!children) return undefined;
  const { parts, kept, standing } = andOfWorkspace(children, options);
  return parts.length === 0 && standing ? kept : undefined;
}

/** Up to this many customers left by the sets before, the next sets are tested per customer. */
const FEW_TO_TEST_ONE_BY_ONE = 10_000;

/**
 * The customers of `within` (the positive sets of an AND so far) that every
 * stream's conditions hold: the next positive set, or the sets that hold
 * without events ("did not buy in 30 days"). Which way is cheaper depends on
 * how many customers are left, known only when the statement runs, so the
 * CTE's count decides. A few are tested one by one through the timeline index.
 * Many read each stream's rows of their customers once and hash them. A hashed
 * SubPlan is built only when first used, so the branch not taken costs nothing.
 * The CTE's rows are named `c` (shadowing the outer customers), so that the
 * per-customer conditions, written for `customers c`, read them.
 */
function testWithin(
  within: SQL,
  streams: readonly (readonly BehaviourCondition[])[],
  options: CompileOptions,
) {
  const perCustomer: CompileOptions = { ...options, shape: "customers" };
  const oneByOne = streams.map((rules) => streamCondition(rules, perCustomer));
  const hashed = streams.map((rules) => hashedCondition(rules, options, sql`select customer_id from p`));
  return sql`with p as materialized (${within})
    select c.id as customer_id from (select p.customer_id as id, ${sql`${options.workspaceId}::uuid`} as workspace_id from p) as c
    where case when (select count(*) from p) <= ${int(options.oneByOneUpTo ?? FEW_TO_TEST_ONE_BY_ONE)}
      then ${sql.join(oneByOne, sql` and `)} else ${sql.join(hashed, sql` and `)} end`;
}

/** Whether a behaviour condition passes for a customer with no matching events. */
function passesWithoutEvents(rule: BehaviourCondition) {
  return !rule.performed || ((rule.times?.atLeast ?? 1) === 0 && (rule.weeks?.atLeast ?? 0) === 0);
}

function countsWeeks(rule: BehaviourCondition) {
  return rule.weeks !== undefined && (rule.weeks.atLeast !== undefined || rule.weeks.atMost !== undefined);
}

/** The window that covers every condition's own: from the earliest start to the latest end (undefined: open). */
function scanWindow(rules: readonly BehaviourCondition[], now: Date) {
  const bounds = rules.map((rule) => (rule.window ? windowBounds(rule.window, now) : {}));
  const earliest = bounds.every((b) => b.from)
    ? Math.min(...bounds.map((b) => b.from!.getTime()))
    : undefined;
  const latest = bounds.every((b) => b.to) ? Math.max(...bounds.map((b) => b.to!.getTime())) : undefined;
  return { bounds, earliest, latest };
}

/** How long a stream's scan window is, in ms (Infinity without a start): shorter windows read fewer rows. */
function windowSpan(rules: readonly BehaviourCondition[], now: Date) {
  const { earliest, latest } = scanWindow(rules, now);
  return earliest === undefined ? Infinity : (latest ?? now.getTime()) - earliest;
}

/**
 * What behaviour conditions on one event stream (the same event, type and
 * channel), all required, read and test: the rows of the scan, which covers the
 * union of their windows, and the test of a customer's rows as aggregates, each
 * condition counting its own rows with a FILTER. Counting weeks groups by
 * (customer, week) first (`from`), so the test reads per-week counts.
 * `within`: the ids of the customers to read (the sets before it in an AND).
 */
function streamAggregate(rules: readonly BehaviourCondition[], options: CompileOptions, within?: SQL) {
  const first = rules[0]!;
  const { bounds, earliest, latest } = scanWindow(rules, options.now);
  const scan = [
    eventFilter({ event: first.event, eventType: first.eventType, channel: first.channel }, options),
  ];
  if (earliest !== undefined) scan.push(sql`e.timestamp >= ${timestamp(new Date(earliest))}`);
  if (latest !== undefined) scan.push(sql`e.timestamp < ${timestamp(new Date(latest))}`);
  // Whole customers are kept or dropped, so the counts of those kept are unchanged.
  if (within) scan.push(sql`coalesce((e.customer_id in (${within})), false)`);
  const where = sql.join(scan, sql` and `);
  // Each condition's own rows: its window, yearly periods and property filters, within the scan.
  const own = rules.map((rule, i) => {
    // A window that is the scan's own adds nothing.
    const sameAsScan = bounds[i]!.from?.getTime() === earliest && bounds[i]!.to?.getTime() === latest;
    const parts = rule.window && !sameAsScan ? [windowCondition(rule.window, options.now)] : [];
    if (rule.season) parts.push(seasonCondition(rule.season));
    for (const filter of rule.properties ?? [])
      parts.push(sql`coalesce(${propertyCondition(filter)}, false)`);
    return parts.length === 0 ? undefined : sql.join(parts, sql` and `);
  });

  const weekly = rules.some(countsWeeks);
  const counted = (i: number) => {
    const filter = own[i] ? sql` filter (where ${own[i]})` : sql``;
    // A customer's rows may be no weeks at all (the per-customer shape): none counted.
    return weekly ? sql`coalesce(sum(g.n${sql.raw(String(i))}), 0)::bigint` : sql`count(*)${filter}`;
  };
  const tests: SQL[] = [];
  rules.forEach((rule, i) => {
    if (!rule.performed) return void tests.push(sql`${counted(i)} = 0`);
    // "Performed" needs one event, unless a number of weeks already does.
    const atLeast = rule.times?.atLeast ?? ((rule.weeks?.atLeast ?? 0) > 0 ? 0 : 1);
    if (atLeast > 0) tests.push(sql`${counted(i)} >= ${int(atLeast)}`);
    if (rule.times?.atMost !== undefined) tests.push(sql`${counted(i)} <= ${int(rule.times.atMost)}`);
    if (countsWeeks(rule)) {
      const weeks = sql`count(*) filter (where g.n${sql.raw(String(i))} > 0)`;
      if (rule.weeks?.atLeast !== undefined) tests.push(sql`${weeks} >= ${int(rule.weeks.atLeast)}`);
      if (rule.weeks?.atMost !== undefined) tests.push(sql`${weeks} <= ${int(rule.weeks.atMost)}`);
    }
  });
  const having = tests.length === 0 ? undefined : sql.join(tests, sql` and `);
  // The workspace shape groups each customer's weeks; the per-customer shape reads one customer.
  const byCustomer = options.shape === "workspace" ? sql`e.customer_id, ` : sql``;
  const perWeek = own.map((filter, i) => {
    const n = sql.raw(`n${i}`);
    return filter ? sql`count(*) filter (where ${filter})::int as ${n}` : sql`count(*)::int as ${n}`;
  });
  const from = weekly
    ? sql`(select ${byCustomer}date_trunc('week', e.timestamp at time zone 'UTC') as week,
    ${sql.join(perWeek, sql`, `)} from events e where ${where} group by ${byCustomer}week) as g`
    : sql`events e where ${where}`;
  return { where, own, having, from };
}

/**
 * The workspace shape of one stream's conditions: one scan grouped by customer.
 * Both groupings of weeks are hashed: count(distinct week) would sort every row.
 */
function streamIds(rules: readonly BehaviourCondition[], options: CompileOptions, within?: SQL): IdSet {
  if (readsSummary(rules, options, within)) return summaryIds(rules, options, within);
  const first = rules[0]!;
  const { where, own, having, from } = streamAggregate(rules, options, within);
  if (rules.length === 1 && own[0] === undefined) {
    // One condition without its own filters: just the customers with such events.
    const plain = !first.performed || (first.times === undefined && !countsWeeks(first));
    if (plain)
      return { ids: sql`select e.customer_id from events e where ${where}`, excluded: !first.performed };
  }
  return groupedIds(from, having, rules.every(passesWithoutEvents));
}

/**
 * The per-customer shape of one stream's conditions: the customer's rows read
 * once for all of them (the holiday template's four read the purchases once,
 * not four times), aggregated without grouping, so a customer without rows
 * is tested on counts of 0.
 */
function streamTest(rules: readonly BehaviourCondition[], options: CompileOptions) {
  const { having, from } = streamAggregate(rules, options);
  return having === undefined ? sql`true` : sql`(select ${having} from ${from})`;
}

/** One stream's conditions in the per-customer shape: a lone condition as it compiles alone, several in one read. */
function streamCondition(rules: readonly BehaviourCondition[], options: CompileOptions) {
  return rules.length === 1
    ? compileRule(rules[0]!, options)
    : sql`coalesce((${streamTest(rules, options)}), false)`;
}

/** One stream's conditions in the workspace shape, as a test of `c.id` against its hashed set. */
function hashedCondition(rules: readonly BehaviourCondition[], options: CompileOptions, within?: SQL) {
  return sql`coalesce((${membership(streamIds(rules, options, within))}), false)`;
}

/** Behaviour conditions of an AND, by the event stream they read (event, type and channel). */
function byStream(children: readonly Rule[]) {
  const streams = new Map<string, BehaviourCondition[]>();
  const others: Rule[] = [];
  for (const child of children) {
    if (child.type !== "behaviour") {
      others.push(child);
      continue;
    }
    const key = JSON.stringify([child.event ?? null, child.eventType ?? null, child.channel ?? null]);
    streams.set(key, [...(streams.get(key) ?? []), child]);
  }
  return { streams: [...streams.values()], others };
}

/** An AND for a few customers: conditions on the same stream share one read of each customer's rows. */
function compileAndOfCustomers(children: readonly Rule[], options: CompileOptions): SQL {
  const { streams, others } = byStream(children);
  const parts = [
    ...others.map((child) => compileRule(child, options)),
    ...streams.map((rules) => streamCondition(rules, options)),
  ];
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` and `,
  );
}

// ---------------------------------------------------------------------------
// From the customer streams (./streams.ts): one row per customer and stream
// ---------------------------------------------------------------------------
//
// A condition on an event, a channel or both, without an event type, reads the
// customers' rows of that stream in customer_streams instead of their events:
// the holiday template reads 828,526 rows instead of 4.8 M purchases. A
// window's count is two binary searches in the row's ordered times, and so is
// its number of weeks in the row's weeks; yearly periods test the row's days
// of the year. A property filter other than one bound on the discount, or a
// discount or period combined with a window or a count, needs the events.

/** Whether a condition names a stream that customer_streams keeps: an event, a channel or both, and no event type. */
function hasSummaryStream(rule: Pick<BehaviourCondition, "event" | "channel" | "eventType">) {
  return rule.eventType === undefined && (rule.event !== undefined || rule.channel !== undefined);
}

/** The rows of a condition's stream, as a condition on `customer_streams s` ('' is every event, or every channel). */
function summaryStream(rule: Pick<BehaviourCondition, "event" | "channel">, options: CompileOptions) {
  return sql`s.workspace_id = ${sql`${options.workspaceId}::uuid`} and s.event = ${param(rule.event ?? "")} and s.channel = ${param(rule.channel ?? "")}`;
}

const DISCOUNT_BOUNDS = new Set(["gt", "gte", "lt", "lte"]);

/** Whether a behaviour condition can be tested on its stream's summary row. */
function answeredBySummary(rule: BehaviourCondition) {
  if (!hasSummaryStream(rule)) return false;
  const once = (rule.times?.atLeast ?? 1) === 1 && rule.times?.atMost === undefined && !countsWeeks(rule);
  const properties = rule.properties ?? [];
  if (properties.length > 0) {
    const [filter] = properties;
    const discountBound =
      properties.length === 1 && filter!.property === "discount" && DISCOUNT_BOUNDS.has(filter!.test.op);
    return discountBound && once && !rule.window && !rule.season;
  }
  return !rule.season || (once && !rule.window);
}

/** `time` minus a microsecond: the count of ordered times before `time` is width_bucket of it. */
function justBefore(time: Date) {
  return sql`(${timestamp(time)} - interval '1 microsecond')`;
}

/** How many of the row's times fall in the window, and their positions (1-based, inclusive) in s.times. */
function summaryWindow(window: Window | undefined, now: Date) {
  const { from, to } = window ? windowBounds(window, now) : {};
  const before = from ? sql`width_bucket(${justBefore(from)}, s.times)` : sql`0`;
  const through = to ? sql`width_bucket(${justBefore(to)}, s.times)` : sql`s.n`;
  return {
    count: from || to ? sql`(${through} - ${before})` : sql`s.n`,
    first: sql`(${before} + 1)`,
    last: through,
    from,
    to,
  };
}

/** One condition as a test of its stream's row `s` (the customer has events in the stream). */
function summaryTest(rule: BehaviourCondition, options: CompileOptions): SQL {
  const zero = sql`0::bigint`;
  const filter = rule.properties?.[0];
  if (filter) {
    const { op, value } = filter.test as { op: "gt" | "gte" | "lt" | "lte"; value: number };
    const column = sql.raw(op === "gt" || op === "gte" ? "s.max_discount" : "s.min_discount");
    const some = sql`coalesce(${column} ${cmp(op)} ${num(value)}, false)`;
    return rule.performed ? some : sql`not ${some}`;
  }
  if (rule.season) {
    const days = sql`bit_count(s.month_days & ${seasonBits(rule.season)}::bit(372))`;
    return sql`${days} ${sql.raw(rule.performed ? ">" : "=")} ${zero}`;
  }
  const window = summaryWindow(rule.window, options.now);
  // A window that only starts: the last event's time says it, from the index.
  const onlyFrom = window.from && !window.to;
  if (!rule.performed)
    return onlyFrom ? sql`s.last_at < ${timestamp(window.from!)}` : sql`${window.count} = ${zero}`;
  const tests: SQL[] = [];
  const atLeast = rule.times?.atLeast ?? ((rule.weeks?.atLeast ?? 0) > 0 ? 0 : 1);
  if (atLeast === 1 && onlyFrom) tests.push(sql`s.last_at >= ${timestamp(window.from!)}`);
  else if (atLeast > 0 && (window.from || window.to || atLeast > 1))
    tests.push(sql`${window.count} >= ${int(atLeast)}`);
  if (rule.times?.atMost !== undefined) tests.push(sql`${window.count} <= ${int(rule.times.atMost)}`);
  if (countsWeeks(rule)) {
    // A week needs an event: fewer events than weeks asked for fail before the weeks are counted.
    if (rule.weeks?.atLeast) tests.push(sql`${window.count} >= ${int(rule.weeks.atLeast)}`);
    // The window's events are consecutive in s.times, so their weeks are the row's weeks
    // from the week of the first of them to the week of the last: two binary searches.
    const weekOf = (position: SQL) => weekNumber(sql`s.times[${position}]`);
    const weeks = sql`(case when ${window.last} >= ${window.first} then width_bucket(${weekOf(window.last)}, s.weeks) - width_bucket(${weekOf(window.first)} - 1, s.weeks) else 0 end)`;
    if (rule.weeks?.atLeast !== undefined) tests.push(sql`${weeks} >= ${int(rule.weeks.atLeast)}`);
    if (rule.weeks?.atMost !== undefined) tests.push(sql`${weeks} <= ${int(rule.weeks.atMost)}`);
  }
  return tests.length === 0 ? sql`true` : sql.join(tests, sql` and `);
}

/** Whether a condition's test reads the row's times (in the heap), not only what the key includes. */
function readsTimes(rule: BehaviourCondition) {
  if (rule.properties?.length || rule.season) return false;
  if (countsWeeks(rule)) return true;
  if (!rule.window) return false;
  const ends = !("lastDays" in rule.window) && rule.window.to !== undefined;
  const once = (rule.times?.atLeast ?? 1) <= 1 && rule.times?.atMost === undefined;
  // "Since" a moment, once or not at all, is the last event's time.
  return ends || !once;
}

/** Up to this many days, a window's events are fewer than the stream's customers (events_segment_idx reads them by time). */
const SHORT_WINDOW_DAYS = 90;

/**
 * Whether a stream's conditions read customer_streams rather than events: when
 * the rows answer them, unless a short window's count would read the times of
 * every customer of the stream where the events index reads only the window's
 * events ("viewed 3 products in the last 30 days"). After other sets, the rows
 * of the customers left are looked up by key.
 */
function readsSummary(rules: readonly BehaviourCondition[], options: CompileOptions, within?: SQL) {
  if (!options.streams || !rules.every(answeredBySummary)) return false;
  if (within) return true;
  const short = (options.shortWindowDays ?? SHORT_WINDOW_DAYS) * DAY;
  return !rules.some((rule) => readsTimes(rule) && windowSpan([rule], options.now) <= short);
}

/** The customers whose row of the stream passes every condition (all on that stream); see groupedIds for `excluded`. */
function summaryIds(rules: readonly BehaviourCondition[], options: CompileOptions, within?: SQL): IdSet {
  const stream = summaryStream(rules[0]!, options);
  const test = sql.join(
    rules.map((rule) => sql`(${summaryTest(rule, options)})`),
    sql` and `,
  );
  let rows = sql`customer_streams s where ${stream}`;
  if (within && rules.some(readsTimes)) {
    // Their rows by key, each read once: scanning the stream would read every customer's times.
    rows = sql`(${within}) as w (customer_id) join customer_streams s on ${stream} and s.customer_id = w.customer_id where true`;
  } else if (within) {
    // What the key includes is tested on the scan, and the customers left are hashed.
    rows = sql`${rows} and coalesce((s.customer_id in (${within})), false)`;
  }
  // A customer without events in the stream has no row: they pass when every condition does without events.
  return rules.every(passesWithoutEvents)
    ? { ids: sql`select s.customer_id from ${rows} and not coalesce((${test}), false)`, excluded: true }
    : { ids: sql`select s.customer_id from ${rows} and ${test}`, excluded: false, standing: true };
}

// ---------------------------------------------------------------------------
// Running a rule
// ---------------------------------------------------------------------------

/** CompileOptions without the workspace (given apart) and with `now` defaulting to the present; see there. */
export type MatchOptions = Partial<Omit<CompileOptions, "workspaceId">>;

/** The WHERE of the customers a rule picks in a workspace (standing profiles only). */
export function matchingCondition(workspaceId: string, rule: unknown, options: MatchOptions = {}) {
  return standingCustomers(workspaceId, compileRule(parseRule(rule), compileOptions(workspaceId, options)));
}

function standingCustomers(workspaceId: string, condition: SQL) {
  return sql`c.workspace_id = ${sql`${workspaceId}::uuid`} and c.merged_into is null and (${condition})`;
}

function compileOptions(workspaceId: string, options: MatchOptions): CompileOptions {
  return { ...options, workspaceId, now: options.now ?? new Date() };
}

/** A query of the ids of the customers a rule picks (each once), from the customer streams alone when it can. */
export function matchingIds(workspaceId: string, rule: unknown, options: MatchOptions = {}) {
  const parsed = parseRule(rule);
  const compile = compileOptions(workspaceId, options);
  return (
    standingIds(parsed, compile) ??
    sql`select c.id from customers c where ${standingCustomers(workspaceId, compileRule(parsed, compile))}`
  );
}

/**
 * Runs a whole-workspace query with the settings its plan needs: memory for the
 * hashed sets of customers (PostgreSQL rescans a subquery per row when its
 * hash would not fit in work_mem), and no JIT, whose compilation costs more
 * than it saves on queries of this size. Local to the transaction.
 */
export async function withWorkspaceScan<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>) {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('work_mem', '128MB', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return work(tx);
  });
}

/** The options of a whole-workspace query: the workspace shape, with the customer streams when they are built. */
export async function workspaceShape(
  db: DbOrTx,
  workspaceId: string,
  options: MatchOptions = {},
): Promise<MatchOptions> {
  return {
    shape: "workspace",
    ...options,
    streams: options.streams ?? (await streamsBuilt(db, workspaceId)),
  };
}

export async function countMatching(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  options: MatchOptions = {},
) {
  const ids = matchingIds(workspaceId, rule, await workspaceShape(db, workspaceId, options));
  const result = await withWorkspaceScan(db, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from (${ids}) as m`),
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * The count and a sample of the members in one statement, as the editor's exact
 * preview shows them: the matching ids are kept in a CTE, counted, and the
 * sample is the first of them by id (customer ids are random UUIDs, so these
 * are members picked at random). The rule runs once. Picking the most recently
 * seen members would walk the workspace newest first, most of it for a segment
 * of customers seen long ago (at-risk).
 */
export async function countAndSampleMatching(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  limit = 10,
  options: MatchOptions = {},
) {
  const ids = matchingIds(workspaceId, rule, await workspaceShape(db, workspaceId, options));
  const result = await withWorkspaceScan(db, (tx) =>
    tx.execute<{ n: number; sample: { id: string; name: string | null; email: string | null }[] | null }>(sql`
      with m as materialized (select m.id from (${ids}) as m (id))
      select (select count(*) from m)::int as n,
        (select json_agg(json_build_object('id', s.id, 'name', s.name, 'email', s.email) order by s.id) from (
          select c.id, c.name, c.email from customers c
          where c.workspace_id = ${sql`${workspaceId}::uuid`}
            and c.id in (select id from m order by id limit ${sql`${sampleLimit(limit)}::int`})) as s) as sample`),
  );
  const row = result.rows[0];
  return { count: row?.n ?? 0, sample: row?.sample ?? [] };
}

function sampleLimit(limit: number) {
  return Math.max(1, Math.min(100, Math.trunc(limit)));
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

/**
 * How many of a block sample of the workspace's customers a rule picks: about
 * `percent` % of the table's pages (TABLESAMPLE SYSTEM, the same pages on every
 * call), in the per-customer shape, which is cheap for a few thousand rows. The
 * editor's live count scales it up while the exact count runs (./preview.ts).
 */
export async function countMatchingInSample(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  options: MatchOptions & { percent: number; sampleSize?: number },
) {
  const { percent: _percent, sampleSize: _sampleSize, ...match } = options;
  // The per-customer shape: a few thousand sampled customers, each tested on their own rows.
  const condition = compileRule(
    parseRule(rule),
    compileOptions(workspaceId, { ...match, shape: "customers" }),
  );
  const percent = sql`${Math.min(100, Math.max(0.001, options.percent))}::float4`;
  const sampled = sql`customers c tablesample system (${percent}) repeatable (0)
    where c.workspace_id = ${sql`${workspaceId}::uuid`} and c.merged_into is null`;
  const limit = Math.max(1, Math.min(100, Math.trunc(options.sampleSize ?? 10)));
  // One statement, so the rule runs once per sampled customer (and uncorrelated
  // parts such as a top-N % threshold once in all).
  const result = await db.execute<{
    matched: number;
    sampled: number;
    sample: { id: string; name: string | null; email: string | null }[] | null;
  }>(sql`
    with s as materialized (
      select c.id, c.name, c.email, c.last_seen_at, coalesce((${condition}), false) as hit from ${sampled}
    )
    select (select count(*) from s where hit)::int as matched, (select count(*) from s)::int as sampled,
      (select json_agg(json_build_object('id', x.id, 'name', x.name, 'email', x.email)) from (
        select id, name, email from s where hit order by last_seen_at desc nulls last, id limit ${sql`${limit}::int`}
      ) as x) as sample`);
  const row = result.rows[0];
  return { matched: row?.matched ?? 0, sampled: row?.sampled ?? 0, sample: row?.sample ?? [] };
}

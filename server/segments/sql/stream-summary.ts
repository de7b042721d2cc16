import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { BehaviourCondition, Window } from "../rules";
import { seasonBits, weekNumber } from "../streams";
import { cmp, int, num, param, type IdSet } from "./fragments";
import { countsWeeks, passesWithoutEvents } from "./event-filters";
import type { CompileOptions } from "./options";
import { DAY, timestamp, windowBounds, windowSpan } from "./time-windows";

// From the customer streams (../streams.ts): one row per customer and stream.
// A condition on an event, a channel or both, without an event type, reads the
// customers' rows of that stream in customer_streams instead of their events:
// the holiday template reads 828,526 rows instead of 4.8 M purchases. A
// window's count is two binary searches in the row's ordered times, and so is
// its number of weeks in the row's weeks; yearly periods test the row's days
// of the year. A property filter other than one bound on the discount, or a
// discount or period combined with a window or a count, needs the events.

/** Whether a condition names a stream that customer_streams keeps: an event, a channel or both, and no event type. */
export function hasSummaryStream(rule: Pick<BehaviourCondition, "event" | "channel" | "eventType">) {
  return rule.eventType === undefined && (rule.event !== undefined || rule.channel !== undefined);
}

/** The rows of a condition's stream, as a condition on `customer_streams s` ('' is every event, or every channel). */
export function summaryStream(rule: Pick<BehaviourCondition, "event" | "channel">, options: CompileOptions) {
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
export function readsSummary(rules: readonly BehaviourCondition[], options: CompileOptions, within?: SQL) {
  if (!options.streams || !rules.every(answeredBySummary)) return false;
  if (within) return true;
  const short = (options.shortWindowDays ?? SHORT_WINDOW_DAYS) * DAY;
  return !rules.some((rule) => readsTimes(rule) && windowSpan([rule], options.now) <= short);
}

/** The customers whose row of the stream passes every condition (all on that stream); see groupedIds for `excluded`. */
export function summaryIds(
  rules: readonly BehaviourCondition[],
  options: CompileOptions,
  within?: SQL,
): IdSet {
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

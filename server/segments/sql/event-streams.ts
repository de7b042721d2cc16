import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { BehaviourCondition, Rule } from "../rules";
import { groupedIds, int, membership, type IdSet } from "./fragments";
import { countsWeeks, eventFilter, passesWithoutEvents, propertyCondition } from "./event-filters";
import type { CompileOptions } from "./options";
import { readsSummary, summaryIds } from "./stream-summary";
import { scanWindow, seasonCondition, timestamp, windowCondition } from "./time-windows";

// Behaviour conditions grouped by the event stream they read (event, type and
// channel), so that those of an AND on the same stream read its rows once
// (./rule-tree.ts), in either shape.

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
export function streamIds(
  rules: readonly BehaviourCondition[],
  options: CompileOptions,
  within?: SQL,
): IdSet {
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
export function streamTest(rules: readonly BehaviourCondition[], options: CompileOptions) {
  const { having, from } = streamAggregate(rules, options);
  return having === undefined ? sql`true` : sql`(select ${having} from ${from})`;
}

/** One stream's conditions in the workspace shape, as a test of `c.id` against its hashed set. */
export function hashedCondition(rules: readonly BehaviourCondition[], options: CompileOptions, within?: SQL) {
  return sql`coalesce((${membership(streamIds(rules, options, within))}), false)`;
}

/** Behaviour conditions of an AND, by the event stream they read (event, type and channel). */
export function byStream(children: readonly Rule[]) {
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

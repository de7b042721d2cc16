import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { BehaviourCondition, EventTimeCondition, Rule } from "../rules";
import { cmp, compare, groupedIds, membership, num } from "./fragments";
import { eventFilter, eventsOfCustomer, eventsOfWorkspace } from "./event-filters";
import { streamIds } from "./event-streams";
import type { CompileOptions } from "./options";
import { hasSummaryStream, summaryStream } from "./stream-summary";
import { boundDate, seasonCondition, timestamp, windowCondition } from "./time-windows";

// Conditions on a customer's events: did or did not (how often, in how many
// weeks, when), the time of the first or last one, and the amount spent.

export function compileBehaviour(rule: BehaviourCondition, options: CompileOptions) {
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

export function compileEventTime(rule: EventTimeCondition, options: CompileOptions) {
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
  // The row's first and last seen are of every event; as of a past moment, the events before it say.
  if (unfiltered && !options.asOf) return test(sql.raw(first ? "c.first_seen_at" : "c.last_seen_at"));
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

export function compileSpend(rule: Extract<Rule, { type: "spend" }>, options: CompileOptions): SQL {
  const window = rule.window ? windowCondition(rule.window, options.now) : sql`true`;
  const purchases = sql`e.type = 'track' and e.amount is not null and ${window}`;
  if (options.shape !== "workspace") {
    return sql`coalesce((select sum(e.amount) from events e where ${eventsOfCustomer(options)}
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

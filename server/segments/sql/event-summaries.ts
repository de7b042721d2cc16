import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Rule } from "../rules";
import { eventsOfCustomer, eventsOfWorkspace } from "./event-filters";
import { cmp, compare, groupedIds, membership, num } from "./fragments";
import type { CompileOptions } from "./options";

// The customer row's event summaries (event_count, channel_counts) count every
// event the customer has. As of a past moment (CompileOptions.asOf) the same
// conditions are counted from the events before it, in either shape.

export type EventSummaryCondition = Extract<Rule, { type: "channelShare" | "channelCount" | "eventCount" }>;

/** The condition as an aggregate over a customer's events, and whether a customer without events passes. */
function aggregateTest(rule: EventSummaryCondition): { test: SQL; zeroPasses: boolean } {
  switch (rule.type) {
    case "eventCount":
      return {
        test: sql`count(*) ${cmp(rule.op)} ${num(rule.value)}`,
        zeroPasses: compare(0, rule.op, rule.value),
      };
    case "channelCount":
      return {
        test: sql`count(distinct e.channel) ${cmp(rule.op)} ${num(rule.value)}`,
        zeroPasses: compare(0, rule.op, rule.value),
      };
    case "channelShare":
      // No events, no share: as on the customer row (event_count 0), no match.
      return {
        test: sql`(count(*) filter (where e.channel = ${sql`${rule.channel}::channel`}))::float8 / nullif(count(*), 0) ${cmp(rule.op)} ${num(rule.value)}`,
        zeroPasses: false,
      };
  }
}

export function compileEventSummary(rule: EventSummaryCondition, options: CompileOptions): SQL {
  const { test, zeroPasses } = aggregateTest(rule);
  if (options.shape === "workspace") {
    return membership(groupedIds(sql`events e where ${eventsOfWorkspace(options)}`, test, zeroPasses));
  }
  return sql`(select ${test} from events e where ${eventsOfCustomer(options)})`;
}

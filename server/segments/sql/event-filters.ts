import "server-only";
import { sql } from "drizzle-orm";
import { channels } from "~/db/enums";
import type { BehaviourCondition, PropertyFilter } from "../rules";
import { param } from "./fragments";
import type { CompileOptions } from "./options";
import { timestamp } from "./time-windows";
import { compileTest } from "./value-tests";

// Which events a condition reads (`events e` of one customer, or of the whole
// workspace by index ranges), and what a behaviour condition asks of them.

/** As of a past moment, the events before it; otherwise every event. */
function beforeAsOf(options: Pick<CompileOptions, "asOf">) {
  return options.asOf ? sql` and e.timestamp < ${timestamp(options.asOf)}` : sql``;
}

export function eventsOfCustomer(options: Pick<CompileOptions, "asOf">) {
  return sql`e.workspace_id = c.workspace_id and e.customer_id = c.id${beforeAsOf(options)}`;
}

export function eventsOfWorkspace(options: CompileOptions) {
  return sql`e.workspace_id = ${sql`${options.workspaceId}::uuid`}${beforeAsOf(options)}`;
}

/** Every channel, for an index whose second column is the channel: one range per channel instead of the whole workspace. */
const allChannels = sql`${sql.param([...channels])}::channel[]`;

export function propertyCondition(filter: PropertyFilter) {
  const key = param(filter.property);
  return compileTest(filter.test, {
    text: sql`(e.properties ->> ${key})`,
    json: sql`(e.properties -> ${key})`,
    // The spec's discount is also a generated column, in events_segment_idx:
    // a purchase's discount is then read from the index, not the heap.
    numeric: filter.property === "discount" ? sql`e.discount` : undefined,
  });
}

export function eventFilter(
  rule: Pick<BehaviourCondition, "event" | "eventType" | "channel" | "properties">,
  options: CompileOptions,
) {
  const workspace = options.shape === "workspace";
  const parts = [workspace ? eventsOfWorkspace(options) : eventsOfCustomer(options)];
  if (rule.channel !== undefined) parts.push(sql`e.channel = ${sql`${rule.channel}::channel`}`);
  else if (workspace) parts.push(sql`e.channel = any(${allChannels})`);
  if (rule.event !== undefined) parts.push(sql`e.event = ${param(rule.event)}`);
  if (rule.eventType !== undefined) parts.push(sql`e.type = ${sql`${rule.eventType}::event_type`}`);
  for (const filter of rule.properties ?? []) parts.push(sql`coalesce(${propertyCondition(filter)}, false)`);
  return sql.join(parts, sql` and `);
}

/** Whether a behaviour condition passes for a customer with no matching events. */
export function passesWithoutEvents(rule: BehaviourCondition) {
  return !rule.performed || ((rule.times?.atLeast ?? 1) === 0 && (rule.weeks?.atLeast ?? 0) === 0);
}

export function countsWeeks(rule: BehaviourCondition) {
  return rule.weeks !== undefined && (rule.weeks.atLeast !== undefined || rule.weeks.atMost !== undefined);
}

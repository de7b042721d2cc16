import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { Channel } from "~/db/enums";
import { opaqueWorkspace, textArray, uuidArray } from "~/db/sql";
import { bestHour } from "~/server/engagement/best-hour";
import { preferredChannel } from "~/server/engagement/best-channel";
import { loadReactionHistories } from "~/server/engagement/history";
import { emptyHistory } from "~/server/engagement/reactions";
import type { RunnableFlow } from "./flow";
import type { EventFact, StepFacts } from "./step";
import { isTimeZone } from "./timing";

// What a batch of steps needs to know about its customers, read in a few
// statements for the whole batch (one workspace at a time): profiles and time
// zones, the events the flows watch, segment memberships for segment branches,
// recent messages for frequency caps, and the reactions behind best-channel and
// best-hour touchpoints.

export interface CustomerProfile {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  traits: Record<string, unknown>;
  mergedInto: string | null;
  /** From the `timezone` trait, else the latest event context's; null when neither says. */
  timeZone: string | null;
}

export async function loadProfiles(db: DbOrTx, workspaceId: string, customerIds: string[]) {
  const rows = await db.execute<{
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    traits: Record<string, unknown>;
    merged_into: string | null;
    context_tz: string | null;
  }>(sql`
    select c.id, c.name, c.email, c.phone, c.traits, c.merged_into,
      case when c.traits ? 'timezone' then null else (
        select e.context ->> 'timezone' from events e
        where e.workspace_id = c.workspace_id and e.customer_id = c.id and e.context ? 'timezone'
        order by e.timestamp desc limit 1) end as context_tz
    from customers c
    where c.workspace_id = ${workspaceId}::uuid and c.id = any(${uuidArray(customerIds)})`);
  const profiles = new Map<string, CustomerProfile>();
  for (const row of rows.rows) {
    const trait = row.traits.timezone;
    profiles.set(row.id, {
      id: row.id,
      name: row.name,
      email: row.email ?? (typeof row.traits.email === "string" ? row.traits.email : null),
      phone: row.phone ?? (typeof row.traits.phone === "string" ? row.traits.phone : null),
      traits: row.traits,
      mergedInto: row.merged_into,
      timeZone: isTimeZone(trait) ? trait : isTimeZone(row.context_tz) ? row.context_tz : null,
    });
  }
  return profiles;
}

/**
 * The customers' events with these names since `since` (and up to `until`), oldest first, by
 * customer. The workspace is opaque to the planner: for a workspace the statistics do not know
 * yet it would estimate one row and read all the workspace's events since `since` by time (seconds
 * under ingestion) rather than each customer's through the timeline index.
 */
export async function loadWatchedEvents(
  db: DbOrTx,
  workspaceId: string,
  customerIds: string[],
  names: string[],
  since: Date,
  until?: Date,
) {
  const byCustomer = new Map<string, EventFact[]>();
  if (names.length === 0 || customerIds.length === 0) return byCustomer;
  const rows = await db.execute<{
    id: string;
    customer_id: string;
    event: string;
    channel: Channel;
    timestamp: Date | string;
    properties: Record<string, unknown>;
  }>(sql`
    select id, customer_id, event, channel, timestamp, properties from events
    where workspace_id = ${opaqueWorkspace(workspaceId)} and customer_id = any(${uuidArray(customerIds)})
      and timestamp >= ${since.toISOString()}::timestamptz and event = any(${textArray(names)})
      ${until ? sql`and timestamp <= ${until.toISOString()}::timestamptz` : sql``}
    order by timestamp, id`);
  for (const row of rows.rows) {
    const list = byCustomer.get(row.customer_id) ?? [];
    list.push({
      id: Number(row.id),
      event: row.event,
      channel: row.channel,
      timestamp: new Date(row.timestamp),
      properties: row.properties,
    });
    byCustomer.set(row.customer_id, list);
  }
  return byCustomer;
}

/** "segmentId customerId" for each membership of these customers in these segments. */
export async function loadMemberships(
  db: DbOrTx,
  workspaceId: string,
  customerIds: string[],
  segmentIds: string[],
) {
  const members = new Set<string>();
  if (segmentIds.length === 0 || customerIds.length === 0) return members;
  const rows = await db.execute<{ segment_id: string; customer_id: string }>(sql`
    select segment_id, customer_id from segment_members
    where workspace_id = ${workspaceId}::uuid and segment_id = any(${uuidArray(segmentIds)})
      and customer_id = any(${uuidArray(customerIds)})`);
  for (const row of rows.rows) members.add(`${row.segment_id} ${row.customer_id}`);
  return members;
}

/** The send times of messages to these customers since `since` (not dead-lettered), by customer and channel. */
export async function loadRecentSends(db: DbOrTx, workspaceId: string, customerIds: string[], since: Date) {
  const sends = new Map<string, Date[]>();
  if (customerIds.length === 0) return sends;
  const rows = await db.execute<{ customer_id: string; channel: Channel; created_at: Date | string }>(sql`
    select customer_id, channel, created_at from deliveries
    where workspace_id = ${workspaceId}::uuid and customer_id = any(${uuidArray(customerIds)})
      and created_at >= ${since.toISOString()}::timestamptz and status <> 'dead'`);
  for (const row of rows.rows) {
    const key = `${row.customer_id} ${row.channel}`;
    const list = sends.get(key) ?? [];
    list.push(new Date(row.created_at));
    sends.set(key, list);
  }
  return sends;
}

/**
 * The customers' preferred channels and best hours, when a flow has a
 * touchpoint that uses them: one statement for the batch (the last 180 days of
 * their events), then each customer's rules in their time zone.
 */
export async function loadBestChoices(
  db: DbOrTx,
  workspaceId: string,
  customerIds: string[],
  flows: RunnableFlow[],
  now: Date,
) {
  const needed = flows.some((f) =>
    [...f.touchpoints.values()].some((tp) => tp.bestChannel || tp.sendAtBestHour),
  );
  const histories = needed ? await loadReactionHistories(db, workspaceId, customerIds, now) : new Map();
  return (customerId: string, timeZone: string): Pick<StepFacts, "preferredChannel" | "bestHour"> => {
    if (!needed) return {};
    const history = histories.get(customerId) ?? emptyHistory();
    return {
      preferredChannel: preferredChannel(history.channels),
      bestHour: bestHour(history.slots, timeZone),
    };
  };
}

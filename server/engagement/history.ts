import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { Channel, EventType } from "~/db/enums";
import { opaqueWorkspace, uuidArray } from "~/db/sql";
import { JOURNEY_EVENT_SOURCE } from "~/server/journeys/run/timeline";
import { addReactions, emptyHistory, HISTORY_DAYS, reactionKind, type ReactionHistory } from "./reactions";

// The reaction histories of a batch of customers, in one statement: their own
// events of the last 180 days (not what journeys and consent changes wrote on
// their timelines) counted per channel and event name, and per 15-minute slot,
// which places every event in its local hour in any time zone, the half-hour
// ones included. Read by the customer page for one customer and by the journey
// runner and its dry run for a whole batch.

const DAY_MS = 86_400_000;
/** Timeline events that are not the customer's doing. */
const NOT_THEIRS = [JOURNEY_EVENT_SOURCE, "consent"];

export async function loadReactionHistories(
  db: DbOrTx,
  workspaceId: string,
  customerIds: string[],
  now: Date,
): Promise<Map<string, ReactionHistory>> {
  const histories = new Map<string, ReactionHistory>();
  if (customerIds.length === 0) return histories;
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const rows = await db.execute<{
    part: "c" | "s";
    customer_id: string;
    channel: Channel | null;
    type: EventType | null;
    event: string | null;
    n: number;
    at: Date | string;
  }>(sql`
    with own as (
      select customer_id, channel, type, event, timestamp from events
      -- The workspace opaque to the planner, as in the journey runner's reads (loadWatchedEvents).
      where workspace_id = ${opaqueWorkspace(workspaceId)} and customer_id = any(${uuidArray(customerIds)})
        and timestamp > ${since.toISOString()}::timestamptz and timestamp <= ${now.toISOString()}::timestamptz
        and type in ('track', 'page', 'screen') and source <> all(${sql.param(NOT_THEIRS)}::text[])
    )
    select 'c' as part, customer_id, channel::text as channel, type::text as type, event,
      count(*)::int as n, max(timestamp) as at
    from own group by customer_id, channel, type, event
    union all
    select 's', customer_id, null, null, null, count(*)::int,
      date_bin('15 minutes', timestamp, timestamptz '2000-01-01 00:00:00+00')
    from own group by customer_id, date_bin('15 minutes', timestamp, timestamptz '2000-01-01 00:00:00+00')`);
  for (const row of rows.rows) {
    let history = histories.get(row.customer_id);
    if (!history) {
      history = emptyHistory();
      histories.set(row.customer_id, history);
    }
    const at = new Date(row.at);
    if (row.part === "s") history.slots.push({ at, events: Number(row.n) });
    else {
      const kind = reactionKind(row.type!, row.event);
      if (kind) addReactions(history, row.channel!, kind, Number(row.n), at);
    }
  }
  return histories;
}

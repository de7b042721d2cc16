import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { channels, type Channel } from "~/db/enums";

// The event names a workspace has tracked, with the channels they came on: the
// suggestions of every event field (segment rules, journey goals and triggers),
// so that people pick the names their data uses rather than guess them.
//
// PostgreSQL 15 has no skip scan, and a GROUP BY would read every event (11 M at
// a million customers). Instead, for each channel, a recursive query walks
// events_segment_idx (workspace_id, channel, event, …) from one name to the
// next: one index descent per name, so the cost follows the number of names,
// not of events.

/** At most this many names per channel; a workspace that names events after products can have thousands. */
export const MAX_EVENT_NAMES = 500;

export interface EventName {
  event: string;
  channels: Channel[];
}

export async function listEventNames(db: DbOrTx, workspaceId: string): Promise<EventName[]> {
  const ws = sql`${workspaceId}::uuid`;
  const result = await db.execute<{ channel: Channel; event: string }>(sql`
    select c.channel, n.event
    from unnest(enum_range(null::channel)) as c(channel)
    cross join lateral (
      with recursive r(event) as (
        (select e.event from events e
          where e.workspace_id = ${ws} and e.channel = c.channel and e.event is not null
          order by e.event limit 1)
        union all
        select (select e.event from events e
            where e.workspace_id = ${ws} and e.channel = c.channel and e.event > r.event
            order by e.event limit 1)
        from r where r.event is not null
      )
      select r.event from r where r.event is not null limit ${MAX_EVENT_NAMES}::int
    ) as n`);
  const byName = new Map<string, Set<Channel>>();
  for (const { channel, event } of result.rows) {
    const seen = byName.get(event) ?? new Set<Channel>();
    seen.add(channel);
    byName.set(event, seen);
  }
  return [...byName]
    .map(([event, on]) => ({ event, channels: channels.filter((c) => on.has(c)) }))
    .sort((a, b) => a.event.localeCompare(b.event, "en"));
}

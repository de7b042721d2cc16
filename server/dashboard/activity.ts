import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { channels, type Channel } from "~/db/enums";
import { channelMix } from "~/server/customers/queries";

// The dashboard's customer and event figures. Each query rides an index of
// db/schema.ts, so the cost grows with the window, not with the history:
//
//   profiles, merged     customers_merged_idx (workspace_id, merged_into): one index-only pass over the
//                        workspace's profiles (about 30 ms per million on the embedded server)
//   active (30 days)     customers_recent_idx (workspace_id, last_seen_at desc): the range of the last
//                        30 days only, with a heap visit per row for merged_into
//   identified           identities primary key (workspace_id, kind, value): the user_id, email and phone
//                        ranges, with a heap visit per identifier for customer_id
//   events per day and   events_time_idx (workspace_id, timestamp): the window's range, with a heap visit
//   channel mix          per event for its channel, so it costs what the window holds
//
// A day is a UTC day, as everywhere else in Centric.

/** Days of events on the dashboard's sparkline and channel mix; also the "active" window. */
export const ACTIVITY_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CustomerFigures {
  /** Standing profiles (not merged into another). */
  customers: number;
  /** Standing profiles seen in the last ACTIVITY_DAYS days. */
  activeCustomers: number;
  /** Every profile ever created, merged ones included. */
  profiles: number;
  /** Profiles merged into another: the identity graph joined them. */
  mergedProfiles: number;
  /** Standing profiles known by a user id, email or phone, not only an anonymous id. */
  identifiedCustomers: number;
}

export async function customerFigures(db: DbOrTx, workspaceId: string, now: Date): Promise<CustomerFigures> {
  const ws = sql`${workspaceId}::uuid`;
  const since = new Date(now.getTime() - ACTIVITY_DAYS * DAY_MS).toISOString();
  const [counts, active, identified] = await Promise.all([
    db.execute<{ profiles: number; merged: number }>(sql`
      select count(*)::int as profiles, count(merged_into)::int as merged
      from customers where workspace_id = ${ws}`),
    db.execute<{ n: number }>(sql`
      select count(*)::int as n from customers
      where workspace_id = ${ws} and last_seen_at >= ${since}::timestamptz and merged_into is null`),
    // identities.customer_id follows merges, so it names standing profiles only.
    db.execute<{ n: number }>(sql`
      select count(distinct customer_id)::int as n from identities
      where workspace_id = ${ws} and kind in ('user_id', 'email', 'phone')`),
  ]);
  const profiles = counts.rows[0]?.profiles ?? 0;
  const mergedProfiles = counts.rows[0]?.merged ?? 0;
  return {
    customers: profiles - mergedProfiles,
    activeCustomers: active.rows[0]?.n ?? 0,
    profiles,
    mergedProfiles,
    identifiedCustomers: identified.rows[0]?.n ?? 0,
  };
}

export interface EventActivity {
  /** The window, [from, to): the last ACTIVITY_DAYS UTC days, today included. */
  from: string;
  to: string;
  /** Every day of the window, oldest first, zero on days without events. */
  days: { day: string; events: number }[];
  total: number;
  /** The window's events by channel, most used first. */
  channels: { channel: Channel; count: number; share: number }[];
}

/** Events per UTC day and per channel over the last ACTIVITY_DAYS days. */
export async function eventActivity(db: DbOrTx, workspaceId: string, now: Date): Promise<EventActivity> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (ACTIVITY_DAYS - 1) * DAY_MS);
  const to = new Date(today + DAY_MS);
  const result = await db.execute<{ day: string; channel: Channel; n: number }>(sql`
    select to_char(timestamp at time zone 'UTC', 'YYYY-MM-DD') as day, channel, count(*)::int as n
    from events
    where workspace_id = ${workspaceId}::uuid
      and timestamp >= ${from.toISOString()}::timestamptz and timestamp < ${to.toISOString()}::timestamptz
    group by 1, 2`);

  const perDay = new Map<string, number>();
  const perChannel: Partial<Record<Channel, number>> = {};
  for (const row of result.rows) {
    perDay.set(row.day, (perDay.get(row.day) ?? 0) + row.n);
    if (channels.includes(row.channel)) perChannel[row.channel] = (perChannel[row.channel] ?? 0) + row.n;
  }
  const days = Array.from({ length: ACTIVITY_DAYS }, (_, i) => {
    const day = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    return { day, events: perDay.get(day) ?? 0 };
  });
  return {
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
    days,
    total: days.reduce((sum, d) => sum + d.events, 0),
    channels: channelMix(perChannel),
  };
}

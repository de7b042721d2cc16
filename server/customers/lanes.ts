import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { customers, events } from "~/db/schema";
import type { Channel } from "~/db/enums";
import { NotFoundError } from "~/server/errors";
import { bucketSpan, bucketWidthFor } from "./lane-buckets";
import { listTimeline } from "./queries";

// The channel-lanes timeline of the customer page reads one stretch of time at a
// time. A sparse stretch comes back event by event (the timeline list's rows, so
// both views name an event alike); a dense one as buckets per channel, counted in
// the database, so a customer with years of daily events sends a few hundred
// rows whatever the zoom. Both walk events_timeline_idx (workspace_id,
// customer_id, timestamp) over the stretch only.

/** Up to this many events in the stretch come back one by one; more come back in buckets. */
export const LANE_EVENT_LIMIT = 400;

export interface LaneBucket {
  channel: Channel;
  start: Date;
  end: Date;
  events: number;
  /** Events with an amount: purchases, as everywhere else (the spend figures). */
  purchases: number;
  amount: number;
  identifies: number;
}

export async function customerLanes({
  db,
  workspaceId,
  customerId,
  from,
  to,
  maxBuckets,
}: {
  db: DbOrTx;
  workspaceId: string;
  customerId: string;
  from: Date;
  to: Date;
  /** How many buckets the lanes have room for across the stretch. */
  maxBuckets: number;
}) {
  const [customer] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  if (!customer) throw new NotFoundError("No such customer in this workspace.");

  const sparse = await listTimeline({ db, workspaceId, customerId, from, to, limit: LANE_EVENT_LIMIT });
  if (!sparse.nextCursor) {
    return { kind: "events" as const, from, to, events: sparse.events };
  }

  const widthMs = bucketWidthFor(to.getTime() - from.getTime(), maxBuckets);
  // Whole milliseconds since the epoch over the width: the bucket of lane-buckets.ts's bucketIndex.
  // The width is one of BUCKET_WIDTHS_MS, written into the text rather than bound, so the select,
  // GROUP BY and ORDER BY carry the same expression (three parameters would be three expressions).
  const bucket = sql<string>`floor(extract(epoch from ${events.timestamp}) * 1000 / ${sql.raw(`${Math.trunc(widthMs)}`)}::float8)::bigint`;
  const rows = await db
    .select({
      channel: events.channel,
      bucket,
      events: sql<number>`count(*)::int`,
      purchases: sql<number>`count(${events.amount})::int`,
      amount: sql<number>`coalesce(sum(${events.amount}), 0)::float8`,
      identifies: sql<number>`(count(*) filter (where ${events.type} = 'identify'))::int`,
    })
    .from(events)
    .where(
      and(
        eq(events.workspaceId, workspaceId),
        eq(events.customerId, customerId),
        sql`${events.timestamp} >= ${from.toISOString()}::timestamptz`,
        sql`${events.timestamp} < ${to.toISOString()}::timestamptz`,
      ),
    )
    .groupBy(events.channel, bucket)
    .orderBy(bucket, events.channel);

  const buckets: LaneBucket[] = rows.map((row) => ({
    channel: row.channel,
    ...bucketSpan(Number(row.bucket), widthMs),
    events: row.events,
    purchases: row.purchases,
    amount: row.amount,
    identifies: row.identifies,
  }));
  return { kind: "buckets" as const, from, to, widthMs, buckets };
}

import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { executePrepared } from "~/db/prepared";
import { customerStreamCursors } from "~/db/schema";
import { uuidArray } from "~/db/sql";
import type { Season } from "./rules";
import { EVENT_SETTLE_MS, settledEventsAfter } from "./new-events";

// customer_streams: each customer's events summarised per event stream, so
// that a segment count over a workspace reads one row per customer and stream
// instead of every event (4.8 M purchases are 866,000 rows). A row holds the
// count, the first and last time, every time in order (a window's count is two
// binary searches with width_bucket), the lowest and highest discount, and the
// days of the year with events as bits. Three levels: an event on one channel,
// an event on every channel (channel ''), every event on one channel (event
// ''). The compiler (./sql/stream-summary.ts) reads them for the conditions they answer.
//
// They are kept as events arrive by the loop beside the job runner (./live.ts),
// not by ingestion, which keeps its speed: each workspace has a cursor on
// events.id, and the customers of the events after it are summarised again
// from all their events, which makes a turn safe to repeat. A merge or a split
// summarises its customers at once (server/identity/merge.ts), since it moves
// events without adding any. A workspace without a cursor row has never been
// built: the loop builds it whole, and until then segments read events.
//
// Rows are of standing customers only (merged profiles have none), so a count
// over rows of a stream needs no customer row.

/** The bit of a day of the year, for the month_days column: (month - 1) * 31 + day - 1, so a day is the same bit in every year. */
export function monthDayBit(time: SQL) {
  const day = sql`(${time} at time zone 'UTC')`;
  return sql`(B'1'::bit(372) >> ((extract(month from ${day})::int - 1) * 31 + extract(day from ${day})::int - 1))`;
}

/** The week of a time, as a number: weeks since Monday 5 January 1970 (UTC), the weeks of date_trunc('week', …). */
export function weekNumber(time: SQL) {
  return sql`floor((extract(epoch from ${time}) - 345600) / 604800)::int`;
}

/** The days of the yearly periods (or, with `outside`, every other day) as a bit(372) literal, for month_days. */
export function seasonBits(season: Season) {
  const mmdd = (monthDay: string) => Number(monthDay.replace("-", ""));
  const inPeriod = (day: number) =>
    season.periods.some(({ from, to }) => {
      const [a, b] = [mmdd(from), mmdd(to)];
      return a <= b ? day >= a && day <= b : day >= a || day <= b; // over New Year
    });
  let bits = "";
  for (let month = 1; month <= 12; month++)
    for (let day = 1; day <= 31; day++) bits += inPeriod(month * 100 + day) !== !!season.outside ? "1" : "0";
  return bits;
}

/** The three levels, as the event and channel of a row and the events that count in it. */
const levels = [
  // An event without a name has no stream of its own; it counts in its channel's.
  { event: sql`e.event`, channel: sql`e.channel::text`, counts: sql`e.event <> ''` },
  { event: sql`e.event`, channel: sql`''`, counts: sql`e.event <> ''` },
  { event: sql`''`, channel: sql`e.channel::text`, counts: sql`true` },
];

/** A level's rows from `e` (events or rows with their columns), grouped by workspace, event, channel and customer. */
function levelRows(level: (typeof levels)[number]) {
  return sql`
    select e.workspace_id, ${level.event}, ${level.channel}, e.customer_id,
      count(*)::int, min(e.timestamp), max(e.timestamp), array_agg(e.timestamp order by e.timestamp),
      array_agg(distinct ${weekNumber(sql`e.timestamp`)} order by ${weekNumber(sql`e.timestamp`)}),
      min(e.discount), max(e.discount), bit_or(${monthDayBit(sql`e.timestamp`)})
    from e where ${level.counts}
    group by 1, 2, 3, 4 order by 1, 2, 3, 4`;
}

const STREAM_COLUMNS = sql.raw(
  "workspace_id, event, channel, customer_id, n, first_at, last_at, times, weeks, min_discount, max_discount, month_days",
);

/**
 * Summarises a workspace's events into customer_streams, a level at a time,
 * each in key order: the build then lays a stream's rows out together, so
 * that a count reads their times from consecutive pages.
 */
async function insertWorkspaceStreams(db: DbOrTx, workspaceId: string) {
  for (const level of levels) {
    await db.execute(sql`
      with e as (
        select e.workspace_id, e.customer_id, e.event, e.channel, e.timestamp, e.discount
        from events e
        -- Standing customers only: a count can then take a stream's rows as customers (./sql/rule-tree.ts).
        join customers c on c.workspace_id = e.workspace_id and c.id = e.customer_id and c.merged_into is null
        where e.workspace_id = ${workspaceId}::uuid
      )
      insert into customer_streams (${STREAM_COLUMNS}) ${levelRows(level)}`);
  }
}

/**
 * Summarises these customers' events into customer_streams, once the
 * workspace's streams are built (until then segments read events, and the
 * build will summarise them all): the three levels in one statement that
 * reads their events once, each customer a probe of the primary key and of
 * its events' index, however large the workspace.
 */
async function insertCustomersStreams(db: DbOrTx, workspaceId: string, ids: SQL) {
  await db.execute(sql`
    with e as materialized (
      select e.workspace_id, e.customer_id, e.event, e.channel, e.timestamp, e.discount
      from unnest(${ids}) as t (id)
      cross join lateral (
        select 1 from customers c where c.workspace_id = ${workspaceId}::uuid and c.id = t.id and c.merged_into is null
      ) standing
      cross join lateral (
        select e.workspace_id, e.customer_id, e.event, e.channel, e.timestamp, e.discount
        from events e where e.workspace_id = ${workspaceId}::uuid and e.customer_id = t.id
      ) e
      where exists (select 1 from customer_stream_cursors s where s.workspace_id = ${workspaceId}::uuid)
    )
    insert into customer_streams (${STREAM_COLUMNS})
    ${sql.join(
      levels.map((level) => sql`(${levelRows(level)})`),
      sql` union all `,
    )}`);
}

/** Customers whose streams one transaction of a sync summarises again. */
const CUSTOMERS_PER_TRANSACTION = 2_000;

function inGroups<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** Serialises the writers of one workspace's streams: a customer's rows are deleted and summarised again as a whole. */
function lockStreams(tx: DbOrTx, workspaceId: string) {
  return executePrepared(
    tx,
    sql`select pg_advisory_xact_lock(hashtextextended(${`customer_streams:${workspaceId}`}::text, 0))`,
  );
}

/** Summarises these customers' streams again from their events (inside the caller's transaction), once the streams are built. */
export async function recomputeStreams(tx: DbOrTx, workspaceId: string, customerIds: string[]) {
  if (customerIds.length === 0) return;
  await lockStreams(tx, workspaceId);
  const ids = uuidArray([...new Set(customerIds)]);
  await tx.execute(
    sql`delete from customer_streams where workspace_id = ${workspaceId}::uuid and customer_id = any(${ids})`,
  );
  await insertCustomersStreams(tx, workspaceId, ids);
}

/**
 * What a merge of the tracking API does to the streams, in its transaction:
 * the profiles merged away lose their rows at once (counts take rows as
 * standing customers), and the customers are left to the loop to summarise
 * again — a merge moves events without adding any, so the loop's cursor would
 * not bring it to them. Summarising them in the batch's transaction held the
 * workspace's streams lock and made a merging batch several times slower than
 * one of tracks; until the loop's next turn a survivor's rows lack the events
 * it took over, as a new event waits for that turn.
 */
export async function leaveStreamsToLoop(tx: DbOrTx, workspaceId: string, customerIds: string[]) {
  if (customerIds.length === 0) return;
  // The lock in a statement of its own: the next one's snapshot then sees what the lock's last holder wrote.
  await lockStreams(tx, workspaceId);
  const ids = uuidArray([...new Set(customerIds)]);
  await executePrepared(
    tx,
    sql`
    with merged_away as (
      delete from customer_streams s using customers c
      where s.workspace_id = ${workspaceId}::uuid and s.customer_id = any(${ids})
        and c.workspace_id = s.workspace_id and c.id = s.customer_id and c.merged_into is not null
    )
    insert into customer_streams_stale (workspace_id, customer_id)
    select ${workspaceId}::uuid, id from unnest(${ids}) as t (id)
    on conflict do nothing`,
  );
}

/** Summarises the customers merges left to the loop, a group a transaction; returns how many. */
async function summariseStaleCustomers(db: DbOrTx, workspaceId: string, perTransaction: number) {
  let total = 0;
  for (;;) {
    const taken = await db.transaction(async (tx) => {
      const { rows } = await tx.execute<{ customer_id: string }>(sql`
        delete from customer_streams_stale s
        where s.workspace_id = ${workspaceId}::uuid and s.customer_id in (
          select customer_id from customer_streams_stale
          where workspace_id = ${workspaceId}::uuid limit ${perTransaction} for update skip locked)
        returning s.customer_id`);
      await recomputeStreams(
        tx,
        workspaceId,
        rows.map((row) => row.customer_id),
      );
      return rows.length;
    });
    total += taken;
    if (taken < perTransaction) return total;
  }
}

/**
 * Builds a workspace's streams from all its events and sets its cursor to the
 * last settled event: what came after is summarised again by the next sync.
 */
export async function buildStreams(db: DbOrTx, input: { workspaceId: string; settleMs?: number }) {
  const { workspaceId } = input;
  const settle = `${Math.max(0, input.settleMs ?? EVENT_SETTLE_MS)} milliseconds`;
  await db.transaction(async (tx) => {
    await lockStreams(tx, workspaceId);
    await tx.execute(sql`select set_config('work_mem', '256MB', true)`);
    const [last] = (
      await tx.execute<{ id: string | null }>(sql`
        select max(e.id)::text as id from events e
        where e.workspace_id = ${workspaceId}::uuid and e.received_at <= now() - ${settle}::interval`)
    ).rows;
    await tx.execute(sql`delete from customer_streams where workspace_id = ${workspaceId}::uuid`);
    // The build summarises every customer, those a merge left to the loop too.
    await tx.execute(sql`delete from customer_streams_stale where workspace_id = ${workspaceId}::uuid`);
    await insertWorkspaceStreams(tx, workspaceId);
    const lastEventId = Number(last?.id ?? 0);
    await tx
      .insert(customerStreamCursors)
      .values({ workspaceId, lastEventId })
      .onConflictDoUpdate({
        target: customerStreamCursors.workspaceId,
        set: { lastEventId, updatedAt: sql`now()` },
      });
  });
}

/**
 * Brings a workspace's streams up to its settled events, at most `limit` per
 * call; builds them whole when they never were. Returns how many events it took
 * (a build counts as all of them).
 */
export async function syncStreams(
  db: DbOrTx,
  input: { workspaceId: string; settleMs?: number; limit?: number; customersPerTransaction?: number },
): Promise<{ events: number; built: boolean }> {
  const { workspaceId } = input;
  const afterId = await streamsCursor(db, workspaceId);
  if (afterId === undefined) {
    await buildStreams(db, input);
    return { events: 0, built: true };
  }
  const perTransaction = input.customersPerTransaction ?? CUSTOMERS_PER_TRANSACTION;
  // Before the events: a merge marks its customers in the transaction that stores the merging
  // message, so they are summarised again before the cursor moves past that message.
  await summariseStaleCustomers(db, workspaceId, perTransaction);
  const { events, customerIds, lastId } = await settledEventsAfter(db, { ...input, afterId });
  if (lastId === undefined) return { events: 0, built: false };
  // A transaction per group, so that the workspace's streams lock is never held for long (a merge
  // waits for it); the cursor moves with the last. Stopped half-way, the next call does the step
  // again, which summarises the same customers to the same rows.
  const groups = customerIds.length > 0 ? inGroups(customerIds, perTransaction) : [[]];
  for (const [i, group] of groups.entries()) {
    await db.transaction(async (tx) => {
      await recomputeStreams(tx, workspaceId, group);
      if (i < groups.length - 1) return;
      await tx
        .update(customerStreamCursors)
        .set({ lastEventId: lastId, updatedAt: sql`now()` })
        .where(eq(customerStreamCursors.workspaceId, workspaceId));
    });
  }
  return { events, built: false };
}

/** The last event a workspace's streams have taken, or undefined when they were never built. */
export async function streamsCursor(db: DbOrTx, workspaceId: string) {
  const [cursor] = await db
    .select({ lastEventId: customerStreamCursors.lastEventId })
    .from(customerStreamCursors)
    .where(eq(customerStreamCursors.workspaceId, workspaceId));
  return cursor?.lastEventId;
}

/** Whether segments can read this workspace's streams: they have been built once. */
export async function streamsBuilt(db: DbOrTx, workspaceId: string) {
  return (await streamsCursor(db, workspaceId)) !== undefined;
}

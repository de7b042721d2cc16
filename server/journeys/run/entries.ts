import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { opaqueWorkspace, textArray, uuidArray } from "~/db/sql";
import { journeyRuns, journeys } from "~/db/schema";
import { heldOutSql } from "../impact/holdout";
import type { RunnableFlow } from "./flow";
import { flowOf } from "./runner";
import { writeJourneyEvents } from "./timeline";

// Who comes into a live journey and who leaves it, read from what the app
// already records: the segment's members when it goes live (in steps, with
// progress), then its membership changes as the segment loops make them (as
// events arrive, not only on a scheduled refresh), and new events — an event
// that starts a touchpoint with no arrow into it enrols its customer there, and
// any watched event wakes the customers waiting on it. Each run keeps its own
// cursors, moved in the transaction that acts on what they read.

const INITIAL_BATCH = 5_000;
const CHANGES_BATCH = 5_000;
const EVENTS_BATCH = 20_000;
/**
 * Events are read once they and every event before them were received this long ago: a batch
 * still committing below them lands behind the cursor otherwise. Short, because a triggering
 * event should lead to its send within seconds; a batch slower than this to commit is caught by
 * the waiting customers' periodic look (docs/journeys.md).
 */
const EVENT_SETTLE = "2 seconds";
/** How often a run's members are checked for any its cursor missed. */
const RECONCILE_EVERY_MS = 5 * 60_000;
/** An event older than this when read (a backfill, an import) starts nothing. */
const EVENT_TRIGGER_MAX_AGE = "1 day";

type Run = typeof journeyRuns.$inferSelect & { segmentId: string };

async function liveRuns(db: DbOrTx, workspaceId?: string): Promise<Run[]> {
  const rows = await db
    .select({ run: journeyRuns, segmentId: journeys.segmentId })
    .from(journeyRuns)
    .innerJoin(
      journeys,
      and(eq(journeys.workspaceId, journeyRuns.workspaceId), eq(journeys.id, journeyRuns.journeyId)),
    )
    .where(
      and(eq(journeyRuns.status, "live"), workspaceId ? eq(journeyRuns.workspaceId, workspaceId) : undefined),
    );
  return rows.map((r) => ({ ...r.run, segmentId: r.segmentId }));
}

/**
 * Customers who may enter now: not on their way through the journey already, and
 * never in it before (or, with a re-entry period, not entered within it).
 */
function mayEnter(run: Run, customerId: SQL, now: SQL) {
  return sql`not exists (
    select 1 from journey_enrollments p
    where p.workspace_id = ${run.workspaceId}::uuid and p.journey_id = ${run.journeyId}::uuid
      and p.customer_id = ${customerId}
      and (p.state = 'active' ${
        run.reentryDays === null
          ? sql`or true`
          : sql`or p.entered_at > ${now} - make_interval(days => ${run.reentryDays}::int)`
      }))`;
}

/**
 * What an entry records besides its position, for the Impact tab (server/journeys/impact/): the
 * customer's side of the holdout, and their value at entry (their customer_values row now).
 */
const ENTRY_COLUMNS = sql.raw("holdout, entry_clv, entry_p_alive, entry_fit_id");

/** The values of ENTRY_COLUMNS for `customerId`; `v` is their customer_values row (valuesAtEntry). */
function entryValues(run: Run, customerId: SQL) {
  return sql`${heldOutSql(run.journeyId, customerId, run.holdoutPercent)}, v.clv, v.p_alive, v.fit_id`;
}

/** The customer's customer_values row as `v` (left joined): the latest live fit that valued them. */
function valuesAtEntry(run: Run, customerId: SQL) {
  return sql`left join customer_values v on v.workspace_id = ${run.workspaceId}::uuid and v.customer_id = ${customerId}`;
}

/** Enrols at the entry the customers `source` selects (a `customer_id` column) who may enter now. */
function enrolAtEntry(run: Run, flow: RunnableFlow, source: SQL, now: SQL) {
  return sql`
    insert into journey_enrollments (workspace_id, run_id, journey_id, customer_id, version, node_id,
      node_since, due_at, entered_at, ${ENTRY_COLUMNS})
    select ${run.workspaceId}::uuid, ${run.id}::uuid, ${run.journeyId}::uuid, s.customer_id,
      ${run.version}::int, ${flow.entryId}, ${now}, ${now}, ${now}, ${entryValues(run, sql`s.customer_id`)}
    from (${source}) s ${valuesAtEntry(run, sql`s.customer_id`)}
    where ${mayEnter(run, sql`s.customer_id`, now)}
    on conflict do nothing`;
}

/**
 * Whether the canvas's entry leads anywhere: when it does not, the journey starts only from
 * touchpoints with event triggers, and entering the segment alone enrols nobody.
 */
function startsFromEntry(flow: RunnableFlow) {
  return flow.next(flow.entryId, null) !== null;
}

/**
 * Runs one turn for every live run (of one workspace, or all). Returns whether some read took a
 * full batch, so that there is more to follow at once; a caller polls again later otherwise.
 */
export async function followLiveRuns(db: Database, options: { workspaceId?: string; now?: Date } = {}) {
  const now = sql`${(options.now ?? new Date()).toISOString()}::timestamptz`;
  let more = false;
  for (const run of await liveRuns(db, options.workspaceId)) {
    if (!run.initialDone && (await enrolInitialMembers(db, run, now))) more = true;
    if (await followMembershipChanges(db, run, now)) more = true;
    if (await followEvents(db, run, now)) more = true;
    await reconcileMembers(db, run, options.now ?? new Date());
  }
  return more;
}

/**
 * Every few minutes, the segment's members who have no way through this run yet
 * are enrolled: a membership change committed after a later one was read (the
 * cursor had passed its id) would otherwise never enrol its customer.
 */
async function reconcileMembers(db: Database, run: Run, at: Date) {
  if (!run.initialDone) return 0;
  if (run.reconciledAt && at.getTime() - run.reconciledAt.getTime() < RECONCILE_EVERY_MS) return 0;
  const flow = await flowOf(db, run.workspaceId, run.journeyId, run.version);
  const now = sql`${at.toISOString()}::timestamptz`;
  return db.transaction(async (tx) => {
    const enrolled = startsFromEntry(flow)
      ? await tx.execute(
          enrolAtEntry(
            run,
            flow,
            sql`select m.customer_id from segment_members m
              where m.workspace_id = ${run.workspaceId}::uuid and m.segment_id = ${run.segmentId}::uuid
                and not exists (select 1 from journey_enrollments e
                  where e.workspace_id = m.workspace_id and e.journey_id = ${run.journeyId}::uuid
                    and e.customer_id = m.customer_id and e.run_id = ${run.id}::uuid)`,
            now,
          ),
        )
      : { rowCount: 0 };
    await tx
      .update(journeyRuns)
      .set({ reconciledAt: at })
      .where(and(eq(journeyRuns.workspaceId, run.workspaceId), eq(journeyRuns.id, run.id)));
    return enrolled.rowCount ?? 0;
  });
}

/** The segment's members at going live, INITIAL_BATCH at a time in customer-id order; whether more remain. */
async function enrolInitialMembers(db: Database, run: Run, now: SQL) {
  const flow = await flowOf(db, run.workspaceId, run.journeyId, run.version);
  if (!startsFromEntry(flow)) {
    await db
      .update(journeyRuns)
      .set({ initialDone: true })
      .where(and(eq(journeyRuns.workspaceId, run.workspaceId), eq(journeyRuns.id, run.id)));
    return false;
  }
  return db.transaction(async (tx) => {
    const result = await tx.execute<{ last: string | null; taken: number; enrolled: number }>(sql`
      with batch as (
        select customer_id from segment_members
        where workspace_id = ${run.workspaceId}::uuid and segment_id = ${run.segmentId}::uuid
          ${run.initialAfter ? sql`and customer_id > ${run.initialAfter}::uuid` : sql``}
        order by customer_id limit ${INITIAL_BATCH}
      ), enrolled as (
        ${enrolAtEntry(run, flow, sql`select customer_id from batch`, now)}
        returning 1
      )
      select (select customer_id::text from batch order by customer_id desc limit 1) as last,
        (select count(*)::int from batch) as taken, (select count(*)::int from enrolled) as enrolled`);
    const { last, taken, enrolled } = result.rows[0]!;
    await tx
      .update(journeyRuns)
      .set({
        initialAfter: last ?? run.initialAfter,
        initialEnrolled: sql`${journeyRuns.initialEnrolled} + ${enrolled}`,
        initialDone: taken < INITIAL_BATCH,
      })
      .where(and(eq(journeyRuns.workspaceId, run.workspaceId), eq(journeyRuns.id, run.id)));
    return taken === INITIAL_BATCH;
  });
}

/** Entries into the segment enrol; exits from it end the way through, when the run says so. Whether more remain. */
async function followMembershipChanges(db: Database, run: Run, now: SQL) {
  const flow = await flowOf(db, run.workspaceId, run.journeyId, run.version);
  return db.transaction(async (tx) => {
    const changes = await tx.execute<{ id: string; customer_id: string; change: "entered" | "left" }>(sql`
      select id, customer_id, change from segment_membership_changes
      where workspace_id = ${opaqueWorkspace(run.workspaceId)} and segment_id = ${run.segmentId}::uuid
        and id > ${run.membershipCursor}::bigint
      order by id limit ${CHANGES_BATCH}`);
    if (changes.rows.length === 0) return false;
    // The last change of each customer in the batch is what holds.
    const latest = new Map<string, "entered" | "left">();
    for (const row of changes.rows) latest.set(row.customer_id, row.change);
    const entered = [...latest].filter(([, c]) => c === "entered").map(([id]) => id);
    const left = [...latest].filter(([, c]) => c === "left").map(([id]) => id);
    if (entered.length > 0 && startsFromEntry(flow)) {
      await tx.execute(
        enrolAtEntry(run, flow, sql`select unnest(${uuidArray(entered)}) as customer_id`, now),
      );
    }
    if (left.length > 0 && run.exitOnSegmentLeave) await endActive(tx, run, left, "left the segment");
    await tx
      .update(journeyRuns)
      .set({ membershipCursor: Number(changes.rows.at(-1)!.id) })
      .where(and(eq(journeyRuns.workspaceId, run.workspaceId), eq(journeyRuns.id, run.id)));
    return changes.rows.length === CHANGES_BATCH;
  });
}

/** Ends the active ways through the run's journey of these customers (all when null), with Journey Exited. */
export async function endActive(
  tx: DbOrTx,
  run: Pick<Run, "workspaceId" | "journeyId">,
  customerIds: string[] | null,
  reason: string,
) {
  const ended = await tx.execute<{
    id: string;
    customer_id: string;
    node_id: string;
    version: number;
    steps: number;
  }>(sql`
    update journey_enrollments set state = 'exited', ended_at = now(), end_reason = ${reason}
    where workspace_id = ${run.workspaceId}::uuid and journey_id = ${run.journeyId}::uuid and state = 'active'
      ${customerIds ? sql`and customer_id = any(${uuidArray(customerIds)})` : sql``}
    returning id, customer_id, node_id, version, steps`);
  const now = new Date();
  await writeJourneyEvents(
    tx,
    ended.rows.map((row) => ({
      workspaceId: run.workspaceId,
      customerId: row.customer_id,
      key: `${row.id}:${row.steps}:end`,
      event: "Journey Exited",
      channel: "other" as const,
      properties: { journeyId: run.journeyId, version: row.version, nodeId: row.node_id, reason },
      at: now,
    })),
  );
  return ended.rows.length;
}

/**
 * New events: those that start a touchpoint enrol their customer there; watched ones wake who
 * waits. Whether more remain.
 */
async function followEvents(db: Database, run: Run, now: SQL) {
  const flow = await flowOf(db, run.workspaceId, run.journeyId, run.version);
  const watched = flow.watchedEvents;
  const entering = [...new Set(flow.eventEntries.map((e) => e.event))];
  if (watched.length === 0 && entering.length === 0) {
    // No event concerns this version: the cursor only keeps up (the key's last entry, no rows
    // read), so that a later version that watches some starts from now rather than a backlog.
    await db.execute(sql`
      update journey_runs set event_cursor = coalesce(
        (select max(id) from events where workspace_id = ${opaqueWorkspace(run.workspaceId)}), event_cursor)
      where workspace_id = ${run.workspaceId}::uuid and id = ${run.id}::uuid`);
    return false;
  }
  return db.transaction(async (tx) => {
    // One read of the next events in id order, which the planner can only take as a key range,
    // and what the run needs of them in memory. A statement joining the event range to the
    // enrollments was planned as a probe of each waiting customer's whole history instead, and
    // took up to 12 s on a loaded database. The workspace is opaque to the planner: a workspace the
    // statistics do not know yet (new, or grown since the last ANALYZE) would be estimated at one
    // row, and a scan of all its events would look as cheap as the key range.
    const read = await tx.execute<{ taken: number; last_id: string | null; woken: string[]; entries: string[] }>(sql`
      with next as (
        select id, customer_id, event, received_at <= now() - ${EVENT_SETTLE}::interval as settled from events
        where workspace_id = ${opaqueWorkspace(run.workspaceId)} and id > ${run.eventCursor}::bigint
        order by id limit ${EVENTS_BATCH}
      ), batch as (
        -- Up to the first event that has not settled: ids are handed out before commit, so an
        -- event received later can hold a lower id than one received earlier, and passing it
        -- by would skip it for good.
        select * from next where id < coalesce((select min(id) from next where not settled), 9223372036854775807))
      select count(*)::int as taken, max(id)::text as last_id,
        coalesce(array_agg(distinct customer_id::text) filter (
          where customer_id is not null and event = any(${textArray(watched)})), '{}') as woken,
        coalesce(array_agg(id::text) filter (
          where customer_id is not null and event = any(${textArray(entering)})), '{}') as entries
      from batch`);
    const { taken, last_id: lastId, woken, entries } = read.rows[0]!;
    if (!lastId) return false;
    if (woken.length > 0) {
      // Anyone on their way who did a watched event is looked at now.
      await tx.execute(sql`
        update journey_enrollments set due_at = ${now}
        where workspace_id = ${run.workspaceId}::uuid and journey_id = ${run.journeyId}::uuid
          and state = 'active' and due_at > ${now} and customer_id = any(${uuidArray(woken)})`);
    }
    if (entries.length > 0) {
      for (const entry of flow.eventEntries) {
        await tx.execute(sql`
          insert into journey_enrollments (workspace_id, run_id, journey_id, customer_id, version, node_id,
            node_since, triggered_at, trigger_event_id, due_at, entered_at, ${ENTRY_COLUMNS})
          select distinct on (ev.customer_id) ${run.workspaceId}::uuid, ${run.id}::uuid, ${run.journeyId}::uuid,
            ev.customer_id, ${run.version}::int, ${entry.nodeId}, ev.timestamp, ev.timestamp, ev.id, ${now}, ${now},
            ${entryValues(run, sql`ev.customer_id`)}
          from events ev
          join segment_members m on m.workspace_id = ev.workspace_id and m.segment_id = ${run.segmentId}::uuid
            and m.customer_id = ev.customer_id
          ${valuesAtEntry(run, sql`ev.customer_id`)}
          where ev.workspace_id = ${run.workspaceId}::uuid and ev.id = any(${sql.param(entries)}::bigint[])
            and ev.event = ${entry.event}
            ${entry.channel ? sql`and ev.channel = ${entry.channel}` : sql``}
            and ev.timestamp > now() - ${EVENT_TRIGGER_MAX_AGE}::interval
            and ${mayEnter(run, sql`ev.customer_id`, now)}
          order by ev.customer_id, ev.id
          on conflict do nothing`);
      }
    }
    await tx
      .update(journeyRuns)
      .set({ eventCursor: Number(lastId) })
      .where(and(eq(journeyRuns.workspaceId, run.workspaceId), eq(journeyRuns.id, run.id)));
    return taken === EVENTS_BATCH;
  });
}

import "server-only";
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Database, DbOrTx } from "~/db";
import { segments } from "~/db/schema";
import { channels, type Channel } from "~/db/enums";
import { uuidArray } from "~/db/sql";
import { NotFoundError } from "~/server/errors";
import { rfmGroups, type RfmGroup } from "~/server/value/rfm";
import { valueFitExists } from "~/server/valuation/fits";
import { withWorkspaceScan, workspaceShape } from "./matching";
import { matchingCondition } from "./sql/matching-query";
import { loadValueThresholds } from "./thresholds";
import { dependencyOrder, storedSegmentResolver } from "./references";
import type { SegmentStats } from "./types";

// Materialised membership. A full refresh runs the segment's compiled rule over
// the workspace and, in one statement, diffs the matches against
// segment_members: new matches are inserted and logged as "entered", members
// that no longer match are deleted and logged as "left". The same statement
// returns the size and the members' channel mix and value summary for the
// segment page. An incremental refresh does the same for a list of customers
// (those whose events just arrived, server/segments/live.ts), so membership
// moves within seconds without rescanning the workspace.
//
// Both take a transaction-scoped advisory lock on the segment, so a refresh and
// the changes from new events never diff against each other's half-done work.
// Nothing else writes members, so the insert needs no ON CONFLICT, whose
// speculative insertion would slow a first refresh that enters every member.

/** A refresh that moves this many members analyses segment_members afterwards. */
const ANALYZE_AFTER_CHANGES = 10_000;

export type RefreshCause =
  "created" | "refresh" | "schedule" | "events" | "rule changed" | "depends" | "value fit" | "import";

export interface RefreshResult {
  size: number;
  entered: number;
  left: number;
  ms: number;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function lockSegment(tx: DbOrTx, segmentId: string) {
  return tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`segment:${segmentId}`}::text, 0))`);
}

/** Starts a workspace's cursor at its newest event, if it has none; a full refresh calls it first, so the events it has seen are behind the cursor. */
export async function ensureEventCursor(tx: DbOrTx, workspaceId: string) {
  await tx.execute(sql`
    insert into segment_event_cursors (workspace_id, last_event_id)
    select ${workspaceId}::uuid, coalesce(max(e.id), 0) from events e where e.workspace_id = ${workspaceId}::uuid
    on conflict (workspace_id) do nothing`);
}

/** Adds a day's changes to the size history; the size is the one after them. */
async function recordSize(
  tx: DbOrTx,
  input: { workspaceId: string; segmentId: string; size: number; entered: number; left: number; at: Date },
) {
  await tx.execute(sql`
    insert into segment_sizes (workspace_id, segment_id, day, size, entered, "left")
    values (${input.workspaceId}::uuid, ${input.segmentId}::uuid, ${day(input.at)}::date, ${input.size}::int,
      ${input.entered}::int, ${input.left}::int)
    on conflict (workspace_id, segment_id, day) do update set
      size = excluded.size,
      entered = segment_sizes.entered + excluded.entered,
      "left" = segment_sizes."left" + excluded."left"`);
}

/**
 * The diff of `matched` (a CTE of customer ids, with the summary columns the
 * stats need) against the stored members, limited to `scope` when given.
 */
function diffStatement(input: {
  workspaceId: string;
  segmentId: string;
  where: SQL;
  scope?: string[];
  at: Date;
  cause: RefreshCause;
  withStats: boolean;
}) {
  const ws = sql`${input.workspaceId}::uuid`;
  const seg = sql`${input.segmentId}::uuid`;
  const at = sql`${input.at.toISOString()}::timestamptz`;
  const cause = sql`${input.cause}::text`;
  const scope = input.scope ? sql`and sm.customer_id = any(${uuidArray(input.scope)})` : sql``;
  const idScope = input.scope ? sql`and c.id = any(${uuidArray(input.scope)})` : sql``;
  const stats = input.withStats
    ? sql`,
      (select coalesce(sum(purchase_count), 0)::float8 from matched) as purchases,
      (select coalesce(sum(total_spend), 0)::float8 from matched) as spend,
      (select coalesce(jsonb_object_agg(k, n), '{}'::jsonb) from (
        select cc.key as k, sum((cc.value)::numeric)::float8 as n
        from matched m, jsonb_each(m.channel_counts) as cc
        where jsonb_typeof(cc.value) = 'number' group by cc.key) as x) as channels,
      (select jsonb_build_object(
          'scored', count(*), 'totalClv', coalesce(sum(v.clv), 0), 'meanClv', avg(v.clv),
          'meanPAlive', avg(v.p_alive), 'pastRevenue', coalesce(sum(v.past_revenue), 0),
          'groups', coalesce((select jsonb_object_agg(g, n) from (
            select v2.rfm_group::text as g, count(*) as n from valued v2 group by 1) as y), '{}'::jsonb))
        from valued v) as value,
      ${valueFitExists(input.workspaceId)} as has_fit`
    : sql``;
  // The members' value rows, joined once for the totals and the groups.
  const valued = input.withStats
    ? sql`valued as materialized (
      select cv.clv, cv.p_alive, cv.past_revenue, cv.rfm_group from matched m
      join customer_values cv on cv.workspace_id = ${ws} and cv.customer_id = m.id
    ),
    `
    : sql``;
  return sql`
    with matched as materialized (
      select c.id, c.channel_counts, c.purchase_count, c.total_spend from customers c
      where ${input.where} ${idScope}
    ),
    ${valued}gone as (
      delete from segment_members sm
      where sm.workspace_id = ${ws} and sm.segment_id = ${seg} ${scope}
        and not exists (select 1 from matched m where m.id = sm.customer_id)
      returning sm.customer_id
    ),
    came as (
      insert into segment_members (workspace_id, segment_id, customer_id, entered_at)
      select ${ws}, ${seg}, m.id, ${at} from matched m
      where not exists (select 1 from segment_members sm
        where sm.workspace_id = ${ws} and sm.segment_id = ${seg} and sm.customer_id = m.id)
      returning customer_id
    ),
    logged as (
      insert into segment_membership_changes (workspace_id, segment_id, customer_id, change, at, cause)
      select ${ws}, ${seg}, customer_id, 'entered'::segment_change, ${at}, ${cause} from came
      union all
      select ${ws}, ${seg}, customer_id, 'left'::segment_change, ${at}, ${cause} from gone
    )
    select (select count(*) from matched)::int as size,
      (select count(*) from came)::int as entered,
      (select count(*) from gone)::int as "left"${stats}`;
}

type StatsRow = {
  purchases: number;
  spend: number;
  channels: Record<string, number>;
  value: {
    scored: number;
    totalClv: number;
    meanClv: number | null;
    meanPAlive: number | null;
    pastRevenue: number;
    groups: Record<string, number>;
  };
  has_fit: boolean;
};

function statsOf(row: StatsRow): SegmentStats {
  const total = Object.values(row.channels).reduce((sum, n) => sum + n, 0);
  const channelMix = Object.entries(row.channels)
    .filter((entry): entry is [Channel, number] => (channels as readonly string[]).includes(entry[0]))
    .map(([channel, events]) => ({ channel, events, share: total > 0 ? events / total : 0 }))
    .sort((a, b) => b.events - a.events);
  const value = row.has_fit
    ? {
        scored: Number(row.value.scored),
        totalClv: Number(row.value.totalClv),
        meanClv: row.value.meanClv == null ? null : Number(row.value.meanClv),
        meanPAlive: row.value.meanPAlive == null ? null : Number(row.value.meanPAlive),
        pastRevenue: Number(row.value.pastRevenue),
        groups: rfmGroups
          .map((group: RfmGroup) => ({ group, customers: Number(row.value.groups[group] ?? 0) }))
          .filter((g) => g.customers > 0),
      }
    : null;
  return { channelMix, value, purchases: Number(row.purchases), spend: Number(row.spend) };
}

async function loadRule(tx: DbOrTx, workspaceId: string, segmentId: string) {
  const [row] = await tx
    .select({ rule: segments.rule })
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
  if (!row) throw new NotFoundError("That segment does not exist in this workspace.");
  return row.rule;
}

/**
 * Recomputes a segment's members over the whole workspace, inside the caller's
 * transaction: members, history, today's size, member_count, refreshed_at, stats.
 */
export async function refreshSegmentIn(
  tx: DbOrTx,
  input: { workspaceId: string; segmentId: string; now?: Date; cause?: RefreshCause },
): Promise<RefreshResult> {
  const started = performance.now();
  const { workspaceId, segmentId } = input;
  const now = input.now ?? new Date();
  await lockSegment(tx, segmentId);
  await ensureEventCursor(tx, workspaceId);
  const rule = await loadRule(tx, workspaceId, segmentId);
  const where = matchingCondition(
    workspaceId,
    rule,
    await workspaceShape(tx, workspaceId, {
      now,
      resolveSegment: await storedSegmentResolver(tx, workspaceId),
      thresholds: await loadValueThresholds(tx, workspaceId, rule),
    }),
  );
  const result = await withWorkspaceScan(tx, async (scan) => {
    // The diff joins the matches with the stored members. Right after a refresh that
    // filled the segment, before autovacuum analyses segment_members, the planner takes
    // it for empty and chooses nested loops, which turn a refresh of tens of thousands
    // of members from seconds into minutes. Hash joins are right at any size.
    await scan.execute(sql`select set_config('enable_nestloop', 'off', true)`);
    return scan.execute<{ size: number; entered: number; left: number } & StatsRow>(
      diffStatement({
        workspaceId,
        segmentId,
        where,
        at: now,
        cause: input.cause ?? "refresh",
        withStats: true,
      }),
    );
  });
  const row = result.rows[0]!;
  // Many rows in or out: fresh statistics for the member lists and the next diff.
  if (row.entered + row.left >= ANALYZE_AFTER_CHANGES) await tx.execute(sql`analyze segment_members`);
  await tx
    .update(segments)
    .set({ memberCount: row.size, refreshedAt: now, stats: statsOf(row) })
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
  await recordSize(tx, {
    workspaceId,
    segmentId,
    size: row.size,
    entered: row.entered,
    left: row.left,
    at: now,
  });
  return { size: row.size, entered: row.entered, left: row.left, ms: performance.now() - started };
}

/** A full refresh in its own transaction (the benchmark and tests; the app runs it as a job, ./job.ts). */
export function refreshSegment(
  db: Database,
  input: { workspaceId: string; segmentId: string; now?: Date; cause?: RefreshCause },
): Promise<RefreshResult> {
  return db.transaction((tx) => refreshSegmentIn(tx, input));
}

/**
 * Re-evaluates every refreshed segment of the workspace for these customers
 * only (ids of standing or merged-away profiles; merged-away ones leave).
 * Segments never refreshed are left to their first full refresh. Each segment
 * in its own transaction. Returns the changes per segment that had any.
 */
export async function refreshCustomers(
  db: Database,
  input: { workspaceId: string; customerIds: string[]; now?: Date; cause?: RefreshCause },
): Promise<{ segmentId: string; entered: number; left: number }[]> {
  const { workspaceId } = input;
  const customerIds = [...new Set(input.customerIds)];
  if (customerIds.length === 0) return [];
  const now = input.now ?? new Date();
  const live = await db
    .select({ id: segments.id, rule: segments.rule })
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), isNotNull(segments.refreshedAt)));
  const changed: { segmentId: string; entered: number; left: number }[] = [];
  // Referenced segments first, so a dependent reads their new members.
  // Which segments exist, read once for the whole pass: rules refer to them by id.
  const resolveSegment = await storedSegmentResolver(db, workspaceId);
  for (const segmentId of dependencyOrder(live)) {
    const moved = await db.transaction(async (tx) => {
      await lockSegment(tx, segmentId);
      let rule;
      try {
        rule = await loadRule(tx, workspaceId, segmentId);
      } catch (error) {
        if (error instanceof NotFoundError) return null; // deleted meanwhile
        throw error;
      }
      const where = matchingCondition(workspaceId, rule, {
        now,
        resolveSegment,
        thresholds: await loadValueThresholds(tx, workspaceId, rule),
      });
      const result = await tx.execute<{ size: number; entered: number; left: number }>(
        diffStatement({
          workspaceId,
          segmentId,
          where,
          scope: customerIds,
          at: now,
          cause: input.cause ?? "events",
          withStats: false,
        }),
      );
      const { entered, left } = result.rows[0]!;
      if (entered === 0 && left === 0) return null;
      const [updated] = await tx
        .update(segments)
        .set({ memberCount: sql`${segments.memberCount} + ${entered - left}` })
        .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)))
        .returning({ size: segments.memberCount });
      await recordSize(tx, { workspaceId, segmentId, size: updated!.size, entered, left, at: now });
      return { segmentId, entered, left };
    });
    if (moved) changed.push(moved);
  }
  return changed;
}

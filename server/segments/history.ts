import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { segments } from "~/db/schema";
import { withWorkspaceScan } from "./matching";
import { segmentRefs, usesValue } from "./references";
import type { Rule } from "./rules";
import { compileOptions, matchingCondition, resolverFromRules } from "./sql/matching-query";
import { loadValueThresholds } from "./thresholds";

// A segment's size history reconstructed from the events: the rule evaluated
// as of the end of each past day (CompileOptions.asOf), one set-based
// statement per day, and the day's size, entries and exits written to
// segment_sizes, where the trend chart reads them. The days are walked in
// order; the members of the day before are kept in a temporary table, so each
// day's entries and exits are its set against the previous one's.
//
// What has no history is read as it is now: traits, and the value figures of
// the latest fit. A rule that reads value figures is therefore reconstructed
// only from the day of the fit they come from, when they were already what
// they are now.

/** At most this many days back. */
export const HISTORY_DAYS = 365;

const DAY_MS = 24 * 3600 * 1000;

/** YYYY-MM-DD (UTC) of a moment. */
export function dayOf(date: Date) {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number) {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

export function daysBetween(from: string, to: string) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The end of a day (UTC): events before it count "as of" the day. */
export function endOfDay(day: string) {
  return new Date(Date.parse(`${addDays(day, 1)}T00:00:00Z`));
}

/** The segment's rule and the rules of the workspace's segments (a rule may refer to others). */
export async function loadRules(db: DbOrTx, workspaceId: string, segmentId: string) {
  const rows = await db
    .select({ id: segments.id, rule: segments.rule, historyJobId: segments.historyJobId })
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId));
  const definitions = new Map(rows.map((row) => [row.id, row.rule]));
  const own = rows.find((row) => row.id === segmentId);
  return own ? { rule: own.rule, historyJobId: own.historyJobId, definitions } : undefined;
}

/** Whether a rule reads value figures, itself or through the segments it refers to. */
export function readsValue(
  rule: Rule,
  definitions: ReadonlyMap<string, Rule>,
  seen = new Set<string>(),
): boolean {
  if (usesValue(rule)) return true;
  return segmentRefs(rule).some((id) => {
    if (seen.has(id)) return false;
    seen.add(id);
    const referenced = definitions.get(id);
    return referenced !== undefined && readsValue(referenced, definitions, seen);
  });
}

/** The day since which the stored value figures are what they are now: that of the latest fit with figures stored. */
async function valueFiguresSince(db: DbOrTx, workspaceId: string) {
  const result = await db.execute<{ day: string | null }>(sql`
    select to_char(f.finished_at at time zone 'UTC', 'YYYY-MM-DD') as day from value_fits f
    where f.workspace_id = ${workspaceId}::uuid and f.status = 'succeeded' and f.finished_at is not null
      and exists (select 1 from customer_values cv where cv.workspace_id = f.workspace_id and cv.fit_id = f.id)
    order by f.finished_at desc limit 1`);
  return result.rows[0]?.day ?? null;
}

export interface HistoryRange {
  /** The first day to reconstruct. */
  from: string;
  /** The day after the last one. */
  until: string;
  /** Set when value figures moved `from` later than the events would: the day of their fit. */
  valueSince: string | null;
}

/**
 * The days to reconstruct before `until`: at most HISTORY_DAYS, none before
 * the workspace's first event, and for a rule that reads value figures none
 * before the day of their fit (none at all when `from` is not before `until`).
 * Null when the workspace has no events.
 */
export async function historyRange(
  db: DbOrTx,
  input: { workspaceId: string; rule: Rule; definitions: ReadonlyMap<string, Rule>; until: string },
): Promise<HistoryRange | null> {
  const first = await db.execute<{ day: string | null }>(sql`
    select to_char(min(e.timestamp) at time zone 'UTC', 'YYYY-MM-DD') as day from events e
    where e.workspace_id = ${input.workspaceId}::uuid`);
  const firstEventDay = first.rows[0]?.day;
  if (!firstEventDay) return null;
  let from = [addDays(input.until, -HISTORY_DAYS), firstEventDay].sort().at(-1)!;
  let valueSince: string | null = null;
  if (readsValue(input.rule, input.definitions)) {
    const since = await valueFiguresSince(db, input.workspaceId);
    if (since && since > from) {
      from = since;
      valueSince = since;
    }
  }
  return { from, until: input.until, valueSince };
}

export interface DaySize {
  day: string;
  size: number;
  entered: number;
  left: number;
}

/**
 * Evaluates the rule as of the end of each of `days` (consecutive, in order)
 * and of the day before the first, inside the caller's transaction. Returns
 * each day's size and its entries and exits against the day before.
 */
export async function sizesAsOf(
  tx: DbOrTx,
  input: {
    workspaceId: string;
    rule: Rule;
    definitions: ReadonlyMap<string, Rule>;
    days: readonly string[];
  },
): Promise<DaySize[]> {
  const { workspaceId, rule, definitions } = input;
  const thresholds = await loadValueThresholds(tx, workspaceId, rule);
  const condition = (day: string) => {
    const options = compileOptions(workspaceId, { shape: "workspace", asOf: endOfDay(day), thresholds });
    // A referenced segment's stored members are today's: its rule is evaluated as of the same day.
    const resolveSegment = resolverFromRules(definitions, options);
    return matchingCondition(workspaceId, rule, { ...options, resolveSegment });
  };
  return withWorkspaceScan(tx, async (scan) => {
    // The members of the day before, as each day is diffed against it; gone at commit.
    await scan.execute(
      sql`create temporary table segment_history_members (id uuid primary key) on commit drop`,
    );
    await scan.execute(sql`insert into segment_history_members (id)
      select c.id from customers c where ${condition(addDays(input.days[0]!, -1))}`);
    const sizes: DaySize[] = [];
    for (const day of input.days) {
      const result = await scan.execute<{ size: number; entered: number; left: number }>(sql`
        with cur as materialized (select c.id from customers c where ${condition(day)}),
        came as (
          insert into segment_history_members (id) select id from cur on conflict (id) do nothing returning 1
        ),
        gone as (
          delete from segment_history_members h where not exists (select 1 from cur where cur.id = h.id)
          returning 1
        )
        select (select count(*) from cur)::int as size, (select count(*) from came)::int as entered,
          (select count(*) from gone)::int as "left"`);
      sizes.push({ day, ...result.rows[0]! });
    }
    return sizes;
  });
}

/**
 * Stores reconstructed sizes. `replace`: over what is there (the rule changed,
 * so earlier points describe another rule); otherwise over reconstructed
 * points only, and days recorded by a refresh keep their figures.
 */
export async function storeSizes(
  tx: DbOrTx,
  input: { workspaceId: string; segmentId: string; sizes: readonly DaySize[]; replace: boolean },
) {
  if (input.sizes.length === 0) return;
  const rows = sql.join(
    input.sizes.map(
      (s) =>
        sql`(${input.workspaceId}::uuid, ${input.segmentId}::uuid, ${s.day}::date, ${s.size}::int, ${s.entered}::int, ${s.left}::int, true)`,
    ),
    sql`, `,
  );
  const onConflict = input.replace
    ? sql`do update set size = excluded.size, entered = excluded.entered, "left" = excluded."left", reconstructed = true`
    : sql`do update set size = excluded.size, entered = excluded.entered, "left" = excluded."left"
        where segment_sizes.reconstructed`;
  await tx.execute(sql`
    insert into segment_sizes (workspace_id, segment_id, day, size, entered, "left", reconstructed)
    values ${rows}
    on conflict (workspace_id, segment_id, day) ${onConflict}`);
}

/** Removes the points before `until`: a changed rule's history is reconstructed anew. */
export async function clearSizesBefore(
  tx: DbOrTx,
  input: { workspaceId: string; segmentId: string; until: string },
) {
  await tx.execute(sql`
    delete from segment_sizes where workspace_id = ${input.workspaceId}::uuid
      and segment_id = ${input.segmentId}::uuid and day < ${input.until}::date`);
}

/** The first day with a recorded (not reconstructed) point: reconstruction on demand stops there. */
export async function firstRecordedDay(db: DbOrTx, input: { workspaceId: string; segmentId: string }) {
  const result = await db.execute<{ day: string | null }>(sql`
    select min(day)::text as day from segment_sizes
    where workspace_id = ${input.workspaceId}::uuid and segment_id = ${input.segmentId}::uuid and not reconstructed`);
  return result.rows[0]?.day ?? null;
}

/** Serialises the steps of one segment's reconstruction with any other for it. */
export function lockHistory(tx: DbOrTx, segmentId: string) {
  return tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`segment-history:${segmentId}`}::text, 0))`,
  );
}

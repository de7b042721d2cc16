import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { parseRule } from "./rules";
import { compileRule } from "./sql/rule-tree";
import { compileOptions, matchingIds } from "./sql/matching-query";
import type { MatchOptions } from "./sql/options";
import { streamsBuilt } from "./streams";

// Running a rule over a workspace: its count, its count with a sample of its
// members, and its count in a block sample of the customers; the SQL comes
// from ./sql/.

/**
 * Runs a whole-workspace query with the settings its plan needs: memory for the
 * hashed sets of customers (PostgreSQL rescans a subquery per row when its
 * hash would not fit in work_mem), and no JIT, whose compilation costs more
 * than it saves on queries of this size. Local to the transaction.
 */
export async function withWorkspaceScan<T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>) {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('work_mem', '128MB', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return work(tx);
  });
}

/** The options of a whole-workspace query: the workspace shape, with the customer streams when they are built. */
export async function workspaceShape(
  db: DbOrTx,
  workspaceId: string,
  options: MatchOptions = {},
): Promise<MatchOptions> {
  return {
    shape: "workspace",
    ...options,
    streams: options.streams ?? (await streamsBuilt(db, workspaceId)),
  };
}

export async function countMatching(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  options: MatchOptions = {},
) {
  const ids = matchingIds(workspaceId, rule, await workspaceShape(db, workspaceId, options));
  const result = await withWorkspaceScan(db, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from (${ids}) as m`),
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * The count and a sample of the members in one statement, as the editor's exact
 * preview shows them: the matching ids are kept in a CTE, counted, and the
 * sample is the first of them by id (customer ids are random UUIDs, so these
 * are members picked at random). The rule runs once. Picking the most recently
 * seen members would walk the workspace newest first, most of it for a segment
 * of customers seen long ago (at-risk).
 */
export async function countAndSampleMatching(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  limit = 10,
  options: MatchOptions = {},
) {
  const ids = matchingIds(workspaceId, rule, await workspaceShape(db, workspaceId, options));
  const result = await withWorkspaceScan(db, (tx) =>
    tx.execute<{ n: number; sample: { id: string; name: string | null; email: string | null }[] | null }>(sql`
      with m as materialized (select m.id from (${ids}) as m (id))
      select (select count(*) from m)::int as n,
        (select json_agg(json_build_object('id', s.id, 'name', s.name, 'email', s.email) order by s.id) from (
          select c.id, c.name, c.email from customers c
          where c.workspace_id = ${sql`${workspaceId}::uuid`}
            and c.id in (select id from m order by id limit ${sql`${sampleLimit(limit)}::int`})) as s) as sample`),
  );
  const row = result.rows[0];
  return { count: row?.n ?? 0, sample: row?.sample ?? [] };
}

function sampleLimit(limit: number) {
  return Math.max(1, Math.min(100, Math.trunc(limit)));
}

/**
 * How many of a block sample of the workspace's customers a rule picks: about
 * `percent` % of the table's pages (TABLESAMPLE SYSTEM, the same pages on every
 * call), in the per-customer shape, which is cheap for a few thousand rows. The
 * editor's live count scales it up while the exact count runs (./preview.ts).
 */
export async function countMatchingInSample(
  db: DbOrTx,
  workspaceId: string,
  rule: unknown,
  options: MatchOptions & { percent: number; sampleSize?: number },
) {
  const { percent: _percent, sampleSize: _sampleSize, ...match } = options;
  // The per-customer shape: a few thousand sampled customers, each tested on their own rows.
  const condition = compileRule(
    parseRule(rule),
    compileOptions(workspaceId, { ...match, shape: "customers" }),
  );
  const percent = sql`${Math.min(100, Math.max(0.001, options.percent))}::float4`;
  const sampled = sql`customers c tablesample system (${percent}) repeatable (0)
    where c.workspace_id = ${sql`${workspaceId}::uuid`} and c.merged_into is null`;
  const limit = sampleLimit(options.sampleSize ?? 10);
  // One statement, so the rule runs once per sampled customer (and uncorrelated
  // parts such as a top-N % threshold once in all).
  const result = await db.execute<{
    matched: number;
    sampled: number;
    sample: { id: string; name: string | null; email: string | null }[] | null;
  }>(sql`
    with s as materialized (
      select c.id, c.name, c.email, c.last_seen_at, coalesce((${condition}), false) as hit from ${sampled}
    )
    select (select count(*) from s where hit)::int as matched, (select count(*) from s)::int as sampled,
      (select json_agg(json_build_object('id', x.id, 'name', x.name, 'email', x.email)) from (
        select id, name, email from s where hit order by last_seen_at desc nulls last, id limit ${sql`${limit}::int`}
      ) as x) as sample`);
  const row = result.rows[0];
  return { matched: row?.matched ?? 0, sampled: row?.sampled ?? 0, sample: row?.sample ?? [] };
}

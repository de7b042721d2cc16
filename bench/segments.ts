// Segment live counts at 1,000,000 customers: countMatching (what the editor's
// preview calls) for each template of server/segments/templates.ts and for a
// rule of three behaviour conditions, p50/p95 per rule with the count matched;
// countAndSampleMatching beside it (what the preview runs); with --explain the
// EXPLAIN (ANALYZE, BUFFERS) of each count; with --refresh a full membership
// refresh of a segment per template (server/segments/membership.ts), twice:
// the first refresh and a second one with nothing changed.
//
//   node --import tsx bench/segments.ts --database-url URL [--runs 20] [--only key,key]
//     [--explain] [--refresh] [--no-counts] [--explain-refresh-plan-only] [--explain-first-refresh] [--now ISO]
//     [--baseline]
//
// The database is the one bench/load-demo.ts loaded; the at-risk template needs
// a value fit first (bench/value-app.ts). `now` defaults to the demo workspace's
// creation time, the generator's clock, so the windows fall on the same events
// whenever the benchmark runs.
//
// Targets: live count p95 under 400 ms per rule, the estimate under 250 ms; a full refresh under 10 s.

import { and, eq, sql } from "drizzle-orm";
import pg from "pg";
import { type Database } from "~/db";
import { migrateDatabase } from "~/db/migrate";
import * as schema from "~/db/schema";
import { demoWorkspaces } from "~/server/demo/seed";
import { countAndSampleMatching, countMatching } from "~/server/segments/matching";
import { previewRule } from "~/server/segments/preview";
import { refreshSegment } from "~/server/segments/membership";
import { buildStreams, streamsBuilt } from "~/server/segments/streams";
import { loadValueThresholds } from "~/server/segments/thresholds";
import { parseRule, type Rule } from "~/server/segments/rules";
import { segmentTemplates } from "~/server/segments/templates";
import { slugify } from "~/server/workspaces/workspaces";
import { recordFigure } from "./figures";
import { args, fmt, ms, now, stats, runMain, connectLoadedDatabase, capturingDb } from "./lib";

const a = args();
const RUNS = a.num("runs", 20);
const EXPLAIN = a.flag("explain");
const REFRESH = a.flag("refresh");
const PgPool = pg.Pool;
/** --no-counts: only the refreshes. */
const COUNTS = !a.flag("no-counts");
/** Time only the estimates (the exact count runs once per rule, to compare). */
const ESTIMATES_ONLY = a.flag("estimates-only");
const ONLY = a.str("only")?.split(",");
/** --explain-refresh-plan-only: EXPLAIN without running the refresh's diff again (when it is slow). */
const ANALYZE_REFRESH = !a.flag("explain-refresh-plan-only");
/** --explain-first-refresh: the plan of the first refresh (every member enters), not of the second. */
const EXPLAIN_FIRST = a.flag("explain-first-refresh");
/** --baseline: also time each count from events alone (without the customer streams). */
const BASELINE = a.flag("baseline");
const COUNT_TARGET_MS = 400;
const ESTIMATE_TARGET_MS = 250;

/** Three behaviour conditions in the demo's vocabulary: looked, read, did not buy (a browse-abandonment audience). */
const threeBehaviours: Rule = {
  type: "and",
  rules: [
    {
      type: "behaviour",
      performed: true,
      event: "Product Viewed",
      window: { lastDays: 30 },
      times: { atLeast: 3 },
    },
    { type: "behaviour", performed: true, event: "Email Opened", window: { lastDays: 30 } },
    { type: "behaviour", performed: false, event: "Order Completed", window: { lastDays: 30 } },
  ],
};

const rules: { key: string; name: string; rule: Rule }[] = [
  ...segmentTemplates.map((t) => ({ key: t.key, name: t.name, rule: t.rule })),
  {
    key: "three-behaviours",
    name: "Viewed ≥3, opened an email, did not buy (30 days)",
    rule: threeBehaviours,
  },
].filter((r) => !ONLY || ONLY.includes(r.key));

async function main() {
  const handle = await connectLoadedDatabase(a);
  const { db, pool } = handle;
  try {
    // The segment tables and indexes (db/migrations 0003, 0004) on a database loaded before them.
    const tm = now();
    await migrateDatabase(db);
    console.log(`migrated in ${((now() - tm) / 1000).toFixed(1)} s`);
    const [ws] = await db
      .select({ id: schema.workspaces.id, createdAt: schema.workspaces.createdAt })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.slug, slugify(demoWorkspaces[0]!.name)));
    if (!ws) throw new Error("There is no demo workspace: load it with bench/load-demo.ts.");
    const workspaceId = ws.id;
    const at = a.has("now") ? new Date(a.str("now")!) : ws.createdAt;
    const size = (
      await pool.query(
        `select (select count(*) from customers where workspace_id = $1 and merged_into is null) c,
                (select reltuples::bigint from pg_class where relname = 'events') e,
                (select count(*) from customer_values where workspace_id = $1) v,
                current_setting('work_mem') wm, current_setting('max_parallel_workers_per_gather') pw`,
        [workspaceId],
      )
    ).rows[0];
    const total = Number(size.c);
    console.log(
      `database: ${fmt(total)} customers, ≈${fmt(Number(size.e))} events, ${fmt(Number(size.v))} customer_values rows; ` +
        `work_mem ${size.wm}, parallel workers per gather ${size.pw}`,
    );
    console.log(`now: ${at.toISOString()} (the windows end here)`);
    if (Number(size.v) === 0)
      console.log("warning: no customer_values: run bench/value-app.ts first (at-risk-high-value)");

    // The customer streams the counts read (server/segments/streams.ts), built once after migration 0011.
    if (!(await streamsBuilt(db, workspaceId))) {
      const tb = now();
      await buildStreams(db, { workspaceId });
      await pool.query("vacuum analyze customer_streams");
      console.log(`customer streams built in ${((now() - tb) / 1000).toFixed(1)} s`);
    }
    const streamSize = (
      await pool.query(
        `select count(*) n, pg_size_pretty(pg_total_relation_size('customer_streams')) size from customer_streams where workspace_id = $1`,
        [workspaceId],
      )
    ).rows[0];
    console.log(`customer streams: ${fmt(Number(streamSize.n))} rows, ${streamSize.size} with indexes`);

    const summary: string[] = [];
    const estimateLines: string[] = [];
    const medians = new Map<string, { p50: number; count: number }>();
    for (const { key, name, rule } of COUNTS ? rules : []) {
      // As the preview counts: with the fit's stored top / bottom N % thresholds, read on each call.
      const exact = async () =>
        countMatching(db, workspaceId, rule, {
          now: at,
          thresholds: await loadValueThresholds(db, workspaceId, parseRule(rule)),
        });
      // Two warm-up runs: the pages the query reads come into memory, as they would for an editor at work.
      // The first also finds and stores the thresholds, once per fit.
      let count = 0;
      for (let i = 0; i < (ESTIMATES_ONLY ? 1 : 2); i++) count = await exact();
      const times: number[] = [];
      // A rule far over the target is timed 3 times, not RUNS times.
      const t0 = now();
      await exact();
      const runs = ESTIMATES_ONLY ? 1 : now() - t0 > 5000 ? 3 : RUNS;
      for (let i = 0; i < runs; i++) {
        const t = now();
        count = await exact();
        times.push(now() - t);
      }
      // The preview's exact answer: the count and a sample of 10, in one statement.
      const both: number[] = [];
      for (let i = 0; i < Math.min(runs, ESTIMATES_ONLY ? 0 : 5); i++) {
        const t = now();
        await countAndSampleMatching(db, workspaceId, rule, 10, {
          now: at,
          thresholds: await loadValueThresholds(db, workspaceId, parseRule(rule)),
        });
        both.push(now() - t);
      }
      const s = stats(times);
      const sb = stats(both);
      const line =
        `${key.padEnd(20)} count ${fmt(count).padStart(9)} (${((100 * count) / total).toFixed(2)} %)  ` +
        `p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  max ${ms(s.max).padStart(9)} (n=${s.n})  ` +
        `count and sample of 10 (the preview): p50 ${ms(sb.p50)}`;
      medians.set(key, { p50: s.p50, count });
      if (!ESTIMATES_ONLY)
        recordFigure({
          key: `segments.count.${key}`,
          label: `exact live count p95, ${key}`,
          value: s.p95,
          unit: "ms",
          target: { op: "<", value: COUNT_TARGET_MS },
        });
      summary.push(line);

      // The editor's first answer: the estimate from a block sample (previewRule, mode "estimate"),
      // with its count, margin and sample of customers, as the tRPC procedure returns it.
      const estimateTimes: number[] = [];
      let estimate: Awaited<ReturnType<typeof previewRule>> | undefined;
      for (let i = 0; i < 2 + RUNS; i++) {
        const t = now();
        estimate = await previewRule(db, { workspaceId, rule, mode: "estimate", now: at });
        if (i >= 2) estimateTimes.push(now() - t);
      }
      const es = stats(estimateTimes);
      recordFigure({
        key: `segments.estimate.${key}`,
        label: `live estimate p95, ${key}`,
        value: es.p95,
        unit: "ms",
        target: { op: "<", value: ESTIMATE_TARGET_MS },
      });
      const off = estimate!.count - count;
      estimateLines.push(
        `${key.padEnd(20)} ≈ ${fmt(estimate!.count).padStart(9)} ± ${fmt(estimate!.estimate?.margin ?? 0)} ` +
          `(exact ${fmt(count)}, off by ${off >= 0 ? "+" : ""}${fmt(off)}; ${fmt(estimate!.estimate?.sampled ?? 0)} sampled)  ` +
          `p50 ${ms(es.p50).padStart(9)}  p95 ${ms(es.p95).padStart(9)} (n=${es.n})`,
      );
      console.log(`${name}\n  ${line}`);

      if (EXPLAIN) {
        const cap = capturingDb(pool);
        await countMatching(cap.db, workspaceId, rule, { now: at });
        // The count and the settings it runs with (withWorkspaceScan), in one transaction.
        const settings = cap.captured.find((q) => q.sql.includes("set_config"))!;
        const query = cap.captured.find((q) => q.sql.startsWith("select count(*)"))!;
        const client = await pool.connect();
        let plan;
        try {
          await client.query("begin");
          await client.query(settings.sql, settings.params);
          plan = await client.query(`explain (analyze, buffers) ${query.sql}`, query.params);
        } finally {
          await client.query("rollback");
          client.release();
        }
        console.log(
          `\nEXPLAIN (ANALYZE, BUFFERS) count of ${key}:\n${query.sql}\n${JSON.stringify(query.params)}\n` +
            `${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}\n`,
        );
      }
    }

    console.log(`\nlive counts (countMatching), target p95 < ${COUNT_TARGET_MS} ms:`);
    for (const line of summary) console.log(`  ${line}`);
    if (BASELINE) await countFromEvents(db, workspaceId, at, medians);
    if (estimateLines.length > 0) {
      console.log(
        `\nlive estimates (previewRule, mode "estimate": a block sample of ≈10,000 customers), target p95 < ${ESTIMATE_TARGET_MS} ms:`,
      );
      for (const line of estimateLines) console.log(`  ${line}`);
    }

    if (REFRESH) await refreshAll(db, workspaceId, at);
  } finally {
    await handle.close();
  }
}

/**
 * --baseline: each count from events alone (without the customer streams), 3
 * times, after all the others, so that its reads of events do not push the
 * streams out of memory before another rule is timed.
 */
async function countFromEvents(
  db: Database,
  workspaceId: string,
  at: Date,
  medians: ReadonlyMap<string, { p50: number; count: number }>,
) {
  console.log(`\nthe same counts from events alone (no customer streams), 3 runs each:`);
  for (const { key, rule } of rules) {
    const streams = medians.get(key);
    if (!streams) continue;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = now();
      const n = await countMatching(db, workspaceId, rule, { now: at, streams: false });
      times.push(now() - t);
      if (n !== streams.count)
        throw new Error(`${key}: ${fmt(n)} from events, ${fmt(streams.count)} from the streams`);
    }
    const p50 = stats(times).p50;
    console.log(
      `  ${key.padEnd(20)} p50 ${ms(p50).padStart(9)} = ${(p50 / streams.p50).toFixed(1)}× the streams' p50 (${ms(streams.p50)})`,
    );
  }
}

/**
 * A full refresh of a new segment per rule (every customer enters), then a
 * second one with nothing changed; the segment is removed afterwards (its
 * members, history and sizes go with it).
 */
async function refreshAll(db: Database, workspaceId: string, at: Date) {
  console.log(`\nfull membership refresh (refreshSegment), target < 10 s:`);
  const lines: string[] = [];
  for (const { key, rule } of rules) {
    const [segment] = await db
      .insert(schema.segments)
      .values({ workspaceId, name: `bench ${key} ${Date.now()}`, description: "bench/segments.ts", rule })
      .returning({ id: schema.segments.id });
    const segmentId = segment!.id;
    try {
      if (EXPLAIN && EXPLAIN_FIRST) await explainRefresh(db, workspaceId, segmentId, at, { first: true });
      let t = now();
      const first = await refreshSegment(db, { workspaceId, segmentId, now: at });
      const firstMs = now() - t;
      // No ANALYZE here: a refresh that moves many members analyses segment_members itself
      // (server/segments/membership.ts), which is what this second run checks.
      if (EXPLAIN && !EXPLAIN_FIRST) await explainRefresh(db, workspaceId, segmentId, at);
      t = now();
      const second = await refreshSegment(db, { workspaceId, segmentId, now: at });
      const secondMs = now() - t;
      const line =
        `${key.padEnd(20)} size ${fmt(first.size).padStart(9)}  first ${(firstMs / 1000).toFixed(2)} s (entered ${fmt(first.entered)})  ` +
        `second ${(secondMs / 1000).toFixed(2)} s (entered ${fmt(second.entered)}, left ${fmt(second.left)})  ` +
        `${Math.max(firstMs, secondMs) < 10_000 ? "met" : "NOT met"}`;
      lines.push(line);
      console.log(`  ${line}`);
    } finally {
      await db
        .delete(schema.segments)
        .where(and(eq(schema.segments.workspaceId, workspaceId), eq(schema.segments.id, segmentId)));
    }
  }
  return lines;
}

/** Back to a segment never refreshed: no members, history or sizes. */
async function forgetMembers(db: Database, workspaceId: string, segmentId: string) {
  const ws = sql`${workspaceId}::uuid`;
  const seg = sql`${segmentId}::uuid`;
  await db.execute(sql`delete from segment_members where workspace_id = ${ws} and segment_id = ${seg}`);
  await db.execute(
    sql`delete from segment_membership_changes where workspace_id = ${ws} and segment_id = ${seg}`,
  );
  await db.execute(sql`delete from segment_sizes where workspace_id = ${ws} and segment_id = ${seg}`);
  await db.execute(sql`vacuum analyze segment_members`);
}

/** EXPLAIN (ANALYZE, BUFFERS) of a refresh's statements, rolled back: one with nothing to change, or with `first` one where every member enters. */
async function explainRefresh(
  db: Database,
  workspaceId: string,
  segmentId: string,
  at: Date,
  options: { first?: boolean } = {},
) {
  const pool = (db as unknown as { $client: pg.Pool }).$client;
  // The statements of one more refresh, captured; with the plan only, the slow diff is cut short.
  const capturePool = ANALYZE_REFRESH
    ? pool
    : new PgPool({ ...pool.options, max: 1, options: "-c statement_timeout=1000" });
  const cap = capturingDb(capturePool);
  await refreshSegment(cap.db as unknown as Database, { workspaceId, segmentId, now: at }).catch(
    (error: unknown) => {
      if (ANALYZE_REFRESH) throw error;
    },
  );
  if (capturePool !== pool) await capturePool.end();
  // The capture filled the segment: the first refresh is explained on an empty one again.
  if (options.first) await forgetMembers(db, workspaceId, segmentId);
  const client = await pool.connect();
  try {
    await client.query("begin");
    for (const query of cap.captured) {
      if (/^(begin|commit|rollback|savepoint|release)/i.test(query.sql.trim())) continue;
      if (!query.sql.includes("with matched") && !query.sql.includes("set_config")) {
        await client.query(query.sql, query.params);
        continue;
      }
      if (query.sql.includes("set_config")) {
        await client.query(query.sql, query.params);
        continue;
      }
      const plan = await client.query(
        `explain ${ANALYZE_REFRESH ? "(analyze, buffers) " : ""}${query.sql}`,
        query.params,
      );
      console.log(
        `\nEXPLAIN${ANALYZE_REFRESH ? " (ANALYZE, BUFFERS)" : ""} refresh diff:\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}\n`,
      );
    }
  } finally {
    await client.query("rollback");
    client.release();
  }
}

runMain(main);

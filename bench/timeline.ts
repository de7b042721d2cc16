// A customer's timeline: the newest 50 events and the next page, through the
// tRPC procedure customer.timeline over HTTP as a signed-in user, p50/p95 over
// 200 mixed customers (heavy and light); in the same run the bare SQL keyset
// query that listTimeline sends, and a no-op tRPC call (workspace.list), with
// the ratios; and EXPLAIN (ANALYZE, BUFFERS) of the query.
//
//   node --import tsx bench/timeline.ts --database-url URL   (the database bench/load-demo.ts loaded)
//
// Targets (docs/benchmarks.md): timeline p95 under 5 ms, the no-op call p95 under 2 ms.

import { eq } from "drizzle-orm";
import * as schema from "~/db/schema";
import { demoWorkspaces } from "~/server/demo/seed";
import { listTimeline } from "~/server/customers/queries";
import { slugify } from "~/server/workspaces/workspaces";
import { signIn, startApp, trpcGet } from "./app";
import { recordFigure } from "./figures";
import { args, fmt, ms, now, stats, runMain, connectLoadedDatabase, capturingDb } from "./lib";

const a = args();
const N = a.num("customers", 200);
const ROUNDS = a.num("rounds", 2);

async function main() {
  const handle = await connectLoadedDatabase(a);
  const { url, db, pool } = handle;
  const app = await startApp(url);
  try {
    const [ws] = await db
      .select({ id: schema.workspaces.id })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.slug, slugify(demoWorkspaces[0]!.name)));
    const workspaceId = ws!.id;
    const size = (
      await pool.query(
        "select (select count(*) from customers where workspace_id = $1) c, (select reltuples::bigint from pg_class where relname = 'events') e",
        [workspaceId],
      )
    ).rows[0];
    console.log(`database: ${fmt(Number(size.c))} customers, ≈${fmt(Number(size.e))} events`);

    // 200 mixed customers: heavy (≥ 50 events), medium (11-49) and light (≤ 10), by random uuid order.
    const pick = async (where: string, n: number) =>
      (
        await pool.query<{ id: string; n: number }>(
          `select id, event_count n from customers where workspace_id = $1 and merged_into is null and ${where} order by id limit ${n}`,
          [workspaceId],
        )
      ).rows;
    const heavy = await pick("event_count >= 50", Math.round(N * 0.35));
    const medium = await pick("event_count between 11 and 49", Math.round(N * 0.3));
    const light = await pick("event_count <= 10", N - heavy.length - Math.round(N * 0.3));
    const sample = [...heavy, ...medium, ...light].sort((x, y) => (x.id < y.id ? -1 : 1));
    const counts = sample.map((c) => c.n).sort((x, y) => x - y);
    console.log(
      `sample: ${sample.length} customers (${heavy.length} heavy ≥50 events, ${medium.length} medium, ${light.length} light ≤10); ` +
        `events per customer median ${counts[Math.floor(counts.length / 2)]}, max ${counts.at(-1)}`,
    );

    const cookie = await signIn(app.base, "admin@centric.demo", "centric-admin-demo");
    // Warm-up: route compilation, session decoding, pool connections.
    for (let i = 0; i < 30; i++) {
      await trpcGet(app.base, cookie, "workspace.list");
      await trpcGet(app.base, cookie, "customer.timeline", {
        workspaceId,
        customerId: sample[i % sample.length]!.id,
      });
    }

    // The SQL listTimeline sends for each customer's first and second page.
    const cap = capturingDb(pool);
    const queries: {
      first: { sql: string; params: unknown[] };
      second?: { sql: string; params: unknown[] };
    }[] = [];
    for (const c of sample) {
      cap.captured.length = 0;
      const page = await listTimeline({ db: cap.db, workspaceId, customerId: c.id });
      const first = cap.captured[0]!;
      let second;
      if (page.nextCursor) {
        cap.captured.length = 0;
        await listTimeline({ db: cap.db, workspaceId, customerId: c.id, cursor: page.nextCursor });
        second = cap.captured[0]!;
      }
      queries.push({ first, second });
    }
    console.log(`timeline SQL:\n${queries[0]!.first.sql}\n`);

    const rounds: string[] = [];
    const all = { timeline: [] as number[], sql: [] as number[], noop: [] as number[], health: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
      const p1: number[] = [];
      const p2: number[] = [];
      const noop: number[] = [];
      const health: number[] = [];
      const direct: number[] = [];
      const authSession: number[] = [];
      const sql1: number[] = [];
      const sql2: number[] = [];
      let pages2 = 0;
      // Interleaved per customer, so that all four see the same conditions.
      for (const [i, c] of sample.entries()) {
        let t = now();
        await trpcGet(app.base, cookie, "workspace.list");
        noop.push(now() - t);

        t = now();
        await (await fetch(`${app.base}/api/health`)).json();
        health.push(now() - t);

        t = now();
        await (await fetch(`${app.base}/api/auth/session`, { headers: { cookie } })).json();
        authSession.push(now() - t);

        t = now();
        await listTimeline({ db, workspaceId, customerId: c.id });
        direct.push(now() - t);

        t = now();
        const first = (await trpcGet(app.base, cookie, "customer.timeline", {
          workspaceId,
          customerId: c.id,
        })) as {
          events: unknown[];
          nextCursor?: string;
        };
        p1.push(now() - t);
        if (first.nextCursor) {
          t = now();
          await trpcGet(app.base, cookie, "customer.timeline", {
            workspaceId,
            customerId: c.id,
            cursor: first.nextCursor,
          });
          p2.push(now() - t);
          pages2++;
        }
        const q = queries[i]!;
        t = now();
        await pool.query(q.first.sql, q.first.params);
        sql1.push(now() - t);
        if (q.second) {
          t = now();
          await pool.query(q.second.sql, q.second.params);
          sql2.push(now() - t);
        }
      }
      all.timeline.push(...p1, ...p2);
      all.sql.push(...sql1, ...sql2);
      all.noop.push(...noop);
      all.health.push(...health);
      const s1 = stats(p1);
      const s2 = stats(p2);
      const both = stats([...p1, ...p2]);
      const n0 = stats(noop);
      const q1 = stats(sql1);
      const q2 = stats(sql2);
      const qb = stats([...sql1, ...sql2]);
      const hz = stats(health);
      const d1 = stats(direct);
      const as = stats(authSession);
      const line = [
        `round ${round}${round === 1 ? " (first visit of each customer)" : " (repeat)"}:`,
        `  tRPC customer.timeline page 1: p50 ${ms(s1.p50)} p95 ${ms(s1.p95)} p99 ${ms(s1.p99)} (n=${s1.n})`,
        `  tRPC customer.timeline page 2: p50 ${ms(s2.p50)} p95 ${ms(s2.p95)} p99 ${ms(s2.p99)} (n=${pages2})`,
        `  tRPC both pages:               p50 ${ms(both.p50)} p95 ${ms(both.p95)}`,
        `  bare SQL page 1:               p50 ${ms(q1.p50)} p95 ${ms(q1.p95)}; page 2 p50 ${ms(q2.p50)} p95 ${ms(q2.p95)}; both p95 ${ms(qb.p95)}`,
        `  no-op tRPC (workspace.list):   p50 ${ms(n0.p50)} p95 ${ms(n0.p95)}`,
        `  GET /api/health (Next.js route, no auth, no DB): p50 ${ms(hz.p50)} p95 ${ms(hz.p95)}`,
        `  GET /api/auth/session (next-auth session decode, no DB): p50 ${ms(as.p50)} p95 ${ms(as.p95)}`,
        `  listTimeline in-process (drizzle, no HTTP) page 1: p50 ${ms(d1.p50)} p95 ${ms(d1.p95)}`,
        `  ratios (p95): timeline/bare SQL ${(both.p95 / qb.p95).toFixed(1)}×, timeline/no-op ${(both.p95 / n0.p95).toFixed(2)}×; ` +
          `p95 − no-op p95 = ${ms(both.p95 - n0.p95)}`,
      ].join("\n");
      rounds.push(line);
      console.log(line);
    }

    recordFigure({
      key: "timeline.trpc.p95",
      label: "customer timeline over tRPC, signed in, p95",
      value: stats(all.timeline).p95,
      unit: "ms",
      target: { op: "<", value: 5 },
      baseline: { label: "bare SQL p95", value: stats(all.sql).p95, unit: "ms" },
    });
    recordFigure({
      key: "trpc.noop.p95",
      label: "no-op tRPC call (workspace.list), p95",
      value: stats(all.noop).p95,
      unit: "ms",
      target: { op: "<", value: 2 },
      baseline: { label: "GET /api/health p95", value: stats(all.health).p95, unit: "ms" },
    });

    // The plans, for a heavy customer: first page and next page.
    const heavyIndex = sample.findIndex((c) => c.id === heavy[0]?.id);
    const q = queries[heavyIndex >= 0 ? heavyIndex : 0]!;
    for (const [label, query] of [
      ["page 1", q.first],
      ["page 2", q.second],
    ] as const) {
      if (!query) continue;
      const plan = await pool.query(`explain (analyze, buffers) ${query.sql}`, query.params);
      console.log(
        `\nEXPLAIN (ANALYZE, BUFFERS) timeline ${label}, heavy customer:\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`,
      );
    }
  } finally {
    await app.stop();
    await handle.close();
  }
}

runMain(main);

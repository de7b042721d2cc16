// The maturity indicators (server/maturity/indicator-data.ts) at 1,000,000
// customers: computeIndicators, which the indicators page calls at most once an
// hour per workspace (the figures are cached), p50/p95 over --runs, and with
// --explain the plan of its aggregate.
//
//   node --import tsx bench/maturity-indicators.ts [--database-url URL [--workspace SLUG]] [--customers 1000000]
//     [--runs 5] [--explain]
//
// With --database-url it reads the demo workspace that bench/load-demo.ts
// loaded (nothing is written); without it, a throw-away server gets a
// synthetic workspace, generated in SQL: customers with a channel mix and an
// event count, one to three identifiers each, a fifth of them merged away,
// about a sixth in a segment, and one succeeded value fit. Only journey goal
// conversion reads events (journey analytics over published journeys' segments);
// the synthetic workspace has no journeys, so no events are generated and that
// indicator is timed only against a loaded demo database with journeys.
//
// Target: under 5 s at 1M customers (it runs at most hourly, behind the cache).

import { eq, sql } from "drizzle-orm";
import type { Database } from "~/db";
import { migrateDatabase } from "~/db/migrate";
import { segments, workspaces } from "~/db/schema";
import { demoWorkspaces } from "~/server/demo/seed";
import { computeIndicators } from "~/server/maturity/indicator-data";
import { slugify } from "~/server/workspaces/workspaces";
import { connect } from "~/db";
import { args, capturingDb, fmt, machine, ms, now, runMain, serverFrom, stats } from "./lib";

const a = args();
const RUNS = a.num("runs", 5);
const CUSTOMERS = a.num("customers", 1_000_000);

async function syntheticWorkspace(db: Database): Promise<string> {
  const slug = `bench-maturity-${Date.now()}`;
  const [workspace] = await db
    .insert(workspaces)
    .values({ slug, name: "Bench maturity" })
    .returning({ id: workspaces.id });
  const id = workspace!.id;
  const started = now();
  await db.execute(sql`
    insert into customers (workspace_id, id, merged_into, last_seen_at, event_count, channel_counts)
    select ${id}, gen_random_uuid(), null,
           now() - random() * interval '700 days',
           1 + (random() * 20)::int,
           case (i % 4)
             when 0 then '{"web": 3}'::jsonb
             when 1 then '{"web": 4, "email": 2}'::jsonb
             when 2 then '{"store": 2, "web": 1, "other": 1}'::jsonb
             else '{"mobile": 5, "social": 1, "email": 1}'::jsonb
           end
    from generate_series(1, ${CUSTOMERS}) as i`);
  // A fifth merged into another profile: standing profiles only are counted.
  await db.execute(sql`
    update customers set merged_into = (select min(id::text)::uuid from customers where workspace_id = ${id})
    where workspace_id = ${id}
      and id in (select id from customers where workspace_id = ${id} order by id desc limit ${Math.floor(CUSTOMERS / 5)})`);
  await db.execute(sql`
    insert into identities (workspace_id, kind, value, customer_id, profile_id, source)
    select c.workspace_id, 'anonymous_id'::identity_kind, 'anon-' || c.id, c.id, c.id, 'bench' from customers c
    where c.workspace_id = ${id} and c.merged_into is null
    union all
    select c.workspace_id, 'email'::identity_kind, c.id || '@example.test', c.id, c.id, 'bench' from customers c
    where c.workspace_id = ${id} and c.merged_into is null and (hashtext(c.id::text) % 3) <> 0
    union all
    select c.workspace_id, 'phone'::identity_kind, '+' || abs(hashtext(c.id::text)), c.id, c.id, 'bench' from customers c
    where c.workspace_id = ${id} and c.merged_into is null and (hashtext(c.id::text) % 5) = 0
    on conflict do nothing`);
  const [segment] = await db
    .insert(segments)
    .values({ workspaceId: id, name: "Bench", rule: { type: "eventCount", op: "gte", value: 1 } })
    .returning({ id: segments.id });
  await db.execute(sql`
    insert into segment_members (workspace_id, segment_id, customer_id)
    select ${id}, ${segment!.id}, c.id from customers c
    where c.workspace_id = ${id} and c.merged_into is null and (hashtext(c.id::text) % 3) = 1`);
  await db.execute(sql`
    insert into value_fits (workspace_id, status, calibration_end, horizon_weeks, discount_rate, finished_at)
    values (${id}, 'succeeded', current_date - 30, 52, 0.1, now() - interval '12 days')`);
  for (const table of ["customers", "identities", "segment_members"])
    await db.execute(sql.raw(`analyze ${table}`));
  console.log(`generated ${fmt(CUSTOMERS)} customers in ${ms(now() - started)} (workspace ${slug})`);
  return id;
}

async function givenWorkspace(db: Database, slug: string): Promise<string> {
  const [workspace] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.slug, slug));
  if (!workspace) throw new Error(`No workspace "${slug}": load the demo with bench/load-demo.ts first`);
  return workspace.id;
}

async function main() {
  const server = await serverFrom(a);
  console.log(`machine: ${machine()}`);
  const handle = connect(server.url, { max: 2 });
  try {
    let workspaceId: string;
    if (server.throwaway) {
      await migrateDatabase(handle.db);
      workspaceId = await syntheticWorkspace(handle.db);
    } else
      workspaceId = await givenWorkspace(handle.db, a.str("workspace") ?? slugify(demoWorkspaces[0].name));

    const samples: number[] = [];
    let last;
    for (let run = 0; run < RUNS; run++) {
      const started = now();
      last = await computeIndicators(handle.db, { workspaceId });
      samples.push(now() - started);
    }
    const s = stats(samples);
    console.log(`computeIndicators ×${s.n}: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}`);
    for (const value of last?.values ?? [])
      console.log(`  ${value.key}: ${value.value ?? "–"} (${value.note ?? ""})`);

    if (a.flag("explain")) {
      const { db, captured } = capturingDb(handle.pool);
      await computeIndicators(db, { workspaceId });
      const aggregate = captured.find((q) => q.sql.includes("with kinds"))!;
      // With the settings withWorkspaceScan gives it, in one transaction on one connection.
      const client = await handle.pool.connect();
      let plan;
      try {
        await client.query("begin");
        await client.query(
          "select set_config('work_mem', '128MB', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)",
        );
        plan = await client.query(`explain (analyze, buffers) ${aggregate.sql}`, aggregate.params);
        await client.query("rollback");
      } finally {
        client.release();
      }
      for (const row of plan.rows as { "QUERY PLAN": string }[]) console.log(row["QUERY PLAN"]);
    }
  } finally {
    await handle.close();
    await server.stop();
  }
}

runMain(main);

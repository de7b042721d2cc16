// The Impact tab at --entrants journey entrants (issue 24's target: 100,000 under 3 s p95).
// It builds its own workspace with generate_series: customers, a published
// journey with a final goal and an A/B split, a run holding out 10 %, one
// enrollment per customer (entered 10 to 120 days ago, the holdout decided by
// the SQL of server/journeys/impact/holdout.ts, the value at entry recorded),
// --events-per-customer events each over the last 200 days (page views, a
// purchase with an amount one time in four, the goal event one in eight), and
// each customer's current value from a later fit. Then journeyImpact — what
// journey.impact runs — --runs times per window (7, 30, 90 days), and as a
// baseline the same entrants counted per side without their events.
//
//   node --import tsx bench/journey-impact.ts [--database-url URL | --embedded DIR] [--entrants 100000]
//     [--events-per-customer 8] [--runs 10] [--explain]
//
// Without a server it starts a throw-away PostgreSQL 15 server; on a given one it adds a
// `bench-impact-…` workspace.

import { sql } from "drizzle-orm";
import { connect, type Database } from "~/db";
import { migrateDatabase } from "~/db/migrate";
import { users, workspaces } from "~/db/schema";
import type { JourneyDesignInput } from "~/server/journeys/design";
import { heldOutSql } from "~/server/journeys/impact/holdout";
import { journeyImpact } from "~/server/journeys/impact/impact";
import { IMPACT_WINDOWS } from "~/server/journeys/impact/windows";
import { createJourney } from "~/server/journeys/store";
import { publishJourney } from "~/server/journeys/versions";
import { createSegment } from "~/server/segments/store";
import { recordFigure } from "./figures";
import { args, capturingDb, fmt, machine, ms, now, runMain, serverFrom, stats } from "./lib";

const a = args();
const ENTRANTS = a.num("entrants", 100_000);
const EVENTS_PER_CUSTOMER = a.num("events-per-customer", 8);
const RUNS = a.num("runs", 10);
const EXPLAIN = a.flag("explain");
const HOLDOUT_PERCENT = 10;
const TARGET_MS = 3000;
const pos = (x: number) => ({ x: x * 200, y: 0 });

const design: JourneyDesignInput = {
  stages: [
    {
      id: "s-offer",
      name: "Offered",
      touchpoints: [
        {
          id: "t-a",
          channel: "email",
          title: "Offer A",
          trigger: { kind: "segmentEntry" },
          ownerTeam: "marketing",
        },
        {
          id: "t-b",
          channel: "email",
          title: "Offer B",
          trigger: { kind: "segmentEntry" },
          ownerTeam: "marketing",
        },
      ],
    },
    { id: "s-bought", name: "Bought", goal: { event: "Order Completed" } },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: pos(0) },
      {
        kind: "branch",
        id: "n-split",
        label: "Which offer?",
        split: {
          kind: "random",
          variants: [
            { id: "a", label: "A", percent: 50 },
            { id: "b", label: "B", percent: 50 },
          ],
        },
        position: pos(1),
      },
      { kind: "touchpoint", id: "n-a", touchpointId: "t-a", position: pos(2) },
      { kind: "touchpoint", id: "n-b", touchpointId: "t-b", position: pos(2) },
      { kind: "exit", id: "n-done", label: "Offered", position: pos(3) },
    ],
    edges: [
      { id: "e1", source: "entry", target: "n-split" },
      { id: "e2", source: "n-split", output: "a", target: "n-a" },
      { id: "e3", source: "n-split", output: "b", target: "n-b" },
      { id: "e4", source: "n-a", target: "n-done" },
      { id: "e5", source: "n-b", target: "n-done" },
    ],
  },
};

async function setUp(db: Database) {
  const tag = Date.now().toString(36);
  const [ws] = await db
    .insert(workspaces)
    .values({ slug: `bench-impact-${tag}`, name: `Bench impact ${tag}` })
    .returning();
  const [user] = await db
    .insert(users)
    .values({ email: `bench-impact-${tag}@bench.test`, name: "Bench", passwordHash: "x" })
    .returning();
  const workspaceId = ws!.id;
  const t = now();
  const customer = sql`md5(${tag} || i)::uuid`;
  await db.execute(sql`
    insert into customers (workspace_id, id, name, email)
    select ${workspaceId}::uuid, ${customer}, 'Customer ' || i, 'c' || i || '@bench.test'
    from generate_series(1, ${ENTRANTS}::int) i`);
  const segmentId = (
    await createSegment(db, {
      workspaceId,
      userId: user!.id,
      name: "Everyone",
      description: "",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "off",
    })
  ).id;
  const { id: journeyId } = await createJourney(db, {
    workspaceId,
    userId: user!.id,
    segmentId,
    name: "Spring offer",
    description: "",
    design,
  });
  await publishJourney(db, { workspaceId, userId: user!.id, id: journeyId });
  const [run] = await db
    .execute<{ id: string }>(
      sql`
    insert into journey_runs (workspace_id, journey_id, version, holdout_percent, initial_done, started_at)
    values (${workspaceId}::uuid, ${journeyId}::uuid, 1, ${HOLDOUT_PERCENT}, true, now() - interval '121 days')
    returning id`,
    )
    .then((r) => r.rows);
  // Everyone entered 10 to 120 days ago and finished; half of each side in each variant.
  await db.execute(sql`
    insert into journey_enrollments (workspace_id, run_id, journey_id, customer_id, version, state, node_id,
      variants, steps, entered_at, ended_at, end_reason, holdout, entry_clv, entry_p_alive, entry_fit_id)
    select ${workspaceId}::uuid, ${run!.id}::uuid, ${journeyId}::uuid, ${customer}, 1, 'completed', 'n-done',
      jsonb_build_object('n-split', case when i % 2 = 0 then 'a' else 'b' end), 3,
      now() - make_interval(days => 10 + i % 111), now() - make_interval(days => 10 + i % 111), 'Offered',
      ${heldOutSql(journeyId, customer, HOLDOUT_PERCENT)}, 50 + i % 200, 0.3 + (i % 60) / 100.0,
      md5(${tag} || 'fit-1')::uuid
    from generate_series(1, ${ENTRANTS}::int) i`);
  await db.execute(sql`
    insert into customer_values (workspace_id, customer_id, fit_id, x, t_x, t, p_alive, expected_purchases_90d,
      clv, rfm_recency, rfm_frequency, rfm_monetary, rfm_group, past_revenue)
    select ${workspaceId}::uuid, ${customer}, md5(${tag} || 'fit-2')::uuid, 2, 10, 30, 0.25 + (i % 70) / 100.0,
      0.5, 45 + i % 220, 3, 3, 3, 'loyal', 100
    from generate_series(1, ${ENTRANTS}::int) i`);
  await db.execute(sql`
    insert into events (workspace_id, customer_id, profile_id, message_id, type, event, channel, amount,
      timestamp, source)
    select ${workspaceId}::uuid, ${customer}, ${customer}, ${tag} || '-' || i || '-' || k, 'track',
      case when k % 8 = 0 then 'Order Completed' when (i + k) % 4 = 0 then 'Purchase' else 'Product Viewed' end,
      'web', case when (i + k) % 4 = 0 then 20 + (i * k) % 80 end,
      now() - make_interval(secs => ((i * 7919 + k * 104729) % (200 * 86400))::float8), 'bench'
    from generate_series(1, ${ENTRANTS}::int) i, generate_series(1, ${EVENTS_PER_CUSTOMER}::int) k`);
  await db.execute(
    sql`analyze customers; analyze journey_enrollments; analyze customer_values; analyze events`,
  );
  console.log(
    `set-up: ${fmt(ENTRANTS)} entrants, ${fmt(ENTRANTS * EVENTS_PER_CUSTOMER)} events in ${ms(now() - t)}`,
  );
  return { workspaceId, journeyId };
}

/** The baseline: the same entrants counted per side, without their events or values. */
async function countSides(db: Database, workspaceId: string, journeyId: string, windowDays: number) {
  await db.execute(sql`
    select holdout, count(*) from journey_enrollments
    where workspace_id = ${workspaceId}::uuid and journey_id = ${journeyId}::uuid
      and entered_at <= now() - make_interval(days => ${windowDays}::int)
    group by holdout`);
}

async function main() {
  console.log(`machine: ${machine()}`);
  const server = await serverFrom(a);
  const handle = connect(server.url, { max: 2 });
  const { db } = handle;
  try {
    await migrateDatabase(db);
    const { workspaceId, journeyId } = await setUp(db);
    const input = (windowDays: number) => ({ workspaceId, journeyId, windowDays });

    if (EXPLAIN) {
      const cap = capturingDb(handle.pool);
      await journeyImpact(cap.db as unknown as Database, input(90));
      const query = cap.captured.find((q) => q.sql.includes("jsonb_each_text"))!;
      // As journeyImpact runs it: in a transaction with JIT off.
      const client = await handle.pool.connect();
      try {
        await client.query("begin");
        await client.query("select set_config('jit', 'off', true)");
        const plan = await client.query(`explain (analyze, buffers) ${query.sql}`, query.params);
        console.log(
          `\nEXPLAIN (ANALYZE, BUFFERS), 90 days:\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}\n`,
        );
      } finally {
        await client.query("rollback");
        client.release();
      }
    }

    const all: number[] = [];
    const base: number[] = [];
    console.log("| window | counted (treatment / holdout) | p50 | p95 | max | baseline p95 |");
    console.log("|---|---|---|---|---|---|");
    for (const windowDays of IMPACT_WINDOWS) {
      await journeyImpact(db, input(windowDays)); // warm the cache: the tab is opened, then its window changed
      const times: number[] = [];
      const baseTimes: number[] = [];
      let counted = { treatment: 0, holdout: 0 };
      for (let r = 0; r < RUNS; r++) {
        let t = now();
        counted = (await journeyImpact(db, input(windowDays))).counted;
        times.push(now() - t);
        t = now();
        await countSides(db, workspaceId, journeyId, windowDays);
        baseTimes.push(now() - t);
      }
      all.push(...times);
      base.push(...baseTimes);
      const s = stats(times);
      console.log(
        `| ${windowDays} days | ${fmt(counted.treatment)} / ${fmt(counted.holdout)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${ms(stats(baseTimes).p95)} |`,
      );
    }
    const overall = stats(all);
    recordFigure({
      key: "journeyImpact.p95",
      label: `Impact tab at ${fmt(ENTRANTS)} entrants, p95 over 7/30/90-day windows`,
      value: overall.p95,
      unit: "ms",
      target: { op: "<", value: TARGET_MS },
      baseline: {
        label: "the entrants counted per side, without events",
        value: stats(base).p95,
        unit: "ms",
      },
    });
  } finally {
    await handle.close();
    await server.stop();
  }
}

runMain(main);

// Journey analytics at 1,000,000 customers: journeyAnalytics (server/journeys/analytics.ts)
// for a six-stage design over a segment of 100,000 members, over the 365 days
// that end at the data's latest event; runs, p50 and p95, a summary of the
// answer, and with --explain the EXPLAIN (ANALYZE, BUFFERS) of its statement.
//
//   node --import tsx bench/journeys.ts --database-url URL [--members 100000] [--runs 5] [--explain]
//
// The database is the one bench/load-demo.ts loaded. The segment is a one-off
// row ("bench journeys <N>", schedule off so nothing refreshes it) whose members
// are written straight into segment_members: the first N customers of the demo
// workspace by id. Ids are random, so that is a random sample of the customers,
// with their whole histories; it is reused when it already has N members.
//
// Target: p95 under 1.5 s.

import os from "node:os";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "~/db";
import { migrateDatabase } from "~/db/migrate";
import * as schema from "~/db/schema";
import { demoWorkspaces } from "~/server/demo/seed";
import { journeyAnalytics, type JourneyAnalytics } from "~/server/journeys/analytics";
import { parseDesign, type JourneyDesignInput } from "~/server/journeys/design";
import type { Rule } from "~/server/segments/rules";
import { slugify } from "~/server/workspaces/workspaces";
import { cpuMeter, postmasterPid } from "./app";
import { recordFigure } from "./figures";
import { args, capturingDb, connectLoadedDatabase, fmt, ms, now, runMain, stats } from "./lib";

const a = args();
const MEMBERS = a.num("members", 100_000);
const RUNS = a.num("runs", 5);
const EXPLAIN = a.flag("explain");
const TARGET_MS = 1500;

type StageInput = JourneyDesignInput["stages"][number];
type TouchpointInput = NonNullable<StageInput["touchpoints"]>[number];

const touchpoint = (
  id: string,
  channel: TouchpointInput["channel"],
  title: string,
  actionEvent: string | null = null,
): TouchpointInput => ({
  id,
  channel,
  title,
  trigger: { kind: "segmentEntry" },
  ownerTeam: "marketing",
  actionEvent,
});

/** Six stages with goals on the demo's events, two touchpoints each. */
const stages: StageInput[] = [
  {
    id: "discover",
    name: "Discover",
    goal: { event: "Product Viewed" },
    touchpoints: [
      touchpoint("home-banner", "web", "Home page banner"),
      touchpoint("app-feed", "mobile", "App feed card"),
    ],
  },
  {
    id: "consider",
    name: "Consider",
    goal: { event: "Email Opened", channel: "email" },
    touchpoints: [
      touchpoint("newsletter", "email", "Weekly newsletter"),
      touchpoint("social-ad", "social", "Social ad", "Post Liked"),
    ],
  },
  {
    id: "evaluate",
    name: "Evaluate",
    goal: { event: "Email Clicked", channel: "email" },
    touchpoints: [
      touchpoint("offer-email", "email", "Personal offer", "Email Clicked"),
      touchpoint("product-page", "web", "Product page", "Product Viewed"),
    ],
  },
  {
    id: "buy",
    name: "Buy",
    goal: { event: "Order Completed" },
    touchpoints: [touchpoint("checkout", "web", "Checkout"), touchpoint("till", "store", "Store till offer")],
  },
  {
    id: "service",
    name: "Service",
    goal: { event: "Call Completed", channel: "call_center" },
    touchpoints: [
      touchpoint("welcome-call", "call_center", "Welcome call"),
      touchpoint("after-sale-email", "email", "After-sale email", "Email Opened"),
    ],
  },
  {
    id: "advocate",
    name: "Advocate",
    goal: { event: "Post Liked", channel: "social" },
    touchpoints: [
      touchpoint("share-ask", "social", "Share your order"),
      touchpoint("review-email", "email", "Review request", "Post Shared"),
    ],
  },
];

const design = parseDesign({
  quietHours: { startHour: 21, endHour: 8 },
  stages,
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
      ...stages.flatMap((s) =>
        (s.touchpoints ?? []).map((tp) => ({
          kind: "touchpoint" as const,
          id: `${tp.id}-node`,
          touchpointId: tp.id,
          position: { x: 0, y: 0 },
        })),
      ),
    ],
    edges: [],
  },
});

async function main() {
  const handle = await connectLoadedDatabase(a);
  const { db, pool } = handle;
  try {
    await migrateDatabase(db);
    const [ws] = await db
      .select({ id: schema.workspaces.id })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.slug, slugify(demoWorkspaces[0]!.name)));
    if (!ws) throw new Error("There is no demo workspace: load it with bench/load-demo.ts.");
    const workspaceId = ws.id;
    const segmentId = await benchSegment(db, workspaceId);

    const latest = (
      await pool.query<{ at: Date | null }>(
        `select max(timestamp) as at from events where workspace_id = $1`,
        [workspaceId],
      )
    ).rows[0]?.at;
    if (!latest) throw new Error("The demo workspace has no events: load it with bench/load-demo.ts.");
    // The window ends just after the latest event, so that event is inside [from, to).
    const to = new Date(latest.getTime() + 1);
    const from = new Date(to.getTime() - 365 * 24 * 3600 * 1000);
    const size = (
      await pool.query(
        `select (select count(*) from customers where workspace_id = $1) c,
                (select reltuples::bigint from pg_class where relname = 'events') e,
                (select count(*) from events e join segment_members m
                   on m.workspace_id = e.workspace_id and m.customer_id = e.customer_id
                 where m.workspace_id = $1 and m.segment_id = $2 and e.timestamp >= $3 and e.timestamp < $4) me,
                current_setting('shared_buffers') sb`,
        [workspaceId, segmentId, from, to],
      )
    ).rows[0];
    console.log(
      `database: ${fmt(Number(size.c))} customers, ≈${fmt(Number(size.e))} events; segment of ${fmt(MEMBERS)} members ` +
        `with ${fmt(Number(size.me))} events in the window; shared_buffers ${size.sb}`,
    );
    console.log(`window: ${from.toISOString()} → ${to.toISOString()} (365 days)`);

    const run = () => journeyAnalytics(db, { workspaceId, segmentId, design, from, to });
    // Two warm-up runs: the pages the query reads come into memory, as they would for a marketer at work.
    const tFirst = now();
    let result = await run();
    const firstMs = now() - tFirst;
    result = await run();
    const times: number[] = [];
    const cpu: number[] = [];
    // The server's CPU time per run (it runs on this machine): on a shared machine, the query's
    // own work without the time spent waiting for a core.
    const serverPid = await postmasterPid(db);
    for (let i = 0; i < RUNS; i++) {
      const serverCpu = serverPid ? cpuMeter(serverPid) : undefined;
      const t = now();
      result = await run();
      times.push(now() - t);
      if (serverCpu) cpu.push(serverCpu() * 1000);
    }
    const s = stats(times);
    const c = stats(cpu);
    printSummary(result);
    console.log(
      `\njourneyAnalytics, ${fmt(MEMBERS)} members, 6 stages, 12 touchpoints, 365 days: first (cold) ${ms(firstMs)}; ` +
        `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)} (n=${s.n})`,
    );
    recordFigure({
      key: "journeys.analytics.p95",
      label: `journey analytics, ${fmt(MEMBERS)}-member segment, p95`,
      value: s.p95 / 1000,
      unit: "s",
      target: { op: "<", value: TARGET_MS / 1000 },
    });
    if (cpu.length > 0) {
      console.log(`server CPU time per run: p50 ${ms(c.p50)}  p95 ${ms(c.p95)}  max ${ms(c.max)}`);
    }
    // The machine is shared: the load says how much of the time was waiting for a core.
    console.log(
      `load average (1, 5, 15 min): ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(", ")} on ${os.cpus().length} cores`,
    );

    if (EXPLAIN) {
      const cap = capturingDb(pool);
      await journeyAnalytics(cap.db as unknown as Database, { workspaceId, segmentId, design, from, to });
      const settings = cap.captured.find((q) => q.sql.includes("set_config"))!;
      const query = cap.captured.find((q) => q.sql.includes("with goals"))!;
      const client = await pool.connect();
      try {
        await client.query("begin");
        await client.query(settings.sql, settings.params);
        const plan = await client.query(`explain (analyze, buffers) ${query.sql}`, query.params);
        console.log(`\nEXPLAIN (ANALYZE, BUFFERS):\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
      } finally {
        await client.query("rollback");
        client.release();
      }
    }
  } finally {
    await handle.close();
  }
}

/** The bench segment with MEMBERS members, made (or refilled) when it does not have them. */
async function benchSegment(db: Database, workspaceId: string) {
  const name = `bench journeys ${MEMBERS}`;
  const rule: Rule = { type: "behaviour", performed: true, event: "Product Viewed" };
  const [existing] = await db
    .select({ id: schema.segments.id })
    .from(schema.segments)
    .where(and(eq(schema.segments.workspaceId, workspaceId), eq(schema.segments.name, name)));
  const segmentId =
    existing?.id ??
    (
      await db
        .insert(schema.segments)
        .values({
          workspaceId,
          name,
          description: "bench/journeys.ts: members written directly",
          rule,
          schedule: "off",
        })
        .returning({ id: schema.segments.id })
    )[0]!.id;
  const [{ n } = { n: 0 }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.segmentMembers)
    .where(
      and(eq(schema.segmentMembers.workspaceId, workspaceId), eq(schema.segmentMembers.segmentId, segmentId)),
    );
  if (n === MEMBERS) {
    console.log(`segment: reusing "${name}" (${fmt(n)} members)`);
    return segmentId;
  }
  const t = now();
  await db.transaction(async (tx) => {
    await tx
      .delete(schema.segmentMembers)
      .where(
        and(
          eq(schema.segmentMembers.workspaceId, workspaceId),
          eq(schema.segmentMembers.segmentId, segmentId),
        ),
      );
    await tx.execute(sql`
      insert into segment_members (workspace_id, segment_id, customer_id)
      select c.workspace_id, ${segmentId}::uuid, c.id from customers c
      where c.workspace_id = ${workspaceId}::uuid and c.merged_into is null
      order by c.id limit ${MEMBERS}`);
    await tx
      .update(schema.segments)
      .set({ memberCount: MEMBERS })
      .where(and(eq(schema.segments.workspaceId, workspaceId), eq(schema.segments.id, segmentId)));
  });
  await db.execute(sql`analyze segment_members`);
  console.log(
    `segment: filled "${name}" with ${fmt(MEMBERS)} members in ${((now() - t) / 1000).toFixed(1)} s`,
  );
  return segmentId;
}

function printSummary(result: JourneyAnalytics) {
  const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)} %`);
  console.log(`\nmembers ${fmt(result.members)}, with events in the window ${fmt(result.membersWithEvents)}`);
  for (const stage of result.stages)
    console.log(`  ${stage.stageId.padEnd(10)} reached ${fmt(stage.reached ?? NaN)}`);
  for (const step of result.steps) {
    console.log(
      `  ${step.fromStageId} → ${step.toStageId}: ${fmt(step.converted ?? NaN)} of ${fmt(step.reached ?? NaN)} ` +
        `(${pct(step.conversion)}), median ${step.medianHours?.toFixed(1) ?? "–"} h`,
    );
  }
  for (const tp of result.touchpoints) {
    const action = tp.action;
    console.log(
      `  ${tp.touchpointId.padEnd(17)} ${action ? `${action.event}: ${fmt(action.acted)}, on ${tp.channel} ${fmt(action.onDesignedChannel)}, ` + `elsewhere ${fmt(action.onOtherChannels)}` : "–"}`,
    );
  }
  console.log(
    `  paths: ${fmt(result.paths.distinct)} distinct, ${fmt(result.paths.noStage)} members reached no stage`,
  );
  for (const path of result.paths.top.slice(0, 5)) {
    console.log(
      `    ${fmt(path.members).padStart(7)} (${pct(path.share)})${path.followsDesign ? " ✓" : "  "} ` +
        path.stages.map((s) => `${s.stageId}/${s.channel}`).join(" → "),
    );
  }
}

runMain(main);

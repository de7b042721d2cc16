// The journey runner under load (issue 23's Performance targets), in one run:
//  1. going live on a segment of --members customers (100,000): the time until
//     everyone is enrolled and the first touchpoint (Outbox) is stored, and the
//     steps per second that makes;
//  2. steady state: a second journey waits on an event branch ("did Bench
//     Trigger happen?"); events arrive through ingestMessages, as the tracking
//     API stores them, and each one's latency is from its receipt to its
//     customer's delivery row (p95);
//  3. the ingestion rate of the same workload with the runner stopped and with
//     it running, in --rounds alternating pairs of windows (5); the figure is
//     the median of the pairs' slowdowns, each pair's two windows adjacent in
//     time so that the machine's drift over the run falls on both alike. After a stop the runner catches up on the stopped window's
//     events before the next window starts.
// The runner is startJourneyLoop with its own two-connection pool, as the
// server runs it beside the app.
//
//   node --import tsx bench/journey-run.ts [--database-url URL | --embedded DIR] [--members 100000]
//     [--triggers 2000] [--ingest-seconds 8] [--rounds 3]
//
// Without a server it starts a throw-away PostgreSQL 15 server. It builds its
// own workspace, customers and segments with generate_series, so it needs no
// loaded database (on the loaded one, the tables around it are full-size).

import { sql } from "drizzle-orm";
import { connect, type Database } from "~/db";
import { opaqueWorkspace } from "~/db/sql";
import { migrateDatabase } from "~/db/migrate";
import { users, workspaces } from "~/db/schema";
import type { JourneyDesignInput } from "~/server/journeys/design";
import { goLive } from "~/server/journeys/run/control";
import { startJourneyLoop } from "~/server/journeys/run/loop";
import { createJourney } from "~/server/journeys/store";
import { publishJourney } from "~/server/journeys/versions";
import { ingestMessages } from "~/server/ingest/ingest";
import { createSegment } from "~/server/segments/store";
import { recordFigure } from "./figures";
import { args, fmt, machine, ms, now, runMain, serverFrom, stats } from "./lib";

const a = args();
const MEMBERS = a.num("members", 100_000);
const TRIGGERS = a.num("triggers", 2_000);
const INGEST_SECONDS = a.num("ingest-seconds", 8);
const ROUNDS = a.num("rounds", 5);
const INGEST_CLIENTS = 4;
const BATCH = 100;
const TRIGGER_EVENT = "Bench Trigger";
const pos = (x: number) => ({ x: x * 200, y: 0 });

const welcome: JourneyDesignInput = {
  stages: [
    {
      id: "s-welcome",
      name: "Welcomed",
      touchpoints: [
        {
          id: "t-welcome",
          channel: "email",
          title: "Welcome {{ customer.first_name }}",
          trigger: { kind: "segmentEntry" },
          ownerTeam: "marketing",
        },
      ],
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: pos(0) },
      { kind: "touchpoint", id: "n-welcome", touchpointId: "t-welcome", position: pos(1) },
      { kind: "exit", id: "n-done", label: "Welcomed", position: pos(2) },
    ],
    edges: [
      { id: "e1", source: "entry", target: "n-welcome" },
      { id: "e2", source: "n-welcome", target: "n-done" },
    ],
  },
};

/** Waits on the trigger event; when it comes, a message at once. */
const onTrigger: JourneyDesignInput = {
  stages: [
    {
      id: "s-react",
      name: "Reacted",
      touchpoints: [
        {
          id: "t-react",
          channel: "email",
          title: "Thanks for {{ event.name }}",
          trigger: { kind: "previous" },
          ownerTeam: "marketing",
        },
      ],
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: pos(0) },
      {
        kind: "branch",
        id: "n-wait",
        label: "Triggered?",
        split: { kind: "event", event: TRIGGER_EVENT, withinDays: 30 },
        position: pos(1),
      },
      { kind: "touchpoint", id: "n-react", touchpointId: "t-react", position: pos(2) },
      { kind: "exit", id: "n-done", label: "Done", position: pos(3) },
      { kind: "exit", id: "n-never", label: "Never", position: pos(2) },
    ],
    edges: [
      { id: "e1", source: "entry", target: "n-wait" },
      { id: "e2", source: "n-wait", output: "yes", target: "n-react" },
      { id: "e3", source: "n-wait", output: "no", target: "n-never" },
      { id: "e4", source: "n-react", target: "n-done" },
    ],
  },
};

async function setUp(db: Database) {
  const tag = Date.now().toString(36);
  const [ws] = await db
    .insert(workspaces)
    .values({ slug: `bench-run-${tag}`, name: `Bench run ${tag}` })
    .returning();
  const [user] = await db
    .insert(users)
    .values({ email: `bench-${tag}@bench.test`, name: "Bench", passwordHash: "x" })
    .returning();
  const workspaceId = ws!.id;
  const t = now();
  // Customers bench-1..N with a user_id identity each (so ingestMessages finds them), in two segments.
  await db.execute(sql`
    insert into customers (workspace_id, id, name, email, traits)
    select ${workspaceId}::uuid, md5(${tag} || i)::uuid, 'Customer ' || i, 'c' || i || '@bench.test',
      jsonb_build_object('first_name', 'C' || i)
    from generate_series(1, ${MEMBERS}::int) i`);
  await db.execute(sql`
    insert into identities (workspace_id, kind, value, customer_id, profile_id, source)
    select ${workspaceId}::uuid, 'user_id', 'bench-' || i, md5(${tag} || i)::uuid, md5(${tag} || i)::uuid, 'bench'
    from generate_series(1, ${MEMBERS}::int) i`);
  const segment = (name: string) =>
    createSegment(db, {
      workspaceId,
      userId: user!.id,
      name,
      description: "",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "off",
    });
  const everyone = (await segment("Everyone")).id;
  const reactive = (await segment("Reactive")).id;
  await db.execute(sql`
    insert into segment_members (workspace_id, segment_id, customer_id)
    select ${workspaceId}::uuid, ${everyone}::uuid, md5(${tag} || i)::uuid from generate_series(1, ${MEMBERS}::int) i
    union all
    select ${workspaceId}::uuid, ${reactive}::uuid, md5(${tag} || i)::uuid from generate_series(1, ${TRIGGERS}::int) i`);
  await db.execute(sql`analyze customers; analyze identities; analyze segment_members`);
  console.log(`set-up: ${fmt(MEMBERS)} customers and members in ${ms(now() - t)}`);
  const journey = async (name: string, segmentId: string, design: JourneyDesignInput) => {
    const { id } = await createJourney(db, {
      workspaceId,
      userId: user!.id,
      segmentId,
      name,
      description: "",
      design,
    });
    await publishJourney(db, { workspaceId, userId: user!.id, id });
    return id;
  };
  return {
    workspaceId,
    userId: user!.id,
    welcomeId: await journey("Welcome", everyone, welcome),
    reactId: await journey("React", reactive, onTrigger),
  };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

const live = (db: Database, s: Setup, journeyId: string) =>
  goLive(db, {
    workspaceId: s.workspaceId,
    journeyId,
    userId: s.userId,
    reentryDays: null,
    exitOnSegmentLeave: false,
    moveToNewVersion: false,
    timezone: "UTC",
    // Everyone is sent to: the bench measures the runner's sending.
    holdoutPercent: 0,
  });

async function count(db: Database, query: ReturnType<typeof sql>) {
  return Number((await db.execute<{ n: string }>(query)).rows[0]!.n);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until a journey of the bench's workspace has stored at least `messages` deliveries. */
async function delivered(
  db: Database,
  s: Setup,
  journeyId: string,
  messages: number,
  timeoutMs: number,
  what: string,
) {
  await until(
    async () =>
      (await count(
        db,
        sql`select count(*) n from deliveries where workspace_id = ${s.workspaceId} and journey_id = ${journeyId}`,
      )) >= messages,
    timeoutMs,
    what,
  );
}

/**
 * Waits until the runner has followed every event stored so far, so that a window with it running
 * measures its steady state, not the catching up on the events of the window it was stopped for.
 */
async function caughtUp(db: Database, workspaceId: string) {
  const last = await count(
    db,
    sql`select coalesce(max(id), 0) n from events where workspace_id = ${workspaceId}`,
  );
  await until(
    async () =>
      (await count(
        db,
        sql`select coalesce(min(event_cursor), 0) n from journey_runs
          where workspace_id = ${workspaceId} and status = 'live'`,
      )) >= last,
    120_000,
    "the runner to follow the events of the window it was stopped for",
  );
}

/**
 * INGEST_CLIENTS callers sending batches of BATCH page views for INGEST_SECONDS;
 * `trigger` (when given) puts one trigger event in each batch. Returns events per second.
 */
async function ingestFor(db: Database, workspaceId: string, label: string, trigger?: () => number | null) {
  let sent = 0;
  let seq = 0;
  const end = now() + INGEST_SECONDS * 1000;
  const client = async (c: number) => {
    while (now() < end) {
      const messages: unknown[] = [];
      const who = trigger?.() ?? null;
      if (who !== null)
        messages.push({
          type: "track",
          userId: `bench-${who}`,
          event: TRIGGER_EVENT,
          messageId: `trigger-${who}`,
        });
      while (messages.length < BATCH) {
        const i = TRIGGERS + 1 + ((seq++ * 7919 + c) % (MEMBERS - TRIGGERS));
        messages.push({
          type: "page",
          userId: `bench-${i}`,
          name: "Home",
          messageId: `${label}-${c}-${seq}`,
          properties: { path: "/" },
        });
      }
      await ingestMessages(db, { workspaceId, messages, source: "api" });
      sent += messages.length;
    }
  };
  const t = now();
  await Promise.all(Array.from({ length: INGEST_CLIENTS }, (_, c) => client(c)));
  return sent / ((now() - t) / 1000);
}

async function main() {
  // Messages carry signed unsubscribe links: the runner needs the app's address and secret, as the launcher sets them.
  process.env.NEXTAUTH_URL ??= "http://127.0.0.1:3000";
  process.env.NEXTAUTH_SECRET ??= "bench-only-secret-bench-only-secret-0123456";
  console.log(`machine: ${machine()}`);
  const server = await serverFrom(a);
  const handle = connect(server.url, { max: INGEST_CLIENTS + 2 });
  const runner = connect(server.url, { max: 2, applicationName: "centric journeys" });
  const { db } = handle;
  const startRunner = () => startJourneyLoop({ db: runner.db, log: (m) => console.error(m) });
  let stopLoop = () => {};
  try {
    await migrateDatabase(db);
    const s = await setUp(db);

    // 1. Going live on the whole segment.
    stopLoop = startRunner();
    const t0 = now();
    await live(db, s, s.welcomeId);
    await delivered(db, s, s.welcomeId, MEMBERS, 15 * 60_000, "the first touchpoint to reach every member");
    const goLiveSeconds = (now() - t0) / 1000;
    const stepsPerSecond = MEMBERS / goLiveSeconds;
    console.log(
      `going live: ${fmt(MEMBERS)} enrolled and sent in ${goLiveSeconds.toFixed(1)} s (${fmt(stepsPerSecond)} steps/s)`,
    );

    // 2 and 3b. The event-waiting journey live; triggers arrive with the ingestion workload.
    await live(db, s, s.reactId);
    await until(
      async () =>
        (await count(
          db,
          sql`select count(*) n from journey_enrollments
          where workspace_id = ${s.workspaceId} and journey_id = ${s.reactId} and node_id = 'n-wait' and steps > 0`,
        )) >= TRIGGERS,
      120_000,
      "the reactive journey's customers to wait on their event",
    );
    // 3. Ingestion with the runner stopped and running, alternately; triggers only while it runs.
    let next = 1;
    const withouts: number[] = [];
    const withs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      stopLoop();
      // The stopped loop finishes the statement it is in.
      await new Promise((r) => setTimeout(r, 1500));
      withouts.push(await ingestFor(db, s.workspaceId, `quiet-${round}`));
      stopLoop = startRunner();
      await caughtUp(db, s.workspaceId);
      withs.push(
        await ingestFor(db, s.workspaceId, `live-${round}`, () => (next <= TRIGGERS ? next++ : null)),
      );
      // The runner stays on until the window's triggers are sent: a stop would hold the last
      // seconds' ones for the next window.
      await delivered(db, s, s.reactId, next - 1, 120_000, "every triggered message");
      const [without, running] = [withouts.at(-1)!, withs.at(-1)!];
      console.log(
        `round ${round}: ingestion ${fmt(without)} events/s with the runner stopped, ${fmt(running)} with it running (${(((without - running) / without) * 100).toFixed(1)} % slower)`,
      );
    }
    const ingestWithout = stats(withouts).p50;
    const ingestWith = stats(withs).p50;
    const slowdown = stats(withouts.map((without, i) => ((without - withs[i]!) / without) * 100)).p50;
    const triggered = next - 1;
    console.log(`${fmt(triggered)} triggers`);
    // Each delivery's trigger by its customer's timeline (the workspace opaque to the planner,
    // which does not know this new workspace's size and would scan its events for each one).
    const latencies = await db.execute<{ ms: number }>(sql`
      select extract(epoch from d.created_at - ev.received_at) * 1000 as ms
      from deliveries d
      cross join lateral (
        select received_at from events ev
        where ev.workspace_id = ${opaqueWorkspace(s.workspaceId)} and ev.customer_id = d.customer_id
          and ev.event = ${TRIGGER_EVENT}
        limit 1) ev
      where d.workspace_id = ${s.workspaceId} and d.journey_id = ${s.reactId}`);
    const latency = stats(latencies.rows.map((r) => Number(r.ms)));

    console.log("");
    console.log("| figure | value | target |");
    console.log("|---|---|---|");
    console.log(
      `| going live on ${fmt(MEMBERS)} members: all enrolled and first touchpoint stored | ${goLiveSeconds.toFixed(1)} s | < 120 s |`,
    );
    console.log(`| steps per second while going live | ${fmt(stepsPerSecond)} | ≥ 1,000 |`);
    console.log(
      `| trigger event → its send, p50 / p95 / max (${latency.n} events) | ${ms(latency.p50)} / ${ms(latency.p95)} / ${ms(latency.max)} | p95 < 10 s |`,
    );
    console.log(
      `| ingestion with the runner stopped / running, medians of ${ROUNDS} | ${fmt(ingestWithout)} / ${fmt(ingestWith)} events/s | — |`,
    );
    console.log(
      `| ingestion slowdown with the runner running, median of the ${ROUNDS} pairs | ${slowdown.toFixed(1)} % | < 10 % |`,
    );
    console.log("");

    recordFigure({
      key: "journeyRun.goLive",
      label: `going live on ${fmt(MEMBERS)} members (enrol + first send)`,
      value: goLiveSeconds,
      unit: "s",
      target: { op: "<", value: 120 },
    });
    recordFigure({
      key: "journeyRun.stepsPerSecond",
      label: "journey steps per second while going live",
      value: stepsPerSecond,
      unit: "rows/s",
      target: { op: ">=", value: 1000 },
    });
    recordFigure({
      key: "journeyRun.triggerP95",
      label: "trigger event → its send, p95",
      value: latency.p95,
      unit: "ms",
      target: { op: "<", value: 10_000 },
    });
    recordFigure({
      key: "journeyRun.ingestSlowdown",
      label: "ingestion slowdown with the runner live",
      value: slowdown,
      unit: "%",
      target: { op: "<", value: 10 },
      baseline: { label: "ingestion with the runner stopped", value: ingestWithout, unit: "rows/s" },
    });
  } finally {
    stopLoop();
    await runner.close();
    await handle.close();
    await server.stop();
  }
}

runMain(main);

// Ingestion through the real HTTP path, POST /api/v1/batch (batches of 100
// demo messages, several concurrent clients on loopback, against the app
// served by scripts/start.ts on PostgreSQL), compared in the same run, on the
// same server, with a raw COPY of the same rows into the events table, and with
// ingestMessages called in-process (no HTTP, no Next.js) to see where time goes.
//
//   node --import tsx bench/ingest.ts [--database-url URL] [--events 50000] [--clients 4,8]
//
// Every run uses the same customers (the same messages) in a workspace of its
// own, so each starts with no known identities; with --database-url pointing at
// the loaded 1M/10M database the tables are full-size.

import { once } from "node:events";
import { inArray } from "drizzle-orm";
import { from as copyFrom } from "pg-copy-streams";
import { connect, type Database } from "~/db";
import { writeKeys, workspaces } from "~/db/schema";
import { generateDemoCustomers, type DemoMessage } from "~/server/demo/generate";
import { ingestMessages } from "~/server/ingest/ingest";
import { generateWriteKey } from "~/server/writekeys/writekeys";
import { backgroundCaughtUp, cpuMeter, postmasterPid, prepareDatabase, startApp } from "./app";
import { customerRows, EVENT_COLUMNS } from "./demo-rows";
import { recordFigure } from "./figures";
import { args, fmt, machine, ms, now, serverFrom, stats, runMain } from "./lib";

const a = args();
const EVENTS = a.num("events", 50_000);
const CLIENTS = (a.str("clients", "4,8") ?? "4,8").split(",").map(Number);
const BATCH = a.num("batch", 100);
const SEED = 424_242;
const NOW = new Date("2026-01-15T12:00:00Z");
const FIRST_INDEX = 5_000_000; // far from the loaded demo customers

/** The messages of enough customers for `EVENTS` events, split by customer among `clients` senders. */
function workload(clients: number) {
  const perClient: DemoMessage[][][] = Array.from({ length: clients }, () => []);
  const customers: { customer: Parameters<typeof customerRows>[1]; messages: DemoMessage[] }[] = [];
  let total = 0;
  let k = 0;
  const current: DemoMessage[][] = perClient.map(() => []);
  const gen = generateDemoCustomers({ customers: 10_000_000, seed: SEED, now: NOW, firstIndex: FIRST_INDEX });
  while (total < EVENTS) {
    const { value } = gen.next();
    if (!value) break;
    customers.push(value);
    // Round-robin customers over clients; each client sends its customers' messages in order.
    for (const m of value.messages) {
      current[k]!.push(m);
      if (current[k]!.length === BATCH) {
        perClient[k]!.push(current[k]!);
        current[k] = [];
      }
    }
    total += value.messages.length;
    k = (k + 1) % clients;
  }
  current.forEach((rest, i) => rest.length && perClient[i]!.push(rest));
  return { perClient, customers, total };
}

/** The workspaces this run made: the app's background work summarises their events. */
const madeWorkspaces: string[] = [];

async function newWorkspace(db: Database, label: string) {
  const slug = `bench-${label}-${Date.now().toString(36)}`;
  const [ws] = await db
    .insert(workspaces)
    .values({ slug, name: `Bench ${label}` })
    .returning({ id: workspaces.id });
  madeWorkspaces.push(ws!.id);
  const key = generateWriteKey();
  await db.insert(writeKeys).values({ workspaceId: ws!.id, name: "bench", key, createdBy: null });
  return { id: ws!.id, key };
}

async function main() {
  console.log(`machine: ${machine()}`);
  const server = await serverFrom(a);
  const handle = connect(server.url, { max: 16 });
  const { db, pool } = handle;
  const results: string[] = [];
  const note = (line: string) => {
    results.push(line);
    console.log(line);
  };
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    await prepareDatabase(db);
    const existing = Number((await pool.query("select count(*)::bigint n from events")).rows[0].n);
    console.log(`database: ${server.url} (${fmt(existing)} events already stored)`);
    const pgPid = await postmasterPid(db);

    const maxClients = Math.max(...CLIENTS);
    // One workload per client count: the same customers, split among the clients.
    const workloads = new Map(CLIENTS.map((c) => [c, workload(c)]));
    const sample = workloads.get(maxClients)!;
    console.log(
      `workload: ${fmt(sample.total)} events of ${fmt(sample.customers.length)} customers, batches of ${BATCH}`,
    );

    // --- Raw COPY of the same rows into events, before and after the others ----
    // One COPY of a few tens of thousands of rows takes about a second, and its rate
    // moved by up to 40 % between runs (checkpoints, the page cache); the ratios use
    // the mean of a COPY before and a COPY after the ingestion runs.
    const copyRun = async (label: string) => {
      const ws = await newWorkspace(db, `copy-${label}`);
      const firstId = Number((await pool.query("select nextval('events_id_seq') v")).rows[0].v);
      let nextId = firstId;
      const receivedAt = new Date().toISOString();
      const chunks: string[] = [];
      let part: string[] = [];
      let rows = 0;
      for (const { customer, messages } of sample.customers) {
        const r = customerRows(ws.id, customer, messages, () => nextId++, receivedAt, "api");
        if (!r) continue;
        for (const line of r.events) part.push(line, "\n");
        rows += r.eventCount;
        if (part.length > 20_000) {
          chunks.push(part.join(""));
          part = [];
        }
      }
      chunks.push(part.join(""));
      await pool.query("select setval('events_id_seq', $1)", [nextId]);
      const client = await pool.connect();
      const pgCpu = pgPid ? cpuMeter(pgPid) : () => NaN;
      const t0 = now();
      const stream = client.query(copyFrom(`copy events (${EVENT_COLUMNS}) from stdin`));
      for (const chunk of chunks) if (!stream.write(chunk)) await once(stream, "drain");
      stream.end();
      await once(stream, "finish");
      const s = (now() - t0) / 1000;
      const pg_s = pgCpu();
      client.release();
      const rate = rows / s;
      note(
        `raw COPY (${label}) of the same ${fmt(rows)} event rows into events (all indexes in place): ${s.toFixed(2)} s = ${fmt(rate)} rows/s; PostgreSQL CPU ${pg_s.toFixed(1)} s`,
      );
      return rate;
    };
    const copyBefore = await copyRun("before");

    app = await startApp(server.url);
    console.log(`app: ${app.base} (pid ${app.pid})`);
    // Warm up: the first requests compile routes and open the pool.
    {
      const ws = await newWorkspace(db, "warmup");
      const w = workload(1);
      for (const batch of w.perClient[0]!.slice(0, 20)) await post(app.base, ws.key, batch);
    }

    // --- HTTP: /api/v1/batch -------------------------------------------------
    for (const clients of CLIENTS) {
      const { perClient, total } = workloads.get(clients)!;
      // The events stored so far (COPY, warm-up, the part before) summarised first, as each part's own will be after it.
      const waited = await backgroundCaughtUp(db, madeWorkspaces);
      note(`background work on the earlier events done after ${waited.toFixed(1)} s`);
      const ws = await newWorkspace(db, `http${clients}`);
      const appCpu = cpuMeter(app.pid);
      const pgCpu = pgPid ? cpuMeter(pgPid) : () => NaN;
      const latencies: number[] = [];
      let accepted = 0;
      let problems = 0;
      const bodies = perClient.map((batches) => batches.map((batch) => JSON.stringify({ batch })));
      const t0 = now();
      await Promise.all(
        bodies.map(async (batches) => {
          for (const batch of batches) {
            const t = now();
            const r = await post(app!.base, ws.key, batch);
            latencies.push(now() - t);
            accepted += r.accepted ?? 0;
            if (!r.success || (r.rejected?.length ?? 0) > 0 || (r.duplicates ?? 0) > 0) problems++;
          }
        }),
      );
      const s = (now() - t0) / 1000;
      const app_s = appCpu();
      const pg_s = pgCpu();
      const stored = Number(
        (await pool.query("select count(*)::int n from events where workspace_id = $1", [ws.id])).rows[0].n,
      );
      const l = stats(latencies);
      note(
        `HTTP /api/v1/batch, ${clients} clients: ${fmt(stored)} events stored (of ${fmt(total)}; accepted ${fmt(accepted)}, ` +
          `${problems} batches with problems) in ${s.toFixed(1)} s = ${fmt(stored / s)} events/s; ` +
          `batch latency p50 ${ms(l.p50)} p95 ${ms(l.p95)}; CPU: app ${app_s.toFixed(1)} s (${((app_s / s) * 100).toFixed(0)}% of a core), ` +
          `PostgreSQL ${pg_s.toFixed(1)} s (${((pg_s / s) * 100).toFixed(0)}%)`,
      );
      httpRates.set(clients, stored / s);
    }
    await app.stop();
    app = undefined;

    // --- In-process ingestMessages (no HTTP, no Next.js) -----------------------
    {
      const clients = CLIENTS[0]!;
      const { perClient } = workloads.get(clients)!;
      const ws = await newWorkspace(db, `direct${clients}`);
      const direct = connect(server.url, { max: clients });
      const benchCpu = process.cpuUsage();
      const pgCpu = pgPid ? cpuMeter(pgPid) : () => NaN;
      const latencies: number[] = [];
      let stored = 0;
      const t0 = now();
      await Promise.all(
        perClient.map(async (batches) => {
          for (const batch of batches) {
            const t = now();
            const r = await ingestMessages(direct.db, { workspaceId: ws.id, messages: batch, source: "api" });
            latencies.push(now() - t);
            stored += r.accepted;
          }
        }),
      );
      const s = (now() - t0) / 1000;
      const cpu = process.cpuUsage(benchCpu);
      const pg_s = pgCpu();
      await direct.close();
      const l = stats(latencies);
      note(
        `ingestMessages in-process, ${clients} concurrent: ${fmt(stored)} events in ${s.toFixed(1)} s = ${fmt(stored / s)} events/s; ` +
          `per batch p50 ${ms(l.p50)} p95 ${ms(l.p95)}; CPU: Node ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, PostgreSQL ${pg_s.toFixed(1)} s`,
      );
      directRate = stored / s;
    }

    // --- Round trips per batch: statements ingestMessages sends -----------------
    {
      const ws = await newWorkspace(db, "trips");
      const counting = connect(server.url, { max: 1 });
      let statements = 0;
      const client = await counting.pool.connect();
      const original = client.query.bind(client);
      (client as unknown as { query: typeof client.query }).query = ((
        ...q: Parameters<typeof client.query>
      ) => {
        statements++;
        return original(...q);
      }) as typeof client.query;
      client.release();
      const { perClient } = workload(1);
      const batches = perClient[0]!.slice(0, 20);
      for (const batch of batches)
        await ingestMessages(counting.db, { workspaceId: ws.id, messages: batch, source: "api" });
      await counting.close();
      note(
        `statements per batch of ${BATCH} (incl. BEGIN/COMMIT): ${(statements / batches.length).toFixed(1)}`,
      );
    }

    const copyAfter = await copyRun("after");
    copyRate = (copyBefore + copyAfter) / 2;
    note(`COPY rate used for the ratios: ${fmt(copyRate)} rows/s (mean of before and after)`);

    console.log("\nRatios (target: HTTP ingest ≥ 25% of COPY):");
    for (const [clients, rate] of httpRates) {
      note(`  HTTP ${clients} clients / COPY = ${((rate / copyRate) * 100).toFixed(1)}%`);
      recordFigure({
        key: `ingest.http.${clients}`,
        label: `HTTP batch ingest, ${clients} clients, share of raw COPY`,
        value: (rate / copyRate) * 100,
        unit: "%",
        target: { op: ">=", value: 25 },
        baseline: { label: "raw COPY of the same rows", value: copyRate, unit: "rows/s" },
      });
    }
    note(
      `  ingestMessages in-process (${CLIENTS[0]} concurrent) / COPY = ${((directRate / copyRate) * 100).toFixed(1)}%`,
    );
    const http0 = httpRates.get(CLIENTS[0]!)!;
    note(`  HTTP ${CLIENTS[0]} clients / in-process = ${((http0 / directRate) * 100).toFixed(1)}%`);
  } finally {
    await app?.stop();
    // Left behind, their events would be summarised by the next run's app while it measures.
    if (madeWorkspaces.length > 0) await db.delete(workspaces).where(inArray(workspaces.id, madeWorkspaces));
    await handle.close();
    await server.stop();
  }
}

const httpRates = new Map<number, number>();
let directRate = NaN;
let copyRate = NaN;

async function post(base: string, key: string, batch: DemoMessage[] | string) {
  const response = await fetch(`${base}/api/v1/batch`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
    },
    body: typeof batch === "string" ? batch : JSON.stringify({ batch }),
  });
  const body = (await response.json()) as {
    success: boolean;
    accepted?: number;
    duplicates?: number;
    rejected?: unknown[];
  };
  if (!response.ok && response.status !== 400)
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

runMain(main);

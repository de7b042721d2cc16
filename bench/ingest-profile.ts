// Where a batch's time goes inside ingestMessages: every statement it sends,
// timed on the client (round trip included), grouped by statement, for
// batches of 100 demo messages sent one after another into a new workspace.
//
//   node --import tsx bench/ingest-profile.ts --database-url URL [--batches 100]

import { connect } from "~/db";
import { workspaces } from "~/db/schema";
import { generateDemoMessages, type DemoMessage } from "~/server/demo/generate";
import { ingestMessages } from "~/server/ingest/ingest";
import { normaliseMessage } from "~/server/ingest/messages";
import { args, fmt, ms, now, runMain } from "./lib";

const a = args();
const BATCHES = a.num("batches", 100);

async function main() {
  const url = a.str("database-url") ?? process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error("--database-url");
  const handle = connect(url, { max: 1 });
  const [ws] = await handle.db
    .insert(workspaces)
    .values({ slug: `bench-profile-${Date.now().toString(36)}`, name: "Bench profile" })
    .returning({ id: workspaces.id });

  const timings = new Map<string, { n: number; ms: number }>();
  const client = await handle.pool.connect();
  const original = client.query.bind(client) as (...q: unknown[]) => Promise<unknown>;
  (client as unknown as { query: unknown }).query = async (...q: unknown[]) => {
    const text = typeof q[0] === "string" ? q[0] : ((q[0] as { text?: string })?.text ?? "?");
    const key = text.replace(/\s+/g, " ").trim().slice(0, 90);
    const t = now();
    try {
      return await original(...q);
    } finally {
      const e = timings.get(key) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += now() - t;
      timings.set(key, e);
    }
  };
  client.release();

  const batches: DemoMessage[][] = [];
  let batch: DemoMessage[] = [];
  for (const m of generateDemoMessages({
    customers: BATCHES * 10,
    seed: 99,
    now: new Date("2026-01-15T12:00:00Z"),
    firstIndex: 7_000_000,
  })) {
    batch.push(m);
    if (batch.length === 100) {
      batches.push(batch);
      batch = [];
    }
    if (batches.length === BATCHES) break;
  }
  const cpu0 = process.cpuUsage();
  const t0 = now();
  let stored = 0;
  for (const b of batches)
    stored += (await ingestMessages(handle.db, { workspaceId: ws!.id, messages: b, source: "api" })).accepted;
  const total = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const inDb = [...timings.values()].reduce((s, e) => s + e.ms, 0);
  console.log(
    `${fmt(stored)} events in ${batches.length} sequential batches: ${ms(total / batches.length)} per batch, ${fmt((stored / total) * 1000)} events/s; ` +
      `waiting on PostgreSQL ${((inDb / total) * 100).toFixed(0)}% of the time; Node CPU ${((cpu.user + cpu.system) / 1000 / batches.length).toFixed(1)} ms per batch`,
  );
  console.log("per statement (total ms per batch, calls per batch):");
  for (const [key, e] of [...timings].sort((x, y) => y[1].ms - x[1].ms)) {
    console.log(
      `  ${(e.ms / batches.length).toFixed(2).padStart(7)} ms  ×${(e.n / batches.length).toFixed(1).padStart(4)}  ${key}`,
    );
  }
  // Node's share: validation/normalisation alone (zod + the 32 KB size check), and the JSON of the batch.
  const t1 = now();
  for (const b of batches) for (const m of b) normaliseMessage(m, new Date());
  const tNorm = (now() - t1) / batches.length;
  const t2 = now();
  for (const b of batches) JSON.parse(JSON.stringify({ batch: b }));
  const tJson = (now() - t2) / batches.length;
  console.log(
    `Node, per batch of 100: normaliseMessage ${ms(tNorm)}; JSON parse+stringify of the body ${ms(tJson)}`,
  );
  await handle.close();
}

runMain(main);

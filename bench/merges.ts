// Merges of stored profiles through ingestMessages, in-process, against plain
// tracks in the same run, on the same server, in a workspace of its own:
//  1. batches of 50 track calls for stored known customers (the baseline);
//  2. batches of 50 identify calls, each merging a stored anonymous profile
//     (with a few events) into a stored known one;
//  3. the ingestion rate of a stream where half the messages are such merging
//     identifies and half are tracks, against the rate of plain tracks.
// Latencies are of batches sent one at a time; rates of --clients senders.
//
//   node --import tsx bench/merges.ts [--database-url URL | --embedded DIR] [--batches 30] [--rate-batches 160] [--clients 2]
//
// Without a server it starts a throw-away PostgreSQL 15. With the loaded
// 1M/10M database (--embedded DIR or --database-url) the tables are full-size.

import os from "node:os";
import { eq } from "drizzle-orm";
import { connect, type Database } from "~/db";
import { customerStreamCursors, workspaces } from "~/db/schema";
import { ingestMessages } from "~/server/ingest/ingest";
import { prepareDatabase } from "./app";
import { args, fmt, machine, ms, now, runMain, serverFrom, stats } from "./lib";

const a = args();
const BATCH = 50;
const LATENCY_BATCHES = a.num("batches", 30);
const RATE_BATCHES = a.num("rate-batches", 160);
const CLIENTS = a.num("clients", 2);
const RATE_PARTS = 4;
const TARGET_MERGE_MS = 300;
const TARGET_RATE_SHARE = 0.5;

const load = () =>
  `load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`;

let clock = Date.parse("2026-01-01T00:00:00Z");
/** Distinct, increasing timestamps, so that first/last seen move with every batch. */
const nextTime = () => new Date((clock += 1000)).toISOString();

const known = (i: number) => `user-${i}`;
const anonymous = (i: number) => `anon-${i}`;

function track(i: number, messageId: string) {
  return {
    type: "track",
    userId: known(i),
    event: "Product Viewed",
    properties: { sku: `sku-${i % 97}` },
    messageId,
    timestamp: nextTime(),
  };
}

/** identify {userId, anonymousId}: the known profile and the anonymous one are the same person. */
function mergingIdentify(i: number) {
  return {
    type: "identify",
    userId: known(i),
    anonymousId: anonymous(i),
    traits: { plan: "pro", signedUpAt: "2026-01-01" },
    messageId: `merge-${i}`,
    timestamp: nextTime(),
  };
}

/** Known profile i (an identify with traits, a purchase, a page) and anonymous profile i (three events, traits). */
function setupMessages(i: number) {
  return [
    { type: "identify", userId: known(i), traits: { email: `user-${i}@example.com`, name: `User ${i}` }, messageId: `k-id-${i}`, timestamp: nextTime() },
    { type: "track", userId: known(i), event: "Order Completed", properties: { revenue: 20 + (i % 50) }, messageId: `k-buy-${i}`, timestamp: nextTime() },
    { type: "page", userId: known(i), name: "Home", messageId: `k-page-${i}`, timestamp: nextTime() },
    { type: "page", anonymousId: anonymous(i), name: "Landing", messageId: `a-page-${i}`, timestamp: nextTime() },
    { type: "track", anonymousId: anonymous(i), event: "Product Viewed", properties: { sku: "x" }, messageId: `a-view-${i}`, timestamp: nextTime() },
    { type: "identify", anonymousId: anonymous(i), traits: { utm: "spring", name: "Visitor" }, messageId: `a-id-${i}`, timestamp: nextTime() },
  ];
}

const chunk = <T>(list: T[], size: number) =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, k) => list.slice(k * size, (k + 1) * size));

async function newWorkspace(db: Database) {
  const slug = `bench-merges-${Date.now().toString(36)}`;
  const [ws] = await db.insert(workspaces).values({ slug, name: "Bench merges" }).returning({ id: workspaces.id });
  return ws!.id;
}

async function main() {
  console.log(`machine: ${machine()}`);
  const server = await serverFrom(a);
  const handle = connect(server.url, { max: CLIENTS + 2 });
  let made: string | undefined;
  const { db, pool } = handle;
  const note = (line: string) => console.log(line);
  try {
    await prepareDatabase(db);
    const existing = (await pool.query("select count(*)::bigint n from events")).rows[0].n;
    const version = (await pool.query("show server_version")).rows[0].server_version;
    console.log(`database: PostgreSQL ${version}, ${fmt(Number(existing))} events already stored`);
    const workspaceId = await newWorkspace(db);
    made = workspaceId;
    const ingest = (messages: unknown[]) => ingestMessages(db, { workspaceId, messages, source: "api" });

    // Profile i is merged by the latency batches (i < mergeCount) or by the mixed stream (after).
    const mergeCount = LATENCY_BATCHES * BATCH;
    const mixedMerges = RATE_BATCHES * (BATCH / 2);
    const people = mergeCount + mixedMerges;
    const t0 = now();
    const setup = chunk(
      Array.from({ length: people }, (_, i) => setupMessages(i)).flat(),
      100,
    );
    await Promise.all(
      chunk(setup, Math.ceil(setup.length / CLIENTS)).map(async (batches) => {
        for (const batch of batches) await ingest(batch);
      }),
    );
    // As in a workspace in use: its streams marked built, so that a merge summarises its customers' streams
    // again (a build of them from all the workspace's events is the loop's work, not measured here) and, on
    // a throw-away server, the statistics autovacuum would gather soon (a loaded database has them).
    await db.insert(customerStreamCursors).values({ workspaceId, lastEventId: 0 });
    if (server.throwaway) await pool.query("analyze");
    console.log(
      `setup: ${fmt(people)} known and ${fmt(people)} anonymous profiles, ${fmt(people * 6)} events, in ${((now() - t0) / 1000).toFixed(1)} s`,
    );

    /** Sends these batches one at a time; returns each one's latency. */
    const sequential = async (batches: unknown[][]) => {
      const latencies: number[] = [];
      for (const batch of batches) {
        const t = now();
        const r = await ingest(batch);
        latencies.push(now() - t);
        if (r.accepted !== batch.length) throw new Error(`stored ${r.accepted} of ${batch.length}`);
      }
      return stats(latencies);
    };
    /** Sends these batches from CLIENTS senders; returns the events stored and the seconds it took. */
    const rate = async (batches: unknown[][]) => {
      const t = now();
      let stored = 0;
      await Promise.all(
        chunk(batches, Math.ceil(batches.length / CLIENTS)).map(async (mine) => {
          for (const batch of mine) stored += (await ingest(batch)).accepted;
        }),
      );
      return { events: stored, seconds: (now() - t) / 1000 };
    };

    // --- 1 and 2: latency per batch of 50, tracks then merges ------------------
    const tracks = await sequential(
      chunk(
        Array.from({ length: LATENCY_BATCHES * BATCH }, (_, i) => track(i, `lat-${i}`)),
        BATCH,
      ),
    );
    note(`plain tracks, batch of ${BATCH}: p50 ${ms(tracks.p50)} p95 ${ms(tracks.p95)} (${tracks.n} batches; ${load()})`);
    const merges = await sequential(
      chunk(
        Array.from({ length: mergeCount }, (_, i) => mergingIdentify(i)),
        BATCH,
      ),
    );
    note(
      `identifies merging stored profiles, batch of ${BATCH}: p50 ${ms(merges.p50)} p95 ${ms(merges.p95)} (${merges.n} batches; ${load()})`,
    );
    const stillAnonymous = Number(
      (
        await pool.query(
          "select count(*)::int n from customers c where c.workspace_id = $1 and c.merged_into is null and not exists (select 1 from identities i where i.workspace_id = c.workspace_id and i.customer_id = c.id and i.kind = 'user_id')",
          [workspaceId],
        )
      ).rows[0].n,
    );
    if (stillAnonymous !== mixedMerges) throw new Error(`${stillAnonymous} anonymous profiles left, expected ${mixedMerges}`);

    // --- 3: rate of plain tracks, and of half merges half tracks ----------------
    // In alternating parts, so that a change in the machine's load (it may be shared) weighs on both alike.
    const plainBatches = chunk(
      Array.from({ length: RATE_BATCHES * BATCH }, (_, i) => track(i % people, `rate-${i}`)),
      BATCH,
    );
    const mixedBatches = Array.from({ length: RATE_BATCHES }, (_, b) =>
      Array.from({ length: BATCH / 2 }, (_, k) => {
        const i = mergeCount + b * (BATCH / 2) + k;
        return [mergingIdentify(i), track(i - mergeCount, `mixed-${i}`)];
      }).flat(),
    );
    const plain = { events: 0, seconds: 0 };
    const mixed = { events: 0, seconds: 0 };
    const parts = chunk(plainBatches, Math.ceil(RATE_BATCHES / RATE_PARTS)).map((p, k) => [
      p,
      chunk(mixedBatches, Math.ceil(RATE_BATCHES / RATE_PARTS))[k]!,
    ]);
    for (const [plainPart, mixedPart] of parts) {
      for (const [total, part] of [
        [plain, plainPart!],
        [mixed, mixedPart!],
      ] as const) {
        const r = await rate(part);
        total.events += r.events;
        total.seconds += r.seconds;
      }
    }
    const plainRate = plain.events / plain.seconds;
    const mixedRate = mixed.events / mixed.seconds;
    const conditions = `${RATE_BATCHES} batches of ${BATCH} in ${RATE_PARTS} parts, alternating; ${load()}`;
    note(`plain tracks, ${CLIENTS} senders: ${fmt(plainRate)} events/s (${conditions})`);
    note(`half merging identifies, half tracks, ${CLIENTS} senders: ${fmt(mixedRate)} events/s (${conditions})`);

    const share = mixedRate / plainRate;
    console.log("\nTargets:");
    note(
      `  merge batch p50 ${ms(merges.p50)} ≤ ${TARGET_MERGE_MS} ms: ${merges.p50 <= TARGET_MERGE_MS ? "met" : "NOT met"} (p95 ${ms(merges.p95)})`,
    );
    note(
      `  merge-heavy rate / plain-track rate = ${(share * 100).toFixed(0)}% ≥ ${TARGET_RATE_SHARE * 100}%: ${share >= TARGET_RATE_SHARE ? "met" : "NOT met"}`,
    );
  } finally {
    // Left behind, its events would be summarised by the app of a benchmark that runs after.
    if (made) await db.delete(workspaces).where(eq(workspaces.id, made));
    await handle.close();
    await server.stop();
  }
}

runMain(main);

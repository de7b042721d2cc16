// A year of history imported while people work: the app as `npm start` runs it
// (the embedded server in a fresh data folder, with the 3,000-customer demo),
// a CSV of events imported through the upload endpoint and the import job,
// and meanwhile three callers that each wait for their answer before asking
// again: a customer's timeline over tRPC, the customer list over tRPC and a
// tracking-API batch of 100. The same three run first with nothing imported,
// in the same run, as the baseline.
//
//   node --import tsx bench/import-load.ts [--rows 1000000] [--customers 50000]
//        [--baseline-seconds 20] [--pace-ms 50] [--alone]
//        [--postgres15 | --database-url postgres://…]
//
// --postgres15 runs the same on a throw-away PostgreSQL 15 server (durable
// settings) instead of the embedded server; --alone imports with no callers.
//
// Needs a production build (npx next build). Prints the demo seed's times, the
// import's rows/s and the p50/p95 of each caller with and without the import.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startThrowawayPostgres } from "~/scripts/lib/throwaway-postgres";
import { args, fmt, machine, ms, now, runMain, stats } from "./lib";
import { signIn, startApp, trpcGet, type RunningApp } from "./app";

const a = args();
const ROWS = a.num("rows", 1_000_000);
const CUSTOMERS = a.num("customers", 50_000);
const BASELINE_SECONDS = a.num("baseline-seconds", 20);
const POSTGRES15 = a.flag("postgres15");
/** Pause between one caller's answer and its next call: people and clients do not call back to back. */
const PACE_MS = a.num("pace-ms", 50);
/** Import with no callers at all, to see what the import alone takes. */
const ALONE = a.flag("alone");

const editor = { email: "editor@centric.demo", password: "centric-editor-demo" };
const EVENTS = [
  "Product Viewed",
  "Product Viewed",
  "Product Added",
  "Email Opened",
  "Order Completed",
] as const;
const CHANNELS = ["web", "mobile", "email", "store", "call_center"] as const;

/** A deterministic events CSV: customer id, ISO time over the past year, event, channel, amount on orders. */
function writeEventsCsv(file: string) {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const start = Date.UTC(2025, 11, 1);
  const year = 365 * 86_400_000;
  const out = fs.openSync(file, "w");
  let buffer = "customer_id,timestamp,event,channel,amount\n";
  for (let i = 0; i < ROWS; i++) {
    const event = EVENTS[Math.floor(random() * EVENTS.length)]!;
    const channel = event === "Email Opened" ? "email" : CHANNELS[Math.floor(random() * CHANNELS.length)]!;
    const amount = event === "Order Completed" ? (5 + random() * 195).toFixed(2) : "";
    const at = new Date(start + Math.floor(random() * year)).toISOString();
    buffer += `bench-${Math.floor(random() * CUSTOMERS)},${at},${event},${channel},${amount}\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(out, buffer);
      buffer = "";
    }
  }
  fs.writeSync(out, buffer);
  fs.closeSync(out);
}

async function trpcPost(base: string, cookie: string, procedure: string, input: unknown) {
  const response = await fetch(`${base}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as { result?: { data: { json: unknown } } };
  if (!response.ok || !body.result)
    throw new Error(`${procedure}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body.result.data.json;
}

interface Callers {
  timeline: number[];
  list: number[];
  batch: number[];
  errors: string[];
}

/** The three callers, each one request at a time, until `done()` says stop. */
async function runCallers(
  app: RunningApp,
  context: { cookie: string; workspaceId: string; customerIds: string[]; writeKey: string },
  done: () => boolean,
): Promise<Callers> {
  const result: Callers = { timeline: [], list: [], batch: [], errors: [] };
  const timed = async (into: number[], call: () => Promise<unknown>) => {
    if (ALONE) return;
    while (!done()) {
      if (into.length > 0) await new Promise((r) => setTimeout(r, PACE_MS));
      const started = now();
      try {
        await call();
        into.push(now() - started);
      } catch (error) {
        result.errors.push((error as Error).message.slice(0, 200));
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  let turn = 0;
  const auth = `Basic ${Buffer.from(`${context.writeKey}:`).toString("base64")}`;
  await Promise.all([
    timed(result.timeline, () =>
      trpcGet(app.base, context.cookie, "customer.timeline", {
        workspaceId: context.workspaceId,
        customerId: context.customerIds[turn++ % context.customerIds.length],
        limit: 50,
      }),
    ),
    timed(result.list, () =>
      trpcGet(app.base, context.cookie, "customer.list", { workspaceId: context.workspaceId }),
    ),
    timed(result.batch, async () => {
      const batch = Array.from({ length: 100 }, (_, i) => ({
        type: "track",
        userId: `live-${Math.floor(Math.random() * 5_000)}`,
        event: i % 10 === 0 ? "Order Completed" : "Product Viewed",
        properties: i % 10 === 0 ? { revenue: 20 + (i % 7) } : { sku: `sku-${i}` },
        context: { channel: "web" },
      }));
      const response = await fetch(`${app.base}/v1/batch`, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({ batch }),
      });
      if (!response.ok) throw new Error(`batch: HTTP ${response.status} ${await response.text()}`);
    }),
  ]);
  return result;
}

function line(label: string, samples: number[]) {
  const s = stats(samples);
  return `${label.padEnd(30)} n ${String(s.n).padStart(5)}   p50 ${ms(s.p50).padStart(9)}   p95 ${ms(s.p95).padStart(9)}   max ${ms(s.max).padStart(9)}`;
}

function report(title: string, callers: Callers) {
  console.log(`\n${title}`);
  console.log(line("customer timeline (tRPC)", callers.timeline));
  console.log(line("customer list (tRPC)", callers.list));
  console.log(line("tracking batch of 100", callers.batch));
  if (callers.errors.length > 0) console.log(`errors: ${callers.errors.length}, first: ${callers.errors[0]}`);
}

async function main() {
  console.log(
    `machine: ${machine()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const postgres = POSTGRES15 ? await startThrowawayPostgres({ durable: true }) : undefined;
  const databaseUrl = postgres?.url ?? a.str("database-url");
  console.log(
    `database: ${postgres ? "throw-away PostgreSQL 15 (durable)" : databaseUrl ? "--database-url" : "embedded (npm start's default)"}`,
  );
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "centric-bench-import-"));
  const csv = path.join(scratch, "events.csv");
  const t0 = now();
  writeEventsCsv(csv);
  console.log(
    `CSV: ${fmt(ROWS)} rows, ${fmt(CUSTOMERS)} customers, ${(fs.statSync(csv).size / 2 ** 20).toFixed(1)} MiB, written in ${((now() - t0) / 1000).toFixed(1)} s`,
  );

  const app = await startApp(databaseUrl);
  try {
    const output = app.output();
    const started = /Embedded database started in ([\d.]+ s)/.exec(output)?.[1];
    const seeded = /Database migrated and demo data.* created in ([\d.]+ s)/.exec(output)?.[1];
    console.log(
      `start-up: database started in ${started ?? "n/a"}, migrated and demo seeded in ${seeded ?? "n/a"}`,
    );
    const writeKey = /Tracking API write key \(Northwind Retail\): (\S+)/.exec(output)?.[1];
    if (!writeKey) throw new Error(`No demo write key in the launcher's banner:\n${output}`);

    const cookie = await signIn(app.base, editor.email, editor.password);
    const { workspaces } = (await trpcGet(app.base, cookie, "workspace.list")) as {
      workspaces: { id: string; name: string }[];
    };
    const workspaceId = workspaces.find((w) => w.name === "Northwind Retail")!.id;
    const page = (await trpcGet(app.base, cookie, "customer.list", { workspaceId, limit: 100 })) as {
      customers: { id: string }[];
    };
    const context = { cookie, workspaceId, customerIds: page.customers.map((c) => c.id), writeKey };

    // Baseline: nothing imported.
    const baselineEnd = now() + BASELINE_SECONDS * 1000;
    const baseline = await runCallers(app, context, () => now() > baselineEnd);

    // The import, with the callers running until it is done.
    const upload = await fetch(`${app.base}/api/imports/upload?workspaceId=${workspaceId}&kind=events`, {
      method: "POST",
      headers: { cookie, "x-file-name": "events.csv", "content-length": String(fs.statSync(csv).size) },
      body: fs.createReadStream(csv) as unknown as BodyInit,
      duplex: "half",
    } as RequestInit);
    if (!upload.ok) throw new Error(`upload: HTTP ${upload.status} ${await upload.text()}`);
    const { id: importId } = (await upload.json()) as { id: string };
    const importStarted = now();
    await trpcPost(app.base, cookie, "import.start", {
      workspaceId,
      importId,
      options: { delimiter: ",", header: true, dateFormat: "iso" },
      mapping: {
        customerId: "customer_id",
        timestamp: "timestamp",
        event: { column: "event" },
        channel: { column: "channel" },
        amount: "amount",
        rename: {},
      },
    });
    let finished = false;
    let imported: { status: string; rowsImported: number; rowsFailed: number } | undefined;
    const watcher = (async () => {
      while (!finished) {
        await new Promise((r) => setTimeout(r, 500));
        imported = (await trpcGet(app.base, cookie, "import.get", {
          workspaceId,
          importId,
        })) as typeof imported;
        if (imported && ["succeeded", "failed", "cancelled"].includes(imported.status)) finished = true;
      }
    })();
    const underLoad = await runCallers(app, context, () => finished);
    await watcher;
    const seconds = (now() - importStarted) / 1000;

    console.log(
      `\nimport: ${imported?.status}, ${fmt(imported?.rowsImported ?? 0)} rows imported, ${fmt(imported?.rowsFailed ?? 0)} failed, ` +
        `in ${seconds.toFixed(1)} s = ${fmt((imported?.rowsImported ?? 0) / seconds)} rows/s (target ≥ 30,000)`,
    );
    report(`no import running (${BASELINE_SECONDS} s)`, baseline);
    report(`while the import runs (${seconds.toFixed(0)} s)`, underLoad);
    console.log(
      "targets while importing: timeline p95 < 100 ms, list p95 < 500 ms, batch of 100 p95 < 500 ms",
    );
  } finally {
    await app.stop();
    await postgres?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runMain(main);

// Shared helpers for the benchmarks in bench/: arguments, timing, percentiles,
// the PostgreSQL server to run against, and COPY text-format encoding.

import os from "node:os";
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { connect } from "~/db";
import { startEmbeddedServer } from "~/db/embedded";
import * as schema from "~/db/schema";
import { startThrowawayPostgres } from "~/scripts/lib/throwaway-postgres";

/** `--name value` / `--flag` arguments. */
export function args(argv = process.argv.slice(2)) {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const [k, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) out.set(k, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) out.set(k, argv[++i]!);
    else out.set(k, "true");
  }
  return {
    str: (k: string, d?: string) => out.get(k) ?? d,
    num: (k: string, d: number) => (out.has(k) ? Number(String(out.get(k)).replace(/_/g, "")) : d),
    flag: (k: string) => out.get(k) === "true",
    has: (k: string) => out.has(k),
  };
}

export const now = () => performance.now();

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.at(-1) ?? NaN,
    mean,
  };
}

export const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
export const fmt = (x: number) => Math.round(x).toLocaleString("en");

export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/**
 * --embedded DIR: the embedded server of that data folder, started as `npm start`
 * starts it (its cluster is created on first use), so that every benchmark can
 * run on the embedded server as well as on --database-url.
 */
async function embeddedFrom(a: ReturnType<typeof args>) {
  const dir = a.str("embedded");
  if (!dir) return undefined;
  const server = await startEmbeddedServer(dir, { log: (message) => console.log(`[embedded] ${message}`) });
  console.log(`database: the embedded server in ${server.clusterDir}`);
  return server;
}

/**
 * The database loaded by bench/load-demo.ts (--database-url, BENCH_DATABASE_URL or
 * --embedded DIR), connected with a small pool; prints the machine first, as every benchmark does.
 */
export async function connectLoadedDatabase(a: ReturnType<typeof args>) {
  console.log(`machine: ${machine()}`);
  const embedded = await embeddedFrom(a);
  const url = embedded?.url ?? a.str("database-url") ?? process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error("--database-url URL or --embedded DIR: the database loaded by bench/load-demo.ts");
  const handle = connect(url, { max: 4 });
  return {
    url,
    ...handle,
    async close() {
      await handle.close();
      await embedded?.stop();
    },
  };
}

/** A Drizzle client on `pool` that records the SQL and parameters it sends, to run or EXPLAIN them bare. */
export function capturingDb(pool: pg.Pool) {
  const captured: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(pool, {
    schema,
    logger: { logQuery: (query, params) => captured.push({ sql: query, params }) },
  });
  return { db, captured };
}

/** The server given by --database-url or --embedded DIR, else a throw-away durable PostgreSQL 15 server. */
export async function serverFrom(a: ReturnType<typeof args>) {
  const embedded = await embeddedFrom(a);
  if (embedded) return { url: embedded.url, stop: () => embedded.stop(), throwaway: false };
  const given = a.str("database-url") ?? process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, stop: async () => {}, throwaway: false };
  const server = await startThrowawayPostgres({ durable: true });
  return { url: server.url, stop: () => server.stop(), throwaway: true, dir: server.dir };
}

// --- COPY text format -------------------------------------------------------

const needsEscape = /[\\\t\n\r]/;
/** A value for COPY ... FROM STDIN (text format): \N for null, backslash escapes. */
export function copyValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  const s = typeof value === "string" ? value : String(value);
  if (!needsEscape.test(s)) return s;
  return s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

export const copyJson = (value: unknown) =>
  value === null || value === undefined ? "\\N" : copyValue(JSON.stringify(value));

/** Runs a benchmark's main function and exits: 0 when it finished, 1 with the error printed. */
export function runMain(main: () => Promise<unknown>) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

// `npm run bench`: every data-plane benchmark on a 1M-customer database, each
// run several times in a process of its own, and one table per database:
// figure, target, the median of the runs, the same-run baseline it is divided
// by, met or not, with the machine and its load average.
//
//   npm run bench [-- --databases embedded,postgres15] [--embedded DIR] [--postgres15-dir DIR]
//     [--database-url URL] [--runs 3]
//     [--customers 1000000] [--only value,segments,journeys,timeline,profiles,ingest,journey-run,journey-impact] [--out FILE] [--timeout-minutes 30]
//
// Databases: the embedded server in .bench/embedded and a PostgreSQL 15 server
// kept in $TMPDIR/centric-bench-postgres15 (both created and loaded with
// bench/load-demo.ts on first use, ≈8 min each, then reused), or the server at
// --database-url. Each benchmark's own log is in .bench/logs/.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect } from "~/db";
import { startEmbeddedServer } from "~/db/embedded";
import { startKeptPostgres } from "~/scripts/lib/throwaway-postgres";
import { demoWorkspaces } from "~/server/demo/seed";
import { slugify } from "~/server/workspaces/workspaces";
import { FIGURES_ENV, formatValue, isMet, type Figure } from "./figures";
import { args, fmt, machine, runMain } from "./lib";

const a = args();
const RUNS = a.num("runs", 3);
const CUSTOMERS = a.num("customers", 1_000_000);
const ROOT = path.resolve(import.meta.dirname, "..");
const LOGS = path.join(ROOT, ".bench", "logs");

/**
 * The benchmarks, in the order they run: the value fit first, since the
 * at-risk segment template reads its scores.
 */
const BENCHMARKS = [
  { name: "value", script: "bench/value-app.ts", args: [] },
  { name: "segments", script: "bench/segments.ts", args: ["--runs", "20"] },
  { name: "journeys", script: "bench/journeys.ts", args: ["--runs", "5"] },
  { name: "timeline", script: "bench/timeline.ts", args: [] },
  { name: "profiles", script: "bench/profiles.ts", args: [] },
  { name: "ingest", script: "bench/ingest.ts", args: ["--clients", "4,8"] },
  { name: "journey-run", script: "bench/journey-run.ts", args: [] },
  { name: "journey-impact", script: "bench/journey-impact.ts", args: [] },
] as const;

const only = a.str("only")?.split(",");
const benchmarks = BENCHMARKS.filter((b) => !only || only.includes(b.name));

interface Database {
  name: string;
  url: string;
  stop(): Promise<void>;
}

async function openDatabases(): Promise<Database[]> {
  const given = a.str("database-url") ?? process.env.BENCH_DATABASE_URL;
  if (given) return [{ name: "given server", url: given, stop: async () => {} }];
  const wanted = (a.str("databases") ?? "embedded,postgres15").split(",");
  const out: Database[] = [];
  for (const name of wanted) {
    if (name === "embedded") {
      const server = await startEmbeddedServer(a.str("embedded") ?? path.join(ROOT, ".bench", "embedded"));
      out.push({ name: "embedded", url: server.url, stop: () => server.stop() });
    } else if (name === "postgres15") {
      const server = await startKeptPostgres(
        a.str("postgres15-dir") ?? path.join(os.tmpdir(), "centric-bench-postgres15"),
      );
      out.push({ name: "PostgreSQL 15", url: server.url, stop: () => server.stop() });
    } else throw new Error(`--databases: “${name}” is neither embedded nor postgres15`);
  }
  return out;
}

/** Demo customers already loaded (0 when the database is new). */
async function loadedCustomers(url: string) {
  const handle = connect(url, { max: 1 });
  try {
    const result = await handle.pool.query<{ n: string }>(
      `select count(*) n from customers c join workspaces w on w.id = c.workspace_id where w.slug = $1`,
      [slugify(demoWorkspaces[0]!.name)],
    );
    return Number(result.rows[0]!.n);
  } catch {
    return 0; // not migrated yet
  } finally {
    await handle.close();
  }
}

/** A run that takes longer than this is stopped and reported as failed (--timeout-minutes). */
const TIMEOUT_MS = a.num("timeout-minutes", 30) * 60_000;

function runScript(script: string, scriptArgs: string[], logFile: string, env: Record<string, string> = {}) {
  return new Promise<void>((resolve, reject) => {
    const log = fs.openSync(logFile, "w");
    const child = spawn(process.execPath, ["--import", "tsx", script, ...scriptArgs], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", log, log],
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), TIMEOUT_MS);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(log);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${script} ${signal ? `was stopped after ${TIMEOUT_MS / 60_000} min` : `exited with ${code}`}; its output is in ${path.relative(ROOT, logFile)}`,
          ),
        );
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");

async function benchDatabase(db: Database) {
  const slug = db.name.replace(/\W+/g, "-").toLowerCase();
  const loaded = await loadedCustomers(db.url);
  if (loaded === 0) {
    console.log(`${db.name}: loading ${fmt(CUSTOMERS)} demo customers (bench/load-demo.ts, ≈8 min)…`);
    await runScript(
      "bench/load-demo.ts",
      ["--database-url", db.url, "--customers", String(CUSTOMERS)],
      path.join(LOGS, `${slug}-load.log`),
    );
  } else if (loaded < CUSTOMERS * 0.99) {
    throw new Error(
      `${db.name} holds ${fmt(loaded)} demo customers, not ${fmt(CUSTOMERS)}: remove its folder to load it again, or pass --customers ${loaded}.`,
    );
  } else console.log(`${db.name}: reusing the loaded database (${fmt(loaded)} demo customers)`);

  const loadBefore = loadAverage();
  const runs = new Map<string, Figure[]>();
  const failures: string[] = [];
  for (const bench of benchmarks) {
    for (let run = 1; run <= RUNS; run++) {
      const figuresFile = path.join(LOGS, `${slug}-${bench.name}-${run}.jsonl`);
      fs.rmSync(figuresFile, { force: true });
      const started = Date.now();
      process.stdout.write(`${db.name}: ${bench.name} run ${run}/${RUNS}, load ${loadAverage()} … `);
      try {
        await runScript(
          bench.script,
          ["--database-url", db.url, ...bench.args],
          path.join(LOGS, `${slug}-${bench.name}-${run}.log`),
          { [FIGURES_ENV]: figuresFile },
        );
        console.log(`${((Date.now() - started) / 1000).toFixed(0)} s`);
      } catch (error) {
        // One benchmark failing does not hide the others' figures; the table says which failed.
        console.log("failed");
        failures.push((error as Error).message);
      }
      const lines = fs.existsSync(figuresFile) ? fs.readFileSync(figuresFile, "utf8").trim().split("\n") : [];
      for (const line of lines.filter(Boolean)) {
        const figure = JSON.parse(line) as Figure;
        runs.set(figure.key, [...(runs.get(figure.key) ?? []), figure]);
      }
    }
  }
  return { db, runs, failures, loadBefore, loadAfter: loadAverage() };
}

function table({ db, runs, failures, loadBefore, loadAfter }: Awaited<ReturnType<typeof benchDatabase>>) {
  const lines = [
    `### ${db.name}`,
    "",
    `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${machine()} · load average (1, 5, 15 min) ${loadBefore} before, ${loadAfter} after · ${RUNS === 1 ? "one run" : `median of ${RUNS} runs`}`,
    "",
    "| figure | target | this run | runs | baseline (same run) | met |",
    "|---|---|---:|---|---|---|",
  ];
  let missed = 0;
  for (const figures of runs.values()) {
    const first = figures[0]!;
    const value = median(figures.map((f) => f.value));
    const met = isMet({ value, target: first.target });
    if (!met) missed++;
    const baseline = first.baseline
      ? `${first.baseline.label}: ${formatValue(median(figures.map((f) => f.baseline!.value)), first.baseline.unit)}`
      : "";
    lines.push(
      `| ${first.label} | ${first.target.op} ${formatValue(first.target.value, first.unit)} | ` +
        `${formatValue(value, first.unit)} | ${figures.map((f) => formatValue(f.value, f.unit)).join(", ")} | ` +
        `${baseline} | ${met ? "met" : "**not met**"} |`,
    );
  }
  if (failures.length > 0) lines.push("", "Failed runs:", ...failures.map((f) => `- ${f}`));
  return { text: lines.join("\n"), missed: missed + failures.length };
}

async function main() {
  fs.mkdirSync(LOGS, { recursive: true });
  const databases = await openDatabases();
  const tables: string[] = [];
  let missed = 0;
  try {
    for (const db of databases) {
      const result = table(await benchDatabase(db));
      tables.push(result.text);
      missed += result.missed;
      console.log(`\n${result.text}\n`);
    }
  } finally {
    for (const db of databases) await db.stop();
  }
  const out = a.str("out");
  if (out) fs.writeFileSync(out, `${tables.join("\n\n")}\n`);
  console.log(missed === 0 ? "Every figure met." : `${missed} figure(s) not met.`);
}

runMain(main);

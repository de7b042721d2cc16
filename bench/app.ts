// The running app for the HTTP benchmarks: scripts/start.ts --skip-build on a
// free port against a PostgreSQL server, sign-in through next-auth's
// credentials flow, and CPU accounting of the app and PostgreSQL processes.

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "~/db";
import { auditEvents, workspaces } from "~/db/schema";
import { demoWorkspaces, seedDemo } from "~/server/demo/seed";
import { migrateDatabase } from "~/db/migrate";
import { slugify } from "~/server/workspaces/workspaces";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Migrations and the demo users/workspaces, without the few thousand generated
 * customers that `npm start` would ingest into an empty demo workspace.
 */
export async function prepareDatabase(db: Database) {
  await migrateDatabase(db);
  await seedDemo(db, { customers: 0 });
  const [workspace] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.slug, slugify(demoWorkspaces[0]!.name)));
  if (!workspace) throw new Error("no demo workspace");
  const [marker] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.workspaceId, workspace.id), sql`${auditEvents.details} ? 'demoCustomers'`))
    .limit(1);
  if (!marker) {
    await db.insert(auditEvents).values({
      workspaceId: workspace.id,
      actorUserId: null,
      action: "seed.demo",
      summary: "benchmark database: no generated demo customers",
      details: { demoCustomers: 0, events: 0 },
    });
  }
  return workspace.id;
}

export interface RunningApp {
  base: string;
  pid: number;
  /** What the launcher printed so far (its banner holds the demo write keys). */
  output(): string;
  stop(): Promise<void>;
}

function appNodeArgs() {
  return (process.env.BENCH_APP_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
}

/**
 * Serves the existing production build (.next) with DATABASE_URL = url, or
 * without a URL on the embedded server in a fresh data folder, as `npm start` does.
 */
export async function startApp(url: string | undefined): Promise<RunningApp> {
  const root = path.resolve(import.meta.dirname, "..");
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("There is no production build: run `npx next build` first.");
  }
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-bench-app-"));
  const child: ChildProcess = spawn(
    process.execPath,
    // BENCH_APP_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the app (Node refuses --cpu-prof in NODE_OPTIONS).
    [...appNodeArgs(), "--import", "tsx", "scripts/start.ts", "--skip-build", "--port", String(port)],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url ?? "",
        CENTRIC_DATA_DIR: dataDir,
        HOST: "127.0.0.1",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited during start-up:\n${output}`);
    if (/\[centric\] Ready/.test(output)) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`The app did not start in 3 minutes:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await Promise.race([
        new Promise((r) => child.once("exit", r)),
        new Promise((r) => setTimeout(r, 10_000)),
      ]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("exit", () => child.exitCode === null && child.kill("SIGKILL"));
  return { base, pid: child.pid!, output: () => output, stop };
}

/** next-auth credentials sign-in: GET csrf, POST the callback; returns the Cookie header to send. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  keep(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: base }),
  });
  keep(response);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) {
    throw new Error(`Sign-in failed (${response.status}): ${await response.text()}`);
  }
  return cookie();
}

// --- CPU accounting ------------------------------------------------------

const TICK = 100; // USER_HZ on Linux

function cpuTicks(pid: number) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function descendants(root: number) {
  const all = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const parent = new Map<number, number>();
  for (const pid of all) {
    const s = cpuTicks(pid);
    if (s) parent.set(pid, s.ppid);
  }
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!out.has(pid) && out.has(ppid)) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return [...out];
}

/** CPU seconds used by a process and its children (e.g. the postmaster and its backends) between two reads. */
export function cpuMeter(root: number) {
  const read = () => {
    const m = new Map<number, number>();
    for (const pid of descendants(root)) m.set(pid, cpuTicks(pid)?.ticks ?? 0);
    return m;
  };
  const before = read();
  return () => {
    const after = read();
    let ticks = 0;
    for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
    return ticks / TICK;
  };
}

/** The postmaster's pid of the server at this URL (from its data directory). */
export async function postmasterPid(db: Database) {
  const result = await db.execute<{ dir: string }>(sql`select current_setting('data_directory') as dir`);
  const dir = result.rows[0]!.dir;
  try {
    return Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return undefined;
  }
}

/** A tRPC query over HTTP (superjson input/output, as the app's client sends it). */
export async function trpcGet(base: string, cookie: string, path: string, input?: unknown) {
  const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await fetch(`${base}/api/trpc/${path}${q}`, { headers: { cookie } });
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: unknown };
  if (!response.ok || !body.result)
    throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body.result.data.json;
}

/**
 * Waits until the app's background work has summarised every event of these
 * workspaces into their customer streams (server/segments/streams.ts: after
 * the events settle, on a turn of the segment loop) and no background query
 * is running; returns the seconds it waited. A timed part that follows then
 * does not share the machine with the summarising of an earlier part's events.
 */
export async function backgroundCaughtUp(db: Database, workspaceIds: string[], timeoutMs = 300_000) {
  const t0 = performance.now();
  for (;;) {
    const { rows } = await db.execute<{ behind: number; active: number }>(sql`
      select
        (select count(*)::int from unnest(${sql.param(workspaceIds)}::uuid[]) as w (id)
         where coalesce((select s.last_event_id from customer_stream_cursors s where s.workspace_id = w.id), -1)
             < coalesce((select max(e.id) from events e where e.workspace_id = w.id), 0)) as behind,
        (select count(*)::int from pg_stat_activity
         where application_name = 'centric-background' and state = 'active') as active`);
    if (rows[0]!.behind === 0 && rows[0]!.active === 0) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > timeoutMs) {
      throw new Error(`The app's background work did not catch up within ${timeoutMs / 1000} s.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

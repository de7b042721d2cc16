import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { processIsAlive } from "./data-dir-lock";
import { clusterDirOf, startEmbeddedServer } from "./embedded";
import { connect } from "./index";

// The embedded database's promises to the person running `npm start`: what was
// committed survives a crash, whether the launcher dies alone (its server is
// left running) or with its whole process group; a second Centric cannot open
// the same folder; and it is a real server, whose connections work side by
// side. The crash tests run the database in child processes
// (test/embedded-probe.ts, which starts it as the launcher does) and kill them with -9.

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const probe = path.join(repoRoot, "test", "embedded-probe.ts");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "centric-embedded-test-"));
// As root the server runs as the postgres user, which must be able to enter the folder.
fs.chmodSync(scratch, 0o755);
let folders = 0;
const running = new Set<Probe>();

afterEach(async () => {
  await Promise.all([...running].map((p) => p.killGroup()));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function newDataDir() {
  return path.join(scratch, `data-${++folders}`);
}

interface Probe {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first stdout line that starts with `prefix`. */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The database server's pid, once printed. */
  serverPid(): number | undefined;
  /** SIGKILL to the probe's whole process group (the probe and its server), as `kill -9 -<pgid>` would. */
  killGroup(): Promise<void>;
  /** SIGKILL to the probe alone: its server is left running, as after a launcher crash. */
  killAlone(): Promise<void>;
}

function startProbe(dataDir: string, ...args: string[]): Probe {
  // node --import tsx, not `npx tsx`: the probe must be this child itself, so
  // that SIGKILL hits the process that holds the database. Detached: a process group of its own.
  const child = spawn(process.execPath, ["--import", "tsx", probe, dataDir, ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const probeHandle: Probe = {
    child,
    output: () => `${stdout}${stderr}`,
    exited,
    waitFor(prefix, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = stdout.split("\n").find((l) => l.startsWith(prefix));
          if (line !== undefined) {
            done();
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`probe did not print ${prefix} within ${timeoutMs} ms:\n${stdout}${stderr}`));
        }, timeoutMs);
        const onExit = () => {
          // Let the last output chunk arrive before deciding.
          setImmediate(() => {
            check();
            done();
            reject(new Error(`probe exited before printing ${prefix}:\n${stdout}${stderr}`));
          });
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
        };
        listeners.add(check);
        child.once("exit", onExit);
        check();
      });
    },
    serverPid() {
      const pid = /^SERVER (\d+)$/m.exec(stdout)?.[1];
      return pid ? Number(pid) : undefined;
    },
    async killGroup() {
      const server = probeHandle.serverPid();
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // The group is gone already.
      }
      await exited;
      if (server !== undefined) await waitUntilGone(server);
      running.delete(probeHandle);
    },
    async killAlone() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      running.delete(probeHandle);
    },
  };
  running.add(probeHandle);
  return probeHandle;
}

/** Runs the probe's `read` command and returns the workspace slugs and the user count. */
async function readFolder(dataDir: string) {
  const reader = startProbe(dataDir, "read");
  const { code } = await reader.exited;
  const output = reader.output();
  expect(code, output).toBe(0);
  return {
    slugs: [...output.matchAll(/^ROW (.+)$/gm)].map((m) => m[1]),
    users: Number(/^USERS (\d+)$/m.exec(output)?.[1]),
  };
}

async function waitUntilGone(pid: number) {
  for (let i = 0; i < 300 && processIsAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  expect(processIsAlive(pid), `process ${pid} is still running`).toBe(false);
}

// Each probe start is a Node process that loads tsx and starts a server (2-10 s on a busy machine).
const PROBE_TEST_TIMEOUT = 180_000;

describe("embedded database after a crash", () => {
  it(
    "keeps every committed write after kill -9 of the launcher's process group, server included",
    async () => {
      const dataDir = newDataDir();
      const writer = startProbe(dataDir, "write", "group-kill-1");
      await writer.waitFor("COMMITTED group-kill-1");
      const server = writer.serverPid()!;
      await writer.killGroup();
      expect((await writer.exited).signal).toBe("SIGKILL");
      expect(processIsAlive(server)).toBe(false);
      // What the killed server left behind must not block the next start.
      expect(fs.existsSync(path.join(clusterDirOf(dataDir), "postmaster.pid"))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, "centric.lock"))).toBe(true);

      const after = await readFolder(dataDir);
      expect(after).toEqual({ slugs: ["group-kill-1"], users: 1 });

      // And again: a second crash and restart keeps both writes.
      const second = startProbe(dataDir, "write", "group-kill-2");
      await second.waitFor("COMMITTED group-kill-2");
      await second.killGroup();
      expect(await readFolder(dataDir)).toEqual({ slugs: ["group-kill-1", "group-kill-2"], users: 2 });
    },
    PROBE_TEST_TIMEOUT,
  );

  it(
    "stops the server that a launcher killed alone left running, and keeps its writes",
    async () => {
      const dataDir = newDataDir();
      const writer = startProbe(dataDir, "write", "orphaned");
      await writer.waitFor("COMMITTED orphaned");
      const server = writer.serverPid()!;
      await writer.killAlone();
      // The orphan keeps running until the next start finds it.
      expect(processIsAlive(server)).toBe(true);

      const reader = startProbe(dataDir, "read");
      expect((await reader.exited).code, reader.output()).toBe(0);
      expect(reader.output()).toContain(
        `Stopping the database server (pid ${server}) that an earlier start left running`,
      );
      expect(reader.output()).toContain("ROW orphaned");
      expect(processIsAlive(server)).toBe(false);
    },
    PROBE_TEST_TIMEOUT,
  );

  it(
    "starts although postmaster.pid names a pid that another program now has",
    async () => {
      const dataDir = newDataDir();
      const writer = startProbe(dataDir, "write", "stale-pid");
      await writer.waitFor("COMMITTED stale-pid");
      await writer.killGroup();
      // After a reboot or in a container the old pid is soon reused, here by a sleeping shell.
      const stranger = spawn("sleep", ["60"]);
      try {
        const pidFile = path.join(clusterDirOf(dataDir), "postmaster.pid");
        const lines = fs.readFileSync(pidFile, "utf8").split("\n");
        lines[0] = String(stranger.pid);
        fs.writeFileSync(pidFile, lines.join("\n"));

        expect((await readFolder(dataDir)).slugs).toEqual(["stale-pid"]);
        expect(processIsAlive(stranger.pid!)).toBe(true);
      } finally {
        stranger.kill("SIGKILL");
      }
    },
    PROBE_TEST_TIMEOUT,
  );
});

describe("embedded database lock", () => {
  it(
    "refuses a second Centric on the same folder while the first runs, and starts once it is killed",
    async () => {
      const dataDir = newDataDir();
      const first = startProbe(dataDir, "hold");
      await first.waitFor("READY");

      const second = startProbe(dataDir, "read");
      const refused = await second.exited;
      expect(refused.code, second.output()).toBe(2);
      expect(second.output()).toContain(
        `The data folder ${dataDir} is already in use by another Centric process`,
      );
      expect(second.output()).toContain(`pid ${first.child.pid}`);

      await first.killGroup();
      // The lock file is still there (nobody released it), but its owner is dead.
      expect(fs.existsSync(path.join(dataDir, "centric.lock"))).toBe(true);
      expect((await readFolder(dataDir)).slugs).toEqual([]);
      // A clean stop releases the lock.
      expect(fs.existsSync(path.join(dataDir, "centric.lock"))).toBe(false);
    },
    PROBE_TEST_TIMEOUT,
  );
});

describe("embedded database connections", () => {
  it("answers on one connection while a slow query runs on another", async () => {
    const dataDir = newDataDir();
    const server = await startEmbeddedServer(dataDir, { durable: false });
    const handle = connect(server.url, { max: 4 });
    try {
      const slow = handle.db.execute(sql`select pg_sleep(2)`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      const quick = await handle.db.execute<{ n: number }>(sql`select 1 as n`);
      const quickMs = performance.now() - started;
      await slow;
      expect(quick.rows[0]?.n).toBe(1);
      expect(quickMs).toBeLessThan(1_000);
      // Every connection is its own backend, and the server keeps PostgreSQL's durability settings.
      const settings = await handle.db.execute<{ fsync: string; connections: string }>(
        sql`select current_setting('fsync') as fsync, current_setting('max_connections') as connections`,
      );
      expect(Number(settings.rows[0]?.connections)).toBeGreaterThanOrEqual(100);
    } finally {
      await handle.close();
      await server.stop();
    }
  });

  it("runs a background pool's connections at lower CPU priority from their first query", async () => {
    const server = await startEmbeddedServer(newDataDir(), { durable: false });
    const background = connect(server.url, { max: 2, niceness: 10 });
    const foreground = connect(server.url, { max: 1 });
    // The 19th field of /proc/PID/stat, after the parenthesised command name.
    const niceOf = (pid: number) =>
      Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const pidOf = async (handle: typeof background) =>
      Number((await handle.db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]!.pid);
    try {
      expect(niceOf(await pidOf(background))).toBe(10);
      expect(niceOf(await pidOf(foreground))).toBe(0);
    } finally {
      await background.close();
      await foreground.close();
      await server.stop();
    }
  });
});

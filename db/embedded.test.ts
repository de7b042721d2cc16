import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { connect } from "./index";
import { startEmbeddedServer } from "./embedded";

// The embedded database's promises to the person running `npm start`: what was
// acknowledged survives a crash, a second process cannot corrupt the folder, and
// a slow query does not freeze the web server. The crash and lock tests run the
// database in child processes (scripts/embedded-probe.ts) and kill them with -9.

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const probe = path.join(repoRoot, "scripts", "embedded-probe.ts");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "centric-embedded-test-"));
let folders = 0;
const running = new Set<Probe>();

afterEach(async () => {
  await Promise.all([...running].map((p) => p.kill()));
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
  /** SIGKILL, as a crash or the OOM killer would; resolves once the process is gone and reaped. */
  kill(): Promise<void>;
}

function startProbe(dataDir: string, ...args: string[]): Probe {
  // node --import tsx, not `npx tsx`: the probe must be this child itself, so
  // that SIGKILL hits the process that holds the database.
  const child = spawn(process.execPath, ["--import", "tsx", probe, dataDir, ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
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
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      running.delete(probeHandle);
      // What a killed process cannot clean up itself.
      const socketDir = /^SOCKET (.+)$/m.exec(stdout)?.[1];
      if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
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

// Each probe start is a Node process that loads tsx and PGlite (2-10 s on a busy machine).
const PROBE_TEST_TIMEOUT = 180_000;

describe("embedded database durability", () => {
  it(
    "keeps a committed single-statement write after the process is killed with -9",
    async () => {
      const dataDir = newDataDir();
      const writer = startProbe(dataDir, "write", "single-write");
      await writer.waitFor("COMMITTED single-write");
      await writer.kill();
      expect((await writer.exited).signal).toBe("SIGKILL");

      expect((await readFolder(dataDir)).slugs).toEqual(["single-write"]);
    },
    PROBE_TEST_TIMEOUT,
  );

  it(
    "keeps a committed multi-statement transaction after the process is killed with -9",
    async () => {
      const dataDir = newDataDir();
      const writer = startProbe(dataDir, "write-tx", "tx-write");
      await writer.waitFor("COMMITTED tx-write");
      await writer.kill();

      const after = await readFolder(dataDir);
      expect(after.slugs).toEqual(["tx-write"]);
      expect(after.users).toBe(1);

      // And the folder keeps working after the crash: a second crash-and-reopen keeps both writes.
      const second = startProbe(dataDir, "write-tx", "tx-write-2");
      await second.waitFor("COMMITTED tx-write-2");
      await second.kill();
      const again = await readFolder(dataDir);
      expect(again.slugs).toEqual(["tx-write", "tx-write-2"]);
      expect(again.users).toBe(2);
    },
    PROBE_TEST_TIMEOUT,
  );
});

describe("embedded database lock", () => {
  it(
    "refuses a second process on the same folder, and takes over the lock once the first is killed",
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

      await first.kill();
      // The lock file is still there (nobody released it), but its owner is dead.
      expect(fs.existsSync(path.join(dataDir, "centric.lock"))).toBe(true);
      expect((await readFolder(dataDir)).slugs).toEqual([]);
      // A clean stop releases the lock.
      expect(fs.existsSync(path.join(dataDir, "centric.lock"))).toBe(false);
    },
    PROBE_TEST_TIMEOUT,
  );
});

describe("embedded database and the event loop", () => {
  it("keeps timers on time while a slow query runs", async () => {
    const server = await startEmbeddedServer("memory://");
    const handle = connect({ kind: "embedded", socketDir: server.socketDir });
    try {
      await handle.db.execute(sql`select 1`);

      let worstLag = 0;
      let ticks = 0;
      let expected = performance.now() + 20;
      const timer = setInterval(() => {
        const now = performance.now();
        worstLag = Math.max(worstLag, now - expected);
        expected = now + 20;
        ticks++;
      }, 20);

      const started = performance.now();
      await handle.db.execute(sql`select pg_sleep(2)`);
      const elapsed = performance.now() - started;
      clearInterval(timer);

      expect(elapsed).toBeGreaterThanOrEqual(1900);
      // About 100 ticks in 2 s; a frozen loop would give one or two.
      expect(ticks).toBeGreaterThan(50);
      expect(worstLag).toBeLessThan(200);
    } finally {
      await handle.close();
      await server.stop();
    }
  });
});

import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

// ---------------------------------------------------------------------------
// One throw-away PostgreSQL 15 server for the whole Vitest run. Every database
// test file creates its own database on it (test/databases.ts), so files can
// run in parallel. TEST_DATABASE_URL points the tests at an existing server
// instead; it must be a superuser URL because the tests CREATE DATABASE.
// ---------------------------------------------------------------------------

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server; tests create their databases through it. */
    postgresAdminUrl: string;
  }
}

const PG_BIN = "/usr/lib/postgresql/15/bin";
const run = promisify(execFile);

const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root, so as root its programs run as the postgres user. */
function asPostgresUser(program: string, args: string[]): [string, string[]] {
  const binary = path.join(PG_BIN, program);
  return isRoot ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args];
}

async function pg(program: string, args: string[], cwd: string) {
  const [command, commandArgs] = asPostgresUser(program, args);
  try {
    return await run(command, commandArgs, { cwd, timeout: 120_000 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${program} ${args.join(" ")} failed:\n${stdout}${stderr}`, { cause: error });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function postgresUid() {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid) throw new Error("There is no postgres user; run `bash scripts/ensure-system-deps.sh`.");
  return { uid: Number(uid), gid: Number(gid) };
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL?.trim();
  if (external) {
    project.provide("postgresAdminUrl", external);
    return;
  }

  for (const program of ["initdb", "pg_ctl", "postgres"]) {
    if (!fs.existsSync(path.join(PG_BIN, program))) {
      throw new Error(
        `PostgreSQL 15 is not installed (${path.join(PG_BIN, program)} is missing). ` +
          "Run `bash scripts/ensure-system-deps.sh`, or set TEST_DATABASE_URL to a PostgreSQL superuser URL.",
      );
    }
  }

  const started = performance.now();
  // A short path: the Unix socket lives here too, and socket paths are limited to about 100 characters.
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-test-pg-"));
  const dataDir = path.join(baseDir, "data");
  const logFile = path.join(baseDir, "postgres.log");
  if (isRoot) {
    const { uid, gid } = postgresUid();
    fs.chownSync(baseDir, uid, gid);
  }
  fs.chmodSync(baseDir, 0o700);

  let running = false;
  const stopSync = () => {
    if (running) {
      running = false;
      try {
        const [command, args] = asPostgresUser("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate", "-w"]);
        execFileSync(command, args, { cwd: baseDir, stdio: "ignore", timeout: 30_000 });
      } catch {
        // Already stopped.
      }
    }
    fs.rmSync(baseDir, { recursive: true, force: true });
  };
  // Teardown does not run when the process dies early; never leave a server behind.
  process.once("exit", stopSync);

  try {
    await pg(
      "initdb",
      ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"],
      baseDir,
    );

    // The port is free when picked but could be taken before the server binds it: try again then.
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = `-p ${port} -k ${baseDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await pg("pg_ctl", ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options], baseDir);
        running = true;
        break;
      } catch (error) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
        if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
        throw new Error(`PostgreSQL did not start.\n${log}`, { cause: error });
      }
    }

    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[test] PostgreSQL 15 started on 127.0.0.1:${port} in ${seconds} s (${baseDir})`);
    project.provide("postgresAdminUrl", url);
  } catch (error) {
    stopSync();
    process.removeListener("exit", stopSync);
    throw error;
  }

  return async function teardown() {
    process.removeListener("exit", stopSync);
    if (running) {
      running = false;
      await pg("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate", "-w"], baseDir).catch((error: Error) =>
        console.error(`[test] stopping PostgreSQL: ${error.message}`),
      );
    }
    fs.rmSync(baseDir, { recursive: true, force: true });
    console.log("[test] PostgreSQL stopped");
  };
}

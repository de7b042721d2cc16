import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { lookUpUser } from "~/db/embedded-binaries";

// ---------------------------------------------------------------------------
// A throw-away PostgreSQL 15 server in a temp folder on a free local port,
// for the tests (test/global-setup.ts) and the benchmarks (bench/). As root,
// its programs run as the postgres user, since PostgreSQL refuses root.
// ---------------------------------------------------------------------------

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
  const user = lookUpUser("postgres");
  if (!user) throw new Error("There is no postgres user; run `bash scripts/ensure-system-deps.sh`.");
  return user;
}

export interface ThrowawayPostgres {
  /** Superuser URL of the server's `postgres` database. */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts a server. `durable: false` (tests) turns off fsync and synchronous
 * commit for speed; benchmarks keep PostgreSQL's defaults.
 */
export async function startThrowawayPostgres({
  durable = false,
  settings = {},
}: { durable?: boolean; settings?: Record<string, string> } = {}): Promise<ThrowawayPostgres> {
  // A short path: the Unix socket lives here too, and socket paths are limited to about 100 characters.
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-pg-server-"));
  return startPostgres15(baseDir, { durable, settings, keep: false });
}

/**
 * A PostgreSQL 15 server whose folder is kept between runs (durable settings),
 * created on first use: `npm run bench` loads its 1M database into it once and
 * reuses it. `dir` should be short (the Unix socket lives there).
 */
export async function startKeptPostgres(dir: string): Promise<ThrowawayPostgres> {
  fs.mkdirSync(dir, { recursive: true });
  return startPostgres15(path.resolve(dir), { durable: true, settings: {}, keep: true });
}

async function startPostgres15(
  baseDir: string,
  { durable, settings, keep }: { durable: boolean; settings: Record<string, string>; keep: boolean },
): Promise<ThrowawayPostgres> {
  for (const program of ["initdb", "pg_ctl", "postgres"]) {
    if (!fs.existsSync(path.join(PG_BIN, program))) {
      throw new Error(
        `PostgreSQL 15 is not installed (${path.join(PG_BIN, program)} is missing). ` +
          "Run `bash scripts/ensure-system-deps.sh`, or point the tool at an existing server.",
      );
    }
  }
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
    if (!keep) fs.rmSync(baseDir, { recursive: true, force: true });
  };
  // A caller that dies early does not run its teardown; never leave a server behind.
  process.once("exit", stopSync);

  try {
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION")))
      await pg(
        "initdb",
        ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"],
        baseDir,
      );
    const all = {
      listen_addresses: "127.0.0.1",
      ...(durable ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }),
      ...settings,
    };
    // The port is free when picked but could be taken before the server binds it: try again then.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${baseDir}`,
        ...Object.entries(all).map(([k, v]) => `-c ${k}=${v}`),
      ].join(" ");
      try {
        await pg("pg_ctl", ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options], baseDir);
        running = true;
        return {
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          dir: baseDir,
          async stop() {
            process.removeListener("exit", stopSync);
            if (running) {
              running = false;
              // A kept server stops cleanly, so that its next start needs no recovery.
              await pg("pg_ctl", ["stop", "-D", dataDir, "-m", keep ? "fast" : "immediate", "-w"], baseDir);
            }
            if (!keep) fs.rmSync(baseDir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
        if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
        throw new Error(`PostgreSQL did not start.\n${log}`, { cause: error });
      }
    }
  } catch (error) {
    stopSync();
    process.removeListener("exit", stopSync);
    throw error;
  }
}

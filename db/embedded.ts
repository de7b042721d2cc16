import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { EMBEDDED_PORT } from "./embedded-socket";

// ---------------------------------------------------------------------------
// The embedded database: PGlite on a worker thread behind a Unix socket
// (see embedded-worker.mjs), guarded by a lock file so that only one process
// ever opens a data folder. PGlite takes no lock of its own, and two processes
// writing one folder silently lose each other's writes.
// ---------------------------------------------------------------------------

const LOCK_FILE = "centric.lock";
const SOCKET_DIR_PREFIX = "centric-pg-";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dataDir} is already in use by another Centric process (pid ${pid}). ` +
        `The embedded database serves one process only: stop that process first, ` +
        `or set DATABASE_URL to use a PostgreSQL server that several processes can share.`,
    );
    this.name = "DataDirLockedError";
  }
}

function processIsAlive(pid: number) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process lingers as a zombie until its parent reaps it; it holds nothing.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** Removes socket folders left behind by processes that were killed (named centric-pg-<pid>-…). */
function sweepStaleSocketDirs() {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(name.slice(SOCKET_DIR_PREFIX.length).split("-")[0]);
    if (name.startsWith(SOCKET_DIR_PREFIX) && Number.isInteger(pid) && pid > 0 && !processIsAlive(pid)) {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** Takes the data folder's lock file, or throws DataDirLockedError. Returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // Already gone.
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processIsAlive(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      // Left behind by a process that was killed: take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

export interface EmbeddedServer {
  /** Folder holding the Unix socket; node-postgres connects with host = this folder. */
  socketDir: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite for `dataDir` ("memory://" for a throw-away database) on a
 * worker thread. Resolves once it accepts connections.
 */
export async function startEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  const inMemory = dataDir.startsWith("memory://");
  const pgliteDir = inMemory ? dataDir : path.join(path.resolve(dataDir), "pglite");
  const release = inMemory ? () => {} : lockDataDir(path.resolve(dataDir));
  sweepStaleSocketDirs();
  // A short path: Unix socket paths are limited to about 100 characters.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), `${SOCKET_DIR_PREFIX}${process.pid}-`));
  fs.chmodSync(socketDir, 0o700);

  const worker = new Worker(new URL("./embedded-worker.mjs", import.meta.url), {
    workerData: { dataDir: pgliteDir, socketPath: path.join(socketDir, `.s.PGSQL.${EMBEDDED_PORT}`) },
  });

  const cleanUp = () => {
    fs.rmSync(socketDir, { recursive: true, force: true });
    release();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      worker.once("message", (message: { type: string; message?: string }) => {
        if (message.type === "ready") resolve();
        else reject(new Error(`The embedded database did not start: ${message.message}`));
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`The embedded database stopped during start-up (exit ${code})`)));
    });
  } catch (error) {
    await worker.terminate();
    cleanUp();
    throw error;
  }
  worker.removeAllListeners("exit");
  // The worker must not keep a finished process alive.
  worker.unref();

  let stopping: Promise<void> | undefined;
  return {
    socketDir,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 10_000);
        worker.once("message", () => {
          clearTimeout(timer);
          void worker.terminate().then(() => resolve());
        });
        worker.postMessage({ type: "stop" });
      }).finally(cleanUp);
      return stopping;
    },
  };
}

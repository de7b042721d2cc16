import "server-only";
import os from "node:os";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "../server/env";
import * as schema from "./schema";

// ---------------------------------------------------------------------------
// One client for every mode: node-postgres against a PostgreSQL server, either
// DATABASE_URL or the embedded server that the launcher started
// (CENTRIC_EMBEDDED_URL, a Unix socket). Same schema, same migrations.
// ---------------------------------------------------------------------------

export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run queries: the database or an open transaction. */
export type DbOrTx = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** Shown in pg_stat_activity, so that a slow query says which part of Centric sent it. */
  applicationName?: string;
  /**
   * The server runs on this machine (the embedded one): each connection's
   * server process gets this CPU niceness, so that background work yields the
   * processors to requests whenever both want them.
   */
  niceness?: number;
}

export function connect(url: string, options: ConnectOptions = {}): DatabaseHandle {
  const { niceness } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "centric",
    // The pool hands a new client out once this has run (pg-pool awaits the promise), so the
    // priority is set before the client's first query rather than queued beside it.
    onConnect: niceness === undefined ? undefined : (client) => lowerPriority(client, niceness),
  });
  // An idle client that loses its server must not crash the process.
  pool.on("error", (error) => console.error("[db] idle client error:", error.message));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/** Lowers the CPU priority of the server process behind `client` (same machine only). */
async function lowerPriority(client: pg.ClientBase, niceness: number) {
  try {
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    os.setPriority(rows[0]!.pid, niceness);
  } catch (error) {
    console.error("[db] could not lower a background connection's priority:", (error as Error).message);
  }
}

export function databaseUrlFromEnv(): string {
  const { DATABASE_URL, CENTRIC_EMBEDDED_URL } = env();
  const url = DATABASE_URL ?? CENTRIC_EMBEDDED_URL;
  if (url) return url;
  throw new Error(
    "No database: set DATABASE_URL to a PostgreSQL server, or start Centric with `npm start`, " +
      "which runs the embedded database.",
  );
}

// ---------------------------------------------------------------------------
// Two pools per server process. Pages, tRPC and the tracking API use the
// interactive pool; background work (jobs such as imports and value fits, the
// segment loop, schedules) has a pool of its own with few connections, so a
// long import can never take the connections that requests need.
// ---------------------------------------------------------------------------

export const INTERACTIVE_CONNECTIONS = 10;
export const BACKGROUND_CONNECTIONS = 2;

// Next.js loads this module several times under `next start` (instrumentation,
// route handlers, server pages); they must share the pools.
const globalForDb = globalThis as unknown as {
  centricDb?: DatabaseHandle;
  centricBackgroundDb?: DatabaseHandle;
};

export function getDb(): Database {
  globalForDb.centricDb ??= connect(databaseUrlFromEnv(), { max: INTERACTIVE_CONNECTIONS });
  return globalForDb.centricDb.db;
}

/** CPU niceness of the embedded server's background connections: requests come first. */
export const BACKGROUND_NICENESS = 10;

export function getBackgroundDb(): Database {
  globalForDb.centricBackgroundDb ??= connect(databaseUrlFromEnv(), {
    max: BACKGROUND_CONNECTIONS,
    applicationName: "centric-background",
    // Only the embedded server's processes are ours to renice.
    niceness: env().DATABASE_URL ? undefined : BACKGROUND_NICENESS,
  });
  return globalForDb.centricBackgroundDb.db;
}

/** Closes the pools that getDb() and getBackgroundDb() opened (the launcher, on shutdown). */
export async function closeSharedPools() {
  const handles = [globalForDb.centricDb, globalForDb.centricBackgroundDb];
  delete globalForDb.centricDb;
  delete globalForDb.centricBackgroundDb;
  await Promise.all(handles.map((handle) => handle?.close()));
}

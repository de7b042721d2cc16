import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "~/server/env";
import { EMBEDDED_PORT } from "./embedded-socket";
import * as schema from "./schema";

// ---------------------------------------------------------------------------
// One client for both modes: node-postgres talks to a real PostgreSQL server
// (DATABASE_URL) or to the embedded PGlite server that the launcher started on
// a Unix socket (CENTRIC_EMBEDDED_SOCKET_DIR). Same schema, same migrations.
// ---------------------------------------------------------------------------

export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run queries: the database or an open transaction. */
export type DbOrTx = Database | Transaction;

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "embedded"; socketDir: string };

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  target: DatabaseTarget;
  close(): Promise<void>;
}

export function connect(target: DatabaseTarget, options: { max?: number } = {}): DatabaseHandle {
  const pool =
    target.kind === "postgres"
      ? new pg.Pool({ connectionString: target.url, max: options.max ?? 10 })
      : // PGlite is a single-connection database: one pooled client, the pool queues the rest.
        new pg.Pool({ host: target.socketDir, port: EMBEDDED_PORT, user: "postgres", database: "postgres", max: 1 });
  // An idle client that loses its server must not crash the process.
  pool.on("error", (error) => console.error("[db] idle client error:", error.message));
  const db = drizzle(pool, { schema });
  return { db, pool, target, close: () => pool.end() };
}

export function targetFromEnv(): DatabaseTarget {
  const { DATABASE_URL, CENTRIC_EMBEDDED_SOCKET_DIR } = env();
  if (DATABASE_URL) return { kind: "postgres", url: DATABASE_URL };
  if (CENTRIC_EMBEDDED_SOCKET_DIR) return { kind: "embedded", socketDir: CENTRIC_EMBEDDED_SOCKET_DIR };
  throw new Error(
    "No database: set DATABASE_URL to a PostgreSQL server, or start Centric with `npm start`, " +
      "which runs the embedded database.",
  );
}

// Next.js loads this module several times under `next start` (instrumentation,
// route handlers, server pages); they must share one pool.
const globalForDb = globalThis as unknown as { centricDb?: DatabaseHandle };

export function getDb(): Database {
  globalForDb.centricDb ??= connect(targetFromEnv());
  return globalForDb.centricDb.db;
}

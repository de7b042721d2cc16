import { randomBytes } from "node:crypto";
import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "~/db/embedded";
import { connect, type Database, type DatabaseHandle, type DbOrTx } from "~/db/index";
import { migrateDatabase } from "~/db/migrate";
import * as schema from "~/db/schema";

// ---------------------------------------------------------------------------
// Every database test runs twice: on in-memory PGlite (what `npm start` uses)
// and on a real PostgreSQL server (what a deployment uses). Each describe block
// gets its own freshly migrated database on both, so test files never see each
// other's rows and can run in parallel.
// ---------------------------------------------------------------------------

export type DatabaseKind = "pglite" | "postgres";
export const databaseKinds: readonly DatabaseKind[] = ["pglite", "postgres"];

export interface TestDatabase {
  kind: DatabaseKind;
  db: Database;
  /** The node-postgres pool behind `db`, for raw SQL or a second connection. */
  pool: pg.Pool;
  /** Name of the database on the server ("postgres" for PGlite). */
  name: string;
}

interface Opened extends TestDatabase {
  close(): Promise<void>;
}

async function openPglite(): Promise<Opened> {
  let server: EmbeddedServer | undefined;
  let handle: DatabaseHandle | undefined;
  try {
    server = await startEmbeddedServer("memory://");
    handle = connect({ kind: "embedded", socketDir: server.socketDir });
    await migrateDatabase(handle.db);
  } catch (error) {
    await handle?.close();
    await server?.stop();
    throw error;
  }
  const opened = { server, handle };
  return {
    kind: "pglite",
    db: handle.db,
    pool: handle.pool,
    name: "postgres",
    async close() {
      await opened.handle.close();
      await opened.server.stop();
    },
  };
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function openPostgres(): Promise<Opened> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `centric_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dropDatabase = () =>
    withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  let handle: DatabaseHandle | undefined;
  try {
    handle = connect({ kind: "postgres", url: url.toString() }, { max: 4 });
    await migrateDatabase(handle.db);
  } catch (error) {
    await handle?.close();
    await dropDatabase();
    throw error;
  }
  const opened = handle;
  return {
    kind: "postgres",
    db: opened.db,
    pool: opened.pool,
    name,
    async close() {
      await opened.close();
      await dropDatabase();
    },
  };
}

/**
 * Declares the tests in `body` twice, in describe blocks named "<name> [pglite]"
 * and "<name> [postgres]", each with its own freshly migrated database.
 * `getDb()` returns that database; call it inside hooks and tests, not while declaring them.
 *
 *   describeEachDatabase("members", (getDb) => {
 *     beforeEach(() => truncateAllTables(getDb()));
 *     it("adds a member", async () => { const db = getDb(); ... });
 *   });
 */
export function describeEachDatabase(
  name: string,
  body: (getDb: () => Database, kind: DatabaseKind, getTestDatabase: () => TestDatabase) => void,
): void {
  for (const kind of databaseKinds) {
    describe(`${name} [${kind}]`, () => {
      let current: Opened | undefined;

      beforeAll(async () => {
        current = kind === "pglite" ? await openPglite() : await openPostgres();
      });

      afterAll(async () => {
        const closing = current;
        current = undefined;
        await closing?.close();
      });

      const getTestDatabase = () => {
        if (!current) {
          throw new Error(
            `The ${kind} database is not open: call getDb() inside a hook or a test, not while declaring them.`,
          );
        }
        return current;
      };
      body(() => getTestDatabase().db, kind, getTestDatabase);
    });
  }
}

/** Every table declared in db/schema.ts, so that a new table is covered without anyone editing this file. */
export const schemaTables: readonly PgTable[] = (Object.values(schema) as unknown[]).filter(
  (value): value is PgTable => is(value, PgTable),
);

const allTables = schemaTables
  .map((table) => getTableConfig(table))
  .map(({ schema: pgSchema, name }) =>
    pgSchema ? sql`${sql.identifier(pgSchema)}.${sql.identifier(name)}` : sql.identifier(name),
  );

/** Empties every table of db/schema.ts and restarts their sequences; for a beforeEach hook. */
export async function truncateAllTables(db: DbOrTx) {
  if (allTables.length === 0) return;
  await db.execute(sql`TRUNCATE TABLE ${sql.join(allTables, sql`, `)} RESTART IDENTITY CASCADE`);
}

import { randomBytes } from "node:crypto";
import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from "vitest";
import { connect, type Database, type DbOrTx } from "~/db/index";
import * as schema from "~/db/schema";
import { databaseUrl, TEMPLATE_DATABASE, withAdmin } from "./test-servers";

// ---------------------------------------------------------------------------
// Every database test runs twice: on the embedded PostgreSQL server (what
// `npm start` uses) and on PostgreSQL 15 (the oldest version a deployment may
// use). Each describe block gets its own freshly migrated database on both
// servers of the run (test/global-setup.ts), so test files never see each
// other's rows and can run in parallel.
// ---------------------------------------------------------------------------

export type DatabaseKind = "embedded" | "postgres";
export const databaseKinds: readonly DatabaseKind[] = ["embedded", "postgres"];

export interface TestDatabase {
  kind: DatabaseKind;
  db: Database;
  /** The node-postgres pool behind `db`, for raw SQL or a second connection. */
  pool: pg.Pool;
  /** Name of the database on its server. */
  name: string;
  /** Its connection URL, for a client of its own. */
  url: string;
}

interface Opened extends TestDatabase {
  close(): Promise<void>;
}

async function openDatabase(kind: DatabaseKind): Promise<Opened> {
  const adminUrl = inject(kind === "embedded" ? "embeddedAdminUrl" : "postgresAdminUrl");
  const name = `centric_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`),
  );
  const url = databaseUrl(adminUrl, name);
  const handle = connect(url, { max: 4 });
  return {
    kind,
    db: handle.db,
    pool: handle.pool,
    name,
    url,
    async close() {
      await handle.close();
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Declares the tests in `body` twice, in describe blocks named "<name> [embedded]"
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
        current = await openDatabase(kind);
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

/**
 * Empties every table of db/schema.ts and restarts their sequences, as TRUNCATE … RESTART IDENTITY
 * would; for a beforeEach hook. TRUNCATE gives every table and index new files, tens of milliseconds
 * for the whole schema, while a test leaves most tables empty: only the tables that hold rows are
 * emptied, by DELETE with the foreign-key triggers off (every table is emptied, so no row is left
 * pointing at a deleted one). Needs a superuser, as the test databases' connections are.
 */
export async function truncateAllTables(db: DbOrTx) {
  if (allTables.length === 0) return;
  const probe = sql.join(
    allTables.map((table, i) => sql`select ${sql.raw(String(i))} as i where exists (select from ${table})`),
    sql` union all `,
  );
  const { rows } = await db.execute<{ i: number }>(probe);
  await db.transaction(async (tx) => {
    if (rows.length > 0) {
      await tx.execute(sql`select set_config('session_replication_role', 'replica', true)`);
      for (const { i } of rows) await tx.execute(sql`delete from ${allTables[i]!}`);
      await tx.execute(sql`select set_config('session_replication_role', 'origin', true)`);
    }
    await tx.execute(
      sql`select setval(format('%I.%I', schemaname, sequencename), start_value, false)
          from pg_sequences where schemaname = 'public' and last_value is not null`,
    );
  });
}

class RolledBack extends Error {}

/**
 * Runs `work` in a transaction that is then rolled back, so the next test finds the
 * database as it was; returns what `work` returned. Transactions that `work` opens
 * become savepoints of this one.
 */
export async function rolledBack<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  await db
    .transaction(async (tx) => {
      // Code under test takes a Database; a transaction offers the same queries.
      result = { value: await work(tx as unknown as Database) };
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return result!.value;
}

/**
 * Opens a transaction before each test and rolls it back after it, so that a
 * fixture built once in beforeAll is the same for every test. Returns a getter
 * for the current test's transaction. Only for tests whose code under test uses
 * that one connection: now() stands still inside a transaction, and concurrent
 * work on it runs one query at a time.
 */
export function transactionPerTest(getDb: () => Database): () => Database {
  let open: { tx: Database; end: () => Promise<void> } | undefined;
  beforeEach(async () => {
    open = await new Promise((opened, failed) => {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const done = getDb()
        .transaction(async (tx) => {
          const end = () => {
            release();
            return done;
          };
          opened({ tx: tx as unknown as Database, end });
          await released;
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      done.catch(failed);
    });
  });
  afterEach(async () => {
    const closing = open;
    open = undefined;
    await closing?.end();
  });
  return () => {
    if (!open) throw new Error("The test's transaction is open only inside a test and its beforeEach hooks.");
    return open.tx;
  };
}

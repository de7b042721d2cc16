// `npm run import-pglite`: copies the database of an earlier Centric version,
// kept by PGlite in <data folder>/pglite, into the embedded PostgreSQL server
// of the same data folder. PGlite is fetched from the npm registry into a
// temporary folder for the copy only. The old folder is then renamed
// pglite.imported-<time>, never deleted; the copy refuses a server that
// already holds a workspace, so it never mixes two databases.
//
//   node --import tsx scripts/import-pglite.ts [--data-dir .data]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readMigrationFiles } from "drizzle-orm/migrator";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { connect } from "~/db";
import { startEmbeddedServer } from "~/db/embedded";
import { legacyPgliteDir } from "~/db/legacy-pglite";
import { migrateDatabase, migrationsFolder } from "~/db/migrate";
import { dataDir as defaultDataDir } from "~/server/env";

/** The PGlite release that earlier versions of Centric ran: its data folder format. */
const PGLITE_VERSION = "0.5.14";

interface PGliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; blob?: Blob }>;
  exec(sql: string): Promise<unknown>;
  transaction<T>(work: (tx: { exec(sql: string): Promise<unknown> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const log = (message: string) => console.log(`[import-pglite] ${message}`);

function installPglite(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "centric-pglite-"));
  log(`Fetching @electric-sql/pglite@${PGLITE_VERSION} from the npm registry into ${folder}…`);
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--prefix",
      folder,
      `@electric-sql/pglite@${PGLITE_VERSION}`,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  return folder;
}

async function openPglite(installed: string, folder: string): Promise<PGliteLike> {
  const entry = path.join(installed, "node_modules", "@electric-sql", "pglite", "dist", "index.js");
  const { PGlite } = (await import(pathToFileURL(entry).href)) as {
    PGlite: { create(dataDir: string): Promise<PGliteLike> };
  };
  return PGlite.create(folder);
}

/** Brings the old database to this version's schema with the same migrations, as drizzle's migrator would. */
async function migratePglite(source: PGliteLike) {
  const applied = await source.query<{ created_at: string }>(
    "select created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1",
  );
  const last = Number(applied.rows[0]?.created_at ?? 0);
  const pending = readMigrationFiles({ migrationsFolder }).filter((m) => m.folderMillis > last);
  for (const migration of pending) {
    await source.transaction(async (tx) => {
      for (const statement of migration.sql) if (statement.trim()) await tx.exec(statement);
      await tx.exec(
        `insert into drizzle.__drizzle_migrations (hash, created_at) values ('${migration.hash}', ${migration.folderMillis})`,
      );
    });
  }
  if (pending.length > 0) log(`Applied ${pending.length} newer migration(s) to the old database first.`);
}

interface TableColumns {
  table: string;
  columns: string[];
}

/** The public tables and their stored columns (generated ones are computed again on arrival). */
async function tablesOf(target: pg.PoolClient): Promise<TableColumns[]> {
  const result = await target.query<{ table_name: string; columns: string[] }>(`
    select c.table_name, array_agg(quote_ident(c.column_name) order by c.ordinal_position) as columns
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
    group by c.table_name order by c.table_name`);
  return result.rows.map((row) => ({ table: row.table_name, columns: row.columns }));
}

async function copyTable(source: PGliteLike, target: pg.PoolClient, { table, columns }: TableColumns) {
  const list = columns.join(", ");
  const exported = await source.query(`copy public.${table} (${list}) to '/dev/blob'`);
  const data = Buffer.from(await (exported.blob ?? new Blob([])).arrayBuffer());
  await new Promise<void>((resolve, reject) => {
    const stream = target.query(copyFrom(`copy public.${table} (${list}) from stdin`));
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end(data);
  });
  const counted = await target.query<{ n: string }>(`select count(*) as n from public.${table}`);
  return Number(counted.rows[0]?.n ?? 0);
}

/** Sequences (identity and serial columns) continue after the highest copied value. */
async function resetSequences(target: pg.PoolClient) {
  const owned = await target.query<{ seq: string; tbl: string; col: string }>(`
    select s.oid::regclass::text as seq, t.oid::regclass::text as tbl, quote_ident(a.attname) as col
    from pg_class s
    join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
    join pg_class t on t.oid = d.refobjid
    join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
    where s.relkind = 'S' and t.relnamespace = 'public'::regnamespace`);
  for (const { seq, tbl, col } of owned.rows) {
    await target.query(`select setval('${seq}', coalesce((select max(${col}) from ${tbl}), 0) + 1, false)`);
  }
}

async function main() {
  const { values } = parseArgs({ options: { "data-dir": { type: "string" } } });
  const folder = path.resolve(values["data-dir"] ?? defaultDataDir());
  const legacy = legacyPgliteDir(folder);
  if (!fs.existsSync(legacy))
    throw new Error(`There is no earlier database to import: ${legacy} does not exist.`);

  const server = await startEmbeddedServer(folder, { log });
  const handle = connect(server.url, { max: 1, applicationName: "centric-import-pglite" });
  let installed: string | undefined;
  let source: PGliteLike | undefined;
  try {
    await migrateDatabase(handle.db);
    const target = await handle.pool.connect();
    try {
      const existing = await target.query<{ n: string }>("select count(*) as n from workspaces");
      if (Number(existing.rows[0]?.n) > 0) {
        throw new Error(
          `The embedded server in ${server.clusterDir} already holds workspaces; the import copies into an empty one only. ` +
            `Move ${server.clusterDir} away (Centric stopped) and run this again.`,
        );
      }
      installed = installPglite();
      log(`Opening ${legacy}…`);
      source = await openPglite(installed, legacy);
      await migratePglite(source);

      const started = performance.now();
      await target.query("begin");
      // Tables arrive in any order: foreign keys and triggers wait until everything is in.
      await target.query("set local session_replication_role = replica");
      for (const table of await tablesOf(target)) {
        const rows = await copyTable(source, target, table);
        if (rows > 0) log(`  ${table.table}: ${rows.toLocaleString("en")} rows`);
      }
      await resetSequences(target);
      await target.query("commit");
      log(`Copied in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    } catch (error) {
      await target.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      target.release();
    }
  } finally {
    await source?.close();
    await handle.close();
    await server.stop();
    if (installed) fs.rmSync(installed, { recursive: true, force: true });
  }
  const kept = `${legacy}.imported-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  fs.renameSync(legacy, kept);
  log(
    `Done. The old folder is kept as ${kept}; delete it once you have checked your data. Start Centric with npm start.`,
  );
}

main().catch((error: unknown) => {
  console.error(`\n[import-pglite] ${(error as Error).message}\n`);
  process.exit(1);
});

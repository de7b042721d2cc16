import pg from "pg";
import { connect } from "~/db/index";
import { migrateDatabase } from "~/db/migrate";

// ---------------------------------------------------------------------------
// What the test databases are made from: on each server of the run, a database
// migrated once (TEMPLATE_DATABASE) that every test file copies with CREATE
// DATABASE … TEMPLATE, which is much faster than migrating each copy.
// ---------------------------------------------------------------------------

export const TEMPLATE_DATABASE = "centric_test_template";

export async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of `database` on the server of `adminUrl` (a TCP URL or a Unix-socket URL alike). */
export function databaseUrl(adminUrl: string, database: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the migrated template database on the server; called once per run by test/global-setup.ts. */
export async function createTemplateDatabase(adminUrl: string) {
  await withAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  const handle = connect(databaseUrl(adminUrl, TEMPLATE_DATABASE), { max: 1 });
  try {
    await migrateDatabase(handle.db);
  } finally {
    // A template must have no connections while it is copied.
    await handle.close();
  }
}

import "server-only";
import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { QueryResult, QueryResultRow } from "pg";
import type { DbOrTx } from "./index";

// The tracking API sends the same few statements for every batch. Parsing and
// planning them (large statements with several CTEs) cost the database about as
// much as running them on a batch of 50 events, so they run as named prepared
// statements: each connection parses and plans a statement once, then only
// binds and executes it. Inside a transaction on generic plans (the tracking
// API's, server/ingest/batch-state.ts) the plan is the same one it would get
// each time; elsewhere PostgreSQL plans the first five runs for their
// parameters and then keeps a generic plan only when it is no dearer.

/** Distinct statement texts that get a name; past this, statements run unnamed (a connection keeps every one it prepared). */
const MAX_NAMED = 100;
const names = new Map<string, string>();
/** Renders as `db.execute` does: the same text for the same statement shape. */
const dialect = new PgDialect();

function nameOf(text: string) {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `centric_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a statement as `db.execute` does, as a prepared statement of the
 * connection named after its text. Only for statements whose text does not
 * change with their input (lists as array parameters, not spread).
 */
export async function executePrepared<T extends QueryResultRow = Record<string, unknown>>(
  db: DbOrTx,
  query: SQL,
): Promise<QueryResult<T>> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const prepared = db._.session.prepareQuery({ sql: text, params }, undefined, nameOf(text), false);
  return (await prepared.execute()) as QueryResult<T>;
}

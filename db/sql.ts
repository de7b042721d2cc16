import { sql, type SQL } from "drizzle-orm";

// Array parameters for `= any(...)` and `unnest(...)`. Drizzle spreads a plain
// array in a sql`` template into a list of parameters, so wrap it in one param.

export function textArray(values: string[]) {
  return sql`${sql.param(values)}::text[]`;
}

export function uuidArray(values: string[]) {
  return sql`${sql.param(values)}::uuid[]`;
}

/**
 * A text as numeric when it is a plain decimal number, else null (never a cast
 * error). Plain SQL without parameters, so a generated column can use it too
 * (events.discount), and segment rules read the same number either way.
 */
export function numericOrNull(text: SQL) {
  return sql`(case when (${text}) ~ '^\\s*[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]{1,3})?\\s*$' then (${text})::numeric end)`;
}

/**
 * A workspace id that the planner does not look at when it estimates rows, so
 * it plans for a workspace of average size. Otherwise a workspace created since
 * the last ANALYZE is estimated at one row, and a scan of the whole workspace
 * looks as cheap as a key lookup; for statements that run before a transaction
 * switches to generic plans (plan_cache_mode), or without it.
 */
export function opaqueWorkspace(workspaceId: string) {
  return sql`(select ${workspaceId}::uuid)`;
}

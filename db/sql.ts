import { sql } from "drizzle-orm";

// Array parameters for `= any(...)` and `unnest(...)`. Drizzle spreads a plain
// array in a sql`` template into a list of parameters, so wrap it in one param.

export function textArray(values: string[]) {
  return sql`${sql.param(values)}::text[]`;
}

export function uuidArray(values: string[]) {
  return sql`${sql.param(values)}::uuid[]`;
}

import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { numericOrNull, textArray } from "~/db/sql";
import type { ValueTest } from "../rules";
import { cmp, num, param } from "./fragments";

// A test of one value (a trait, a column, an event property) as SQL: equality,
// text patterns, numbers and dates, each a bind parameter.

/** `abc` → `%abc%` (or `abc%`) with LIKE's own wildcards taken literally. */
function likePattern(value: string, prefix: boolean) {
  const escaped = value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return prefix ? `${escaped}%` : `%${escaped}%`;
}

/** YYYY-MM-DD of a trait or property, compared as text (lexical = chronological), so a malformed date is no match rather than an error. */
function dayOf(text: SQL) {
  return sql`(case when (${text}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then left((${text}), 10) end)`;
}

/** `numeric`: the value already as numeric (numericOrNull of the text), e.g. a typed column. */
export function compileTest(test: ValueTest, value: { text: SQL; json?: SQL; numeric?: SQL }): SQL {
  const { text, json } = value;
  const numeric = value.numeric ?? numericOrNull(text);
  switch (test.op) {
    case "equals":
    case "notEquals": {
      let equal: SQL;
      if (typeof test.value === "string") equal = sql`lower(${text}) = lower(${param(test.value)})`;
      else if (typeof test.value === "number") equal = sql`${numeric} = ${num(test.value)}`;
      else equal = json ? sql`${json} = ${sql`${JSON.stringify(test.value)}::jsonb`}` : sql`false`;
      return test.op === "equals" ? equal : sql`${text} is not null and not coalesce(${equal}, false)`;
    }
    case "contains":
    case "startsWith":
      return sql`${text} ilike ${param(likePattern(test.value, test.op === "startsWith"))}`;
    case "in":
      return sql`lower(${text}) = any(${textArray(test.values.map((v) => v.toLowerCase()))})`;
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return sql`${numeric} ${cmp(test.op)} ${num(test.value)}`;
    case "before":
    case "after":
      return sql`${dayOf(text)} ${sql.raw(test.op === "before" ? "<" : ">")} ${param(test.value.slice(0, 10))}`;
    case "isSet":
      return sql`coalesce(${text}, '') <> ''`;
    case "isNotSet":
      return sql`coalesce(${text}, '') = ''`;
  }
}

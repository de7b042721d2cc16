import "server-only";
import { sql, type SQL } from "drizzle-orm";

// The pieces every condition is made of: values as bind parameters with their
// casts, comparison operators, and sets of customer ids tested against `c.id`.

export function param(value: string) {
  return sql`${value}::text`;
}

export function num(value: number) {
  return sql`${value}::numeric`;
}

/** A count bound (validated as a whole number), compared without casting every count to numeric. */
export function int(value: number) {
  return sql`${value}::bigint`;
}

export function cmp(op: "gt" | "gte" | "lt" | "lte" | "equals") {
  return sql.raw({ gt: ">", gte: ">=", lt: "<", lte: "<=", equals: "=" }[op]);
}

export function compare(a: number, op: "gt" | "gte" | "lt" | "lte" | "equals", b: number) {
  return { gt: a > b, gte: a >= b, lt: a < b, lte: a <= b, equals: a === b }[op];
}

/**
 * A set of customers as a query of their ids. `excluded`: the condition holds
 * for the customers not in it. "everyone": it holds for every customer.
 */
export type IdSet = { ids: SQL; excluded: boolean; standing?: boolean } | "everyone";

export function membership(set: IdSet) {
  if (set === "everyone") return sql`true`;
  return set.excluded ? sql`not (c.id in (${set.ids}))` : sql`c.id in (${set.ids})`;
}

/**
 * The customers in `from` (a FROM clause with a customer_id column, e.g.
 * `events e where …`) whose rows pass `having`, as one uncorrelated scan.
 * `zeroPasses`: a customer without rows passes too, so the set is of those
 * whose rows fail the test, excluded.
 */
export function groupedIds(from: SQL, having: SQL | undefined, zeroPasses: boolean): IdSet {
  if (having === undefined)
    return zeroPasses ? "everyone" : { ids: sql`select customer_id from ${from}`, excluded: false };
  if (!zeroPasses)
    return {
      ids: sql`select customer_id from ${from} group by customer_id having ${having}`,
      excluded: false,
    };
  return {
    ids: sql`select customer_id from ${from} group by customer_id having not coalesce(${having}, false)`,
    excluded: true,
  };
}

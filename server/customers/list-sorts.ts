import "server-only";
import { isNotNull, isNull, sql } from "drizzle-orm";
import { customers, customerValues } from "~/db/schema";
import { filtersOnValues, type ListCustomersFilters } from "./list-filters";

// How the customer list sorts and pages, each sort on an index of db/schema.ts
// (see ./queries.ts). Rows with a sort value come first in index order, paged
// by keyset on (sort value, id); rows without one (never seen, no name, no
// value) follow in id order.

export const customerSorts = ["lastSeen", "name", "value", "alive"] as const;
export type CustomerSort = (typeof customerSorts)[number];

/** The sorts that read customer_values, which is then the driving table. */
export function sortsByValue(sort: CustomerSort): sort is "value" | "alive" {
  return sort === "value" || sort === "alive";
}

function lowerName() {
  return sql<string | null>`lower(${customers.name})`;
}

/** The sort value as Postgres text, which a page's cursor carries. */
export function sortKey(sort: CustomerSort) {
  return {
    name: lowerName(),
    lastSeen: sql<string | null>`${customers.lastSeenAt}::text`,
    value: sql<string | null>`${customerValues.clv}::text`,
    alive: sql<string | null>`${customerValues.pAlive}::text`,
  }[sort];
}

/**
 * The rows with a sort value after the cursor's (or all of them): the keyset
 * condition and the order. `searching`: the rows are a search's matches.
 */
export function keysetAfter(
  sort: CustomerSort,
  afterKey: { v: string; id: string } | undefined,
  searching: boolean,
) {
  if (sortsByValue(sort)) {
    const column = sort === "value" ? customerValues.clv : customerValues.pAlive;
    const keyset = afterKey
      ? sql`${column} <= ${afterKey.v}::float8 and (${column} < ${afterKey.v}::float8 or ${customerValues.customerId} > ${afterKey.id})`
      : isNotNull(column);
    // As below: with a search, "+ 0" keeps the planner off the sort index.
    const order = [
      searching ? sql`(${column} + 0) desc nulls last` : sql`${column} desc nulls last`,
      customerValues.customerId,
    ];
    return { keyset, order };
  }
  const name = lowerName();
  const keyset =
    sort === "name"
      ? afterKey
        ? sql`${name} ~>=~ ${afterKey.v} and (${name} ~>~ ${afterKey.v} or ${customers.id} > ${afterKey.id})`
        : sql`${name} is not null`
      : afterKey
        ? sql`${customers.lastSeenAt} <= ${afterKey.v}::timestamptz and (${customers.lastSeenAt} < ${afterKey.v}::timestamptz or ${customers.id} > ${afterKey.id})`
        : isNotNull(customers.lastSeenAt);
  // With a search the matches (at most a few thousand) are fetched by primary key and
  // sorted. The sort index must not be used then, or the planner may walk it end to
  // end testing each row against the match list; "|| ''" and "+ interval '0'" change
  // no value, only hide the index.
  const order =
    sort === "name"
      ? [searching ? sql`(${name} || '') using ~<~` : sql`${name} using ~<~`, customers.id]
      : [
          searching
            ? sql`(${customers.lastSeenAt} + interval '0') desc nulls last`
            : sql`${customers.lastSeenAt} desc nulls last`,
          customers.id,
        ];
  return { keyset, order };
}

/** The rows without a sort value, which follow in id order. */
export function withoutSortValue(sort: CustomerSort) {
  return {
    // The raw column, not lower(name): the planner then walks the primary key in id order.
    name: isNull(customers.name),
    lastSeen: isNull(customers.lastSeenAt),
    value: isNull(customerValues.clv),
    alive: isNull(customerValues.customerId),
  }[sort];
}

/**
 * Whether a row without a sort value can pass the filters: a last-seen filter
 * rules out profiles never seen; a value filter, customers without a value.
 */
export function rowsWithoutSortValuePass(sort: CustomerSort, filters: Omit<ListCustomersFilters, "search">) {
  const valueFilter = filtersOnValues(filters);
  return {
    name: true,
    lastSeen:
      filters.lastSeenWithinDays === undefined && filters.lastSeenBefore === undefined && !valueFilter,
    value: filters.minClv === undefined,
    alive: !valueFilter,
  }[sort];
}

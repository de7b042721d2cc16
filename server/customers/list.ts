import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { customers, customerValues, identities } from "~/db/schema";
import type { IdentityKind } from "~/db/enums";
import type { RfmGroup } from "~/server/valuation/types";
import { decodeListCursor, encodeCursor, type ListCursor } from "./cursors";
import { filtersOnValues, listConditions, type ListCustomersFilters } from "./list-filters";
import { findSearchMatches, MAX_SEARCH_MATCHES } from "./list-search";
import {
  keysetAfter,
  rowsWithoutSortValuePass,
  sortKey,
  sortsByValue,
  withoutSortValue,
  type CustomerSort,
} from "./list-sorts";
import { channelMix } from "./queries";

// The customer list, in steps: the search's matches (./list-search.ts), the
// WHERE (./list-filters.ts), the page in sort order (./list-sorts.ts), then the
// page's values and fallback identifiers, read for its rows alone.

export const CUSTOMER_PAGE_SIZE = 50;

export async function listCustomers({
  db,
  workspaceId,
  sort = "lastSeen",
  cursor,
  limit = CUSTOMER_PAGE_SIZE,
  now = new Date(),
  maxSearchMatches = MAX_SEARCH_MATCHES,
  ...filters
}: ListCustomersFilters & {
  db: DbOrTx;
  workspaceId: string;
  sort?: CustomerSort;
  cursor?: string;
  limit?: number;
  now?: Date;
  maxSearchMatches?: number;
}) {
  const after = cursor ? decodeListCursor(cursor, sort) : undefined;
  const search = filters.search?.trim();
  const matches = search ? await findSearchMatches(db, workspaceId, search, maxSearchMatches) : undefined;
  const broadSearch = matches?.broad ?? false;
  if (matches && matches.ids.length === 0) {
    return { customers: [], nextCursor: undefined, broadSearch, searchLimit: maxSearchMatches };
  }
  const query = pageQueries(db, {
    workspaceId,
    sort,
    limit,
    matchIds: matches?.ids,
    filters,
    now,
  });
  const rows = await rowsAfter(query, after, limit, rowsWithoutSortValuePass(sort, filters));

  const page = query.joinValues
    ? rows.slice(0, limit)
    : await withPageValues(db, workspaceId, rows.slice(0, limit));
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ s: sort, v: last.sortKey, id: last.id }) : undefined;

  const fallbackIds = await primaryIdentifiers(
    db,
    workspaceId,
    page.filter((row) => !row.name && !row.email).map((row) => row.id),
  );
  return {
    customers: page.map(({ sortKey: _sortKey, channelCounts, ...row }) => ({
      ...row,
      channels: channelMix(channelCounts).map((c) => c.channel),
      identifier: fallbackIds.get(row.id) ?? null,
    })),
    nextCursor,
    /** The search matched more profiles than `searchLimit`, and only that many were sorted: ask for a longer search. */
    broadSearch,
    searchLimit: maxSearchMatches,
  };
}

/**
 * The two queries of a page: `keyed`, the rows with a sort value in index
 * order, and `unkeyed`, the rows without one in id order. Each is its own
 * index scan, so a page that straddles the two runs both.
 */
function pageQueries(
  db: DbOrTx,
  {
    workspaceId,
    sort,
    limit,
    matchIds,
    filters,
    now,
  }: {
    workspaceId: string;
    sort: CustomerSort;
    limit: number;
    matchIds: string[] | undefined;
    filters: Omit<ListCustomersFilters, "search">;
    now: Date;
  },
) {
  const where = listConditions(workspaceId, matchIds, filters, now);
  const columns = {
    id: customers.id,
    name: customers.name,
    email: customers.email,
    phone: customers.phone,
    channelCounts: customers.channelCounts,
    eventCount: customers.eventCount,
    purchaseCount: customers.purchaseCount,
    totalSpend: customers.totalSpend,
    firstSeenAt: customers.firstSeenAt,
    lastSeenAt: customers.lastSeenAt,
    clv: customerValues.clv,
    pAlive: customerValues.pAlive,
    rfmGroup: customerValues.rfmGroup,
    sortKey: sortKey(sort),
  };
  const valueOfCustomer = and(
    eq(customerValues.workspaceId, customers.workspaceId),
    eq(customerValues.customerId, customers.id),
  );
  // The value columns are joined in the query only when it sorts or filters by them;
  // otherwise the page's values are read afterwards, for its rows alone (a search
  // sorts up to MAX_SEARCH_MATCHES rows, and joining them all doubled its reads).
  const joinValues = sortsByValue(sort) || filtersOnValues(filters);
  const joined = () => db.select(columns).from(customers).leftJoin(customerValues, valueOfCustomer);
  const withValues = () =>
    joinValues
      ? joined()
      : // Same rows and columns (values null until withPageValues), so it can stand for the joined query.
        (db
          .select({
            ...columns,
            clv: sql<number | null>`null`,
            pAlive: sql<number | null>`null`,
            rfmGroup: sql<null>`null`,
          })
          .from(customers) as unknown as ReturnType<typeof joined>);

  const keyed = (afterKey?: { v: string; id: string }) => {
    const { keyset, order } = keysetAfter(sort, afterKey, matchIds !== undefined);
    if (sortsByValue(sort)) {
      return db
        .select(columns)
        .from(customerValues)
        .innerJoin(customers, valueOfCustomer)
        .where(and(eq(customerValues.workspaceId, workspaceId), ...where, keyset))
        .orderBy(...order)
        .limit(limit + 1);
    }
    return withValues()
      .where(and(...where, keyset))
      .orderBy(...order)
      .limit(limit + 1);
  };
  const unkeyed = (afterId: string | undefined, take: number) =>
    withValues()
      .where(and(...where, withoutSortValue(sort), afterId ? sql`${customers.id} > ${afterId}` : undefined))
      .orderBy(customers.id)
      .limit(take);
  return { keyed, unkeyed, joinValues };
}

type PageQueries = ReturnType<typeof pageQueries>;

/**
 * Up to `limit + 1` rows after the cursor (one more than the page, to know
 * whether another follows): the rows with a sort value, then, when they run
 * out and rows without one can pass the filters, those.
 */
async function rowsAfter(
  { keyed, unkeyed }: PageQueries,
  after: ListCursor | undefined,
  limit: number,
  unkeyedPossible: boolean,
) {
  if (after && after.v === null) return unkeyed(after.id, limit + 1);
  // Typed as the left-joined rows (values may be null), which the inner join's rows are too.
  const rows: Awaited<ReturnType<PageQueries["unkeyed"]>> = await keyed(
    after && after.v !== null ? { v: after.v, id: after.id } : undefined,
  );
  if (rows.length <= limit && unkeyedPossible) {
    return rows.concat(await unkeyed(undefined, limit + 1 - rows.length));
  }
  return rows;
}

/** The value columns of a page of customers listed without the join. */
async function withPageValues<
  Row extends { id: string; clv: number | null; pAlive: number | null; rfmGroup: RfmGroup | null },
>(db: DbOrTx, workspaceId: string, page: Row[]): Promise<Row[]> {
  if (page.length === 0) return page;
  const values = await db
    .select({
      id: customerValues.customerId,
      clv: customerValues.clv,
      pAlive: customerValues.pAlive,
      rfmGroup: customerValues.rfmGroup,
    })
    .from(customerValues)
    .where(
      and(
        eq(customerValues.workspaceId, workspaceId),
        inArray(
          customerValues.customerId,
          page.map((row) => row.id),
        ),
      ),
    );
  const byId = new Map(values.map((v) => [v.id, v]));
  return page.map((row) => {
    const value = byId.get(row.id);
    return value ? { ...row, clv: value.clv, pAlive: value.pAlive, rfmGroup: value.rfmGroup } : row;
  });
}

/** For profiles with neither name nor email: one identifier to show instead (user id first). */
async function primaryIdentifiers(db: DbOrTx, workspaceId: string, customerIds: string[]) {
  if (customerIds.length === 0) return new Map<string, { kind: IdentityKind; value: string }>();
  const rows = await db
    .selectDistinctOn([identities.customerId], {
      customerId: identities.customerId,
      kind: identities.kind,
      value: identities.value,
    })
    .from(identities)
    .where(and(eq(identities.workspaceId, workspaceId), inArray(identities.customerId, customerIds)))
    .orderBy(identities.customerId, identities.kind, identities.firstSeenAt);
  return new Map(rows.map((row) => [row.customerId, { kind: row.kind, value: row.value }]));
}

import "server-only";
import { and, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "~/db";
import { customers, customerValues, events, identities, identityMerges, users } from "~/db/schema";
import { channels, type Channel, type EventType, type IdentityKind } from "~/db/enums";
import { NotFoundError, RuleError } from "~/server/errors";
import type { RfmGroup } from "~/server/valuation/types";

// Reads behind the customer list and the customer page. Every path is built to
// ride an index of db/schema.ts, so it stays fast at a million customers:
//
//   list, sort by last seen  customers_recent_idx (workspace_id, last_seen_at desc nulls last, id)
//   list, sort by name       customers_name_idx (workspace_id, lower(name) text_pattern_ops), read in
//                            text_pattern_ops order (USING ~<~); unnamed profiles follow, by primary key
//   list, sort by value      customer_values_clv_idx (workspace_id, clv desc nulls last, customer_id), joined
//                            to customers by primary key; customers without a value follow, by primary key
//   list, sort by P(alive)   customer_values_alive_idx (workspace_id, p_alive desc nulls last, customer_id), likewise
//   search                   customers_name_idx / customers_email_idx / identities_value_idx, prefix ranges
//   timeline                 events_timeline_idx (workspace_id, customer_id, timestamp desc, id desc)
//
// Sorting by total spend or event count is not offered: it would need
// (workspace_id, total_spend desc, id) / (workspace_id, event_count desc, id) indexes.
// Pagination is keyset everywhere; cursors carry the sort value as Postgres
// text, so microsecond timestamps survive the trip through JavaScript.

export const CUSTOMER_PAGE_SIZE = 50;
export const TIMELINE_PAGE_SIZE = 50;

export const customerSorts = ["lastSeen", "name", "value", "alive"] as const;
export type CustomerSort = (typeof customerSorts)[number];

// ---------------------------------------------------------------------------
// Cursors: opaque to callers, base64url JSON inside.
// ---------------------------------------------------------------------------

interface ListCursor {
  /** The sort it belongs to; a cursor from another sort is refused. */
  s: CustomerSort;
  /** The sort value of the last row (Postgres text), or null once in the rows without one. */
  v: string | null;
  id: string;
}

interface TimelineCursor {
  /** The last row's timestamp as Postgres text (microseconds kept). */
  t: string;
  id: number;
}

function encodeCursor(value: ListCursor | TimelineCursor) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeListCursor(cursor: string, sort: CustomerSort): ListCursor {
  const value = decodeCursor(cursor) as Partial<ListCursor> | null;
  if (
    !value ||
    value.s !== sort ||
    (value.v !== null && typeof value.v !== "string") ||
    typeof value.id !== "string" ||
    !UUID.test(value.id) ||
    (sort === "lastSeen" && typeof value.v === "string" && Number.isNaN(Date.parse(value.v))) ||
    ((sort === "value" || sort === "alive") && typeof value.v === "string" && !isFloatText(value.v))
  ) {
    throw new RuleError("That page of customers is out of date: start the list again.");
  }
  return { s: value.s, v: value.v, id: value.id };
}

function decodeTimelineCursor(cursor: string): TimelineCursor {
  const value = decodeCursor(cursor) as Partial<TimelineCursor> | null;
  if (
    !value ||
    typeof value.t !== "string" ||
    !Number.isSafeInteger(value.id) ||
    Number.isNaN(Date.parse(value.t))
  ) {
    throw new RuleError("That page of the timeline is out of date: reload it.");
  }
  return { t: value.t, id: value.id as number };
}

/** Postgres float8 text output (shortest exact), as the value sorts' cursors carry it. */
function isFloatText(text: string) {
  return /^-?(\d+(\.\d*)?(e[+-]?\d+)?|Infinity)$/i.test(text);
}

/** `abc` → `abc%` with LIKE's own wildcards taken literally. */
function prefixPattern(text: string) {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// ---------------------------------------------------------------------------
// The customer list
// ---------------------------------------------------------------------------

export interface ListCustomersFilters {
  /** Name or email prefix (any case), or an identifier: user id, anonymous id, email, phone (exact or prefix). */
  search?: string;
  /** Customers with at least one event on this channel. */
  channel?: Channel;
  lastSeenWithinDays?: number;
  lastSeenBefore?: Date;
  /** Total spend at least this much. */
  minSpend?: number;
  /** In this RFM group at the latest fit. */
  rfmGroup?: RfmGroup;
  /** Customer lifetime value at least this much. */
  minClv?: number;
  /** Members of this segment (its materialised membership). */
  segmentId?: string;
}

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
  // The search runs first, as index range scans, and hands its matches on as ids.
  const search = filters.search?.trim();
  let matchIds: string[] | undefined;
  let broadSearch = false;
  if (search) {
    const result = await db.execute<{ id: string }>(searchMatches(workspaceId, search, maxSearchMatches + 1));
    const ids = [...new Set(result.rows.map((row) => row.id))];
    broadSearch = result.rows.length > maxSearchMatches;
    matchIds = ids.slice(0, maxSearchMatches);
    if (matchIds.length === 0) {
      return { customers: [], nextCursor: undefined, broadSearch, searchLimit: maxSearchMatches };
    }
  }
  const where = [
    eq(customers.workspaceId, workspaceId),
    isNull(customers.mergedInto),
    matchIds ? sql`${customers.id} = any(${`{${matchIds.join(",")}}`}::uuid[])` : undefined,
    ...filterConditions(filters, now),
  ];

  const lowerName = sql<string | null>`lower(${customers.name})`;
  const sortKey = {
    name: lowerName,
    lastSeen: sql<string | null>`${customers.lastSeenAt}::text`,
    value: sql<string | null>`${customerValues.clv}::text`,
    alive: sql<string | null>`${customerValues.pAlive}::text`,
  }[sort];
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
    sortKey,
  };
  const valueOfCustomer = and(
    eq(customerValues.workspaceId, customers.workspaceId),
    eq(customerValues.customerId, customers.id),
  );
  // The value columns are joined in the query only when it sorts or filters by them;
  // otherwise the page's values are read afterwards, for its rows alone (a search
  // sorts up to MAX_SEARCH_MATCHES rows, and joining them all doubled its reads).
  const valueFilter = filters.rfmGroup !== undefined || filters.minClv !== undefined;
  const joinValues = sort === "value" || sort === "alive" || valueFilter;
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

  // Rows with a sort value come first in index order; rows without one (never
  // seen, no name, no value) follow in id order. Each part is its own index
  // scan, so a page that straddles the two runs both.
  const keyed = (afterKey?: { v: string; id: string }) => {
    if (sort === "value" || sort === "alive") {
      const column = sort === "value" ? customerValues.clv : customerValues.pAlive;
      const keyset = afterKey
        ? sql`${column} <= ${afterKey.v}::float8 and (${column} < ${afterKey.v}::float8 or ${customerValues.customerId} > ${afterKey.id})`
        : isNotNull(column);
      // As below: with a search, "+ 0" keeps the planner off the sort index.
      const order = [
        matchIds ? sql`(${column} + 0) desc nulls last` : sql`${column} desc nulls last`,
        customerValues.customerId,
      ];
      return db
        .select(columns)
        .from(customerValues)
        .innerJoin(customers, valueOfCustomer)
        .where(and(eq(customerValues.workspaceId, workspaceId), ...where, keyset))
        .orderBy(...order)
        .limit(limit + 1);
    }
    const keyset =
      sort === "name"
        ? afterKey
          ? sql`${lowerName} ~>=~ ${afterKey.v} and (${lowerName} ~>~ ${afterKey.v} or ${customers.id} > ${afterKey.id})`
          : sql`${lowerName} is not null`
        : afterKey
          ? sql`${customers.lastSeenAt} <= ${afterKey.v}::timestamptz and (${customers.lastSeenAt} < ${afterKey.v}::timestamptz or ${customers.id} > ${afterKey.id})`
          : isNotNull(customers.lastSeenAt);
    // With a search the matches (at most a few thousand) are fetched by primary key and
    // sorted. The sort index must not be used then, or the planner may walk it end to
    // end testing each row against the match list; "|| ''" and "+ interval '0'" change
    // no value, only hide the index.
    const order =
      sort === "name"
        ? [matchIds ? sql`(${lowerName} || '') using ~<~` : sql`${lowerName} using ~<~`, customers.id]
        : [
            matchIds
              ? sql`(${customers.lastSeenAt} + interval '0') desc nulls last`
              : sql`${customers.lastSeenAt} desc nulls last`,
            customers.id,
          ];
    return withValues()
      .where(and(...where, keyset))
      .orderBy(...order)
      .limit(limit + 1);
  };
  const withoutSortValue = {
    // The raw column, not lower(name): the planner then walks the primary key in id order.
    name: isNull(customers.name),
    lastSeen: isNull(customers.lastSeenAt),
    value: isNull(customerValues.clv),
    alive: isNull(customerValues.customerId),
  }[sort];
  const unkeyed = (afterId: string | undefined, take: number) =>
    withValues()
      .where(and(...where, withoutSortValue, afterId ? sql`${customers.id} > ${afterId}` : undefined))
      .orderBy(customers.id)
      .limit(take);

  // Filters that rows without a sort value cannot pass: a last-seen filter rules out
  // profiles never seen; a value filter, customers without a value.
  const unkeyedPossible = {
    name: true,
    lastSeen:
      filters.lastSeenWithinDays === undefined && filters.lastSeenBefore === undefined && !valueFilter,
    value: filters.minClv === undefined,
    alive: !valueFilter,
  }[sort];

  let rows: Awaited<ReturnType<typeof unkeyed>>;
  if (after && after.v === null) {
    rows = await unkeyed(after.id, limit + 1);
  } else {
    rows = await keyed(after && after.v !== null ? { v: after.v, id: after.id } : undefined);
    if (rows.length <= limit && unkeyedPossible) {
      rows = rows.concat(await unkeyed(undefined, limit + 1 - rows.length));
    }
  }

  const page = joinValues
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

/**
 * Search matches are capped: a one-letter search can match a large share of a
 * million profiles, and sorting them all would be a scan. The cap keeps every
 * search an index range scan plus at most this many primary-key lookups; the
 * list then says the search is broad and asks for more letters. (Going through
 * the sort index and testing each profile instead is fast only when matches are
 * dense and the sort agrees; a name sort with a late-alphabet search took seconds.)
 * Each match costs about two heap reads (its id, then its row for the sort), so
 * the cap sets the cost of a broad search (docs/benchmarks.md#search). A
 * thousand sorted matches is more than anyone reads.
 */
export const MAX_SEARCH_MATCHES = 1000;

/** Ids of customers whose name or email starts with the text (any case), or with an identifier that does. */
function searchMatches(workspaceId: string, search: string, cap: number) {
  const lower = prefixPattern(search.toLowerCase());
  const asTyped = prefixPattern(search);
  // Three index range scans; an OR across them would defeat the indexes.
  return sql`select m.id from (
      select by_name.id from ${customers} by_name
        where by_name.workspace_id = ${workspaceId} and lower(by_name.name) like ${lower}
      union all
      select by_email.id from ${customers} by_email
        where by_email.workspace_id = ${workspaceId} and lower(by_email.email) like ${lower}
      union all
      select ids.customer_id from ${identities} ids
        where ids.workspace_id = ${workspaceId} and ${
          // Identifiers keep their case: match as typed and in lower case (one range scan when they agree).
          asTyped === lower
            ? sql`ids.value like ${lower}`
            : sql`(ids.value like ${asTyped} or ids.value like ${lower})`
        }
    ) m limit ${cap}`;
}

function filterConditions(filters: Omit<ListCustomersFilters, "search">, now: Date): SQL[] {
  const conditions: SQL[] = [];
  if (filters.channel) {
    conditions.push(sql`coalesce((${customers.channelCounts} ->> ${filters.channel})::numeric, 0) > 0`);
  }
  if (filters.lastSeenWithinDays !== undefined) {
    const since = new Date(now.getTime() - filters.lastSeenWithinDays * 24 * 3600 * 1000);
    conditions.push(sql`${customers.lastSeenAt} >= ${since.toISOString()}::timestamptz`);
  }
  if (filters.lastSeenBefore) {
    conditions.push(sql`${customers.lastSeenAt} < ${filters.lastSeenBefore.toISOString()}::timestamptz`);
  }
  if (filters.minSpend !== undefined) {
    conditions.push(sql`${customers.totalSpend} >= ${filters.minSpend}`);
  }
  if (filters.rfmGroup !== undefined) conditions.push(eq(customerValues.rfmGroup, filters.rfmGroup));
  if (filters.minClv !== undefined) conditions.push(sql`${customerValues.clv} >= ${filters.minClv}`);
  if (filters.segmentId !== undefined) {
    conditions.push(sql`exists (select 1 from segment_members sm where sm.workspace_id = ${customers.workspaceId}
      and sm.segment_id = ${filters.segmentId}::uuid and sm.customer_id = ${customers.id})`);
  }
  return conditions;
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

/** Channels with events, most used first, with each one's share of the events. */
export function channelMix(counts: Partial<Record<Channel, number>>) {
  const entries = channels
    .map((channel) => ({ channel, count: Number(counts[channel] ?? 0) }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count);
  const total = entries.reduce((sum, entry) => sum + entry.count, 0);
  return entries.map((entry) => ({ ...entry, share: total > 0 ? entry.count / total : 0 }));
}

// ---------------------------------------------------------------------------
// One customer
// ---------------------------------------------------------------------------

/**
 * Newest first, exactly as events_timeline_idx is declared (DESC NULLS LAST):
 * a plain DESC means NULLS FIRST, which the index cannot serve, and Postgres
 * then walks every event of the workspace by time instead.
 */
const timelineOrder = [sql`${events.timestamp} desc nulls last`, sql`${events.id} desc nulls last`] as const;

const MAX_IDENTITIES = 200;
const MAX_MERGES = 100;
/** Event names for the timeline's filter come from this many of the newest events. */
const EVENT_NAME_SAMPLE = 5000;

export async function getCustomer({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }) {
  const [customer] = await db
    .select({
      id: customers.id,
      mergedInto: customers.mergedInto,
      name: customers.name,
      email: customers.email,
      phone: customers.phone,
      traits: customers.traits,
      firstSeenAt: customers.firstSeenAt,
      lastSeenAt: customers.lastSeenAt,
      eventCount: customers.eventCount,
      purchaseCount: customers.purchaseCount,
      totalSpend: customers.totalSpend,
      channelCounts: customers.channelCounts,
      createdAt: customers.createdAt,
    })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)));
  if (!customer) throw new NotFoundError("No such customer in this workspace.");
  if (customer.mergedInto) {
    return { mergedInto: await finalSurvivor(db, workspaceId, customer.mergedInto) } as const;
  }

  const [identityRows, [identityTotal], merges, spendDates, eventNames] = await Promise.all([
    db
      .select({
        kind: identities.kind,
        value: identities.value,
        source: identities.source,
        firstSeenAt: identities.firstSeenAt,
        profileId: identities.profileId,
      })
      .from(identities)
      .where(and(eq(identities.workspaceId, workspaceId), eq(identities.customerId, id)))
      .orderBy(identities.kind, identities.firstSeenAt, identities.value)
      .limit(MAX_IDENTITIES),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(identities)
      .where(and(eq(identities.workspaceId, workspaceId), eq(identities.customerId, id))),
    mergeHistory(db, workspaceId, id),
    customer.purchaseCount > 0 ? purchaseDates(db, workspaceId, id) : { first: null, last: null },
    recentEventNames(db, workspaceId, id),
  ]);

  const { channelCounts, mergedInto: _mergedInto, ...profile } = customer;
  return {
    mergedInto: null,
    profile,
    identities: identityRows.map((row) => ({ ...row, fromMergedProfile: row.profileId !== id })),
    identityCount: identityTotal?.count ?? identityRows.length,
    merges,
    channelMix: channelMix(channelCounts),
    spend: {
      purchases: customer.purchaseCount,
      total: customer.totalSpend,
      averageOrder: customer.purchaseCount > 0 ? customer.totalSpend / customer.purchaseCount : null,
      firstPurchaseAt: spendDates.first,
      lastPurchaseAt: spendDates.last,
    },
    eventNames,
  };
}

/** A profile merged into one that was later merged again: follow to the one that stands. */
async function finalSurvivor(db: DbOrTx, workspaceId: string, startId: string) {
  let current = startId;
  for (let hop = 0; hop < 20; hop++) {
    const [row] = await db
      .select({ mergedInto: customers.mergedInto })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, current)));
    if (!row?.mergedInto) return current;
    current = row.mergedInto;
  }
  return current;
}

async function mergeHistory(db: DbOrTx, workspaceId: string, id: string) {
  const actor = alias(users, "actor");
  const undoer = alias(users, "undoer");
  const other = alias(customers, "other");
  const otherId = sql`case when ${identityMerges.survivorId} = ${id} then ${identityMerges.mergedId} else ${identityMerges.survivorId} end`;
  const rows = await db
    .select({
      id: identityMerges.id,
      survivorId: identityMerges.survivorId,
      mergedId: identityMerges.mergedId,
      reason: identityMerges.reason,
      identityKind: identityMerges.identityKind,
      identityValue: identityMerges.identityValue,
      messageId: identityMerges.messageId,
      createdAt: identityMerges.createdAt,
      undoneAt: identityMerges.undoneAt,
      actorName: actor.name,
      undoneByName: undoer.name,
      otherName: other.name,
      otherEmail: other.email,
    })
    .from(identityMerges)
    .leftJoin(actor, eq(actor.id, identityMerges.actorUserId))
    .leftJoin(undoer, eq(undoer.id, identityMerges.undoneBy))
    .leftJoin(other, and(eq(other.workspaceId, identityMerges.workspaceId), sql`${other.id} = ${otherId}`))
    .where(
      and(
        eq(identityMerges.workspaceId, workspaceId),
        or(eq(identityMerges.survivorId, id), eq(identityMerges.mergedId, id)),
      ),
    )
    .orderBy(desc(identityMerges.createdAt), desc(identityMerges.id))
    .limit(MAX_MERGES);
  return rows.map(({ survivorId, mergedId, otherName, otherEmail, ...row }) => ({
    ...row,
    /** "absorbed": the other profile joined this one; "mergedInto": this one joined the other. */
    direction: survivorId === id ? ("absorbed" as const) : ("mergedInto" as const),
    otherProfile: { id: survivorId === id ? mergedId : survivorId, name: otherName, email: otherEmail },
    undone: row.undoneAt !== null,
  }));
}

async function purchaseDates(db: DbOrTx, workspaceId: string, customerId: string) {
  // Two short walks of the timeline index from either end, instead of a scan of every event.
  const edge = (direction: "asc" | "desc") =>
    db
      .select({ timestamp: events.timestamp })
      .from(events)
      .where(
        and(eq(events.workspaceId, workspaceId), eq(events.customerId, customerId), isNotNull(events.amount)),
      )
      .orderBy(direction === "desc" ? timelineOrder[0] : sql`${events.timestamp} asc nulls first`)
      .limit(1);
  const [[first], [last]] = await Promise.all([edge("asc"), edge("desc")]);
  return { first: first?.timestamp ?? null, last: last?.timestamp ?? null };
}

async function recentEventNames(db: DbOrTx, workspaceId: string, customerId: string) {
  const recent = db
    .select({ event: events.event })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.customerId, customerId)))
    .orderBy(...timelineOrder)
    .limit(EVENT_NAME_SAMPLE)
    .as("recent");
  return db
    .select({ event: sql<string>`${recent.event}`, count: sql<number>`count(*)::int` })
    .from(recent)
    .where(isNotNull(recent.event))
    .groupBy(recent.event)
    .orderBy(sql`count(*) desc`, recent.event)
    .limit(100);
}

// ---------------------------------------------------------------------------
// The timeline
// ---------------------------------------------------------------------------

export interface TimelineFilters {
  channels?: Channel[];
  types?: EventType[];
  /** Event names (track events, page and screen names). */
  events?: string[];
  /** From this moment on (inclusive). */
  from?: Date;
  /** Before this moment (exclusive). */
  to?: Date;
}

/** Property keys that name what an event was about, best first (Segment's spec names, then common ones). */
const SUMMARY_KEYS = [
  "title",
  "subject",
  "email_subject",
  "name",
  "product_name",
  "product",
  "post_title",
  "reason",
  "query",
  "store",
  "campaign",
  "campaign_name",
  "path",
  "url",
  "order_id",
  "orderId",
] as const;

export async function listTimeline({
  db,
  workspaceId,
  customerId,
  cursor,
  limit = TIMELINE_PAGE_SIZE,
  ...filters
}: TimelineFilters & {
  db: DbOrTx;
  workspaceId: string;
  customerId: string;
  cursor?: string;
  limit?: number;
}) {
  const after = cursor ? decodeTimelineCursor(cursor) : undefined;
  const rows = await db
    .select({
      id: events.id,
      type: events.type,
      event: events.event,
      channel: events.channel,
      timestamp: events.timestamp,
      amount: events.amount,
      cursorTime: sql<string>`${events.timestamp}::text`,
      detail: sql<string | null>`coalesce(${sql.join(
        SUMMARY_KEYS.map((key) => sql`${events.properties} ->> ${sql.raw(`'${key}'`)}`),
        sql`, `,
      )})`,
      products: sql<
        number | null
      >`case when jsonb_typeof(${events.properties} -> 'products') = 'array' then jsonb_array_length(${events.properties} -> 'products') end`,
      traitName: sql<string | null>`coalesce(${events.traits} ->> 'name', ${events.traits} ->> 'email')`,
      userId: events.userId,
    })
    .from(events)
    .where(
      and(
        eq(events.workspaceId, workspaceId),
        eq(events.customerId, customerId),
        after ? sql`(${events.timestamp}, ${events.id}) < (${after.t}::timestamptz, ${after.id})` : undefined,
        filters.channels?.length ? inArray(events.channel, filters.channels) : undefined,
        filters.types?.length ? inArray(events.type, filters.types) : undefined,
        filters.events?.length ? inArray(events.event, filters.events) : undefined,
        filters.from ? sql`${events.timestamp} >= ${filters.from.toISOString()}::timestamptz` : undefined,
        filters.to ? sql`${events.timestamp} < ${filters.to.toISOString()}::timestamptz` : undefined,
      ),
    )
    .orderBy(...timelineOrder)
    .limit(limit + 1);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((row) => ({
      id: row.id,
      type: row.type,
      event: row.event,
      channel: row.channel,
      timestamp: row.timestamp,
      amount: row.amount,
      summary: summarize(row),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ t: last.cursorTime, id: last.id }) : undefined,
  };
}

const clip = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One line for a timeline row; plain text (the page renders it as text). */
export function summarize(row: {
  type: EventType;
  event: string | null;
  detail: string | null;
  products: number | null;
  traitName: string | null;
  userId: string | null;
}) {
  const detail = row.detail?.trim() || null;
  const products = row.products ? `${row.products} ${row.products === 1 ? "item" : "items"}` : null;
  switch (row.type) {
    case "page":
      return clip(
        `Viewed ${row.event ?? detail ?? "a page"}${row.event && detail && detail !== row.event ? ` — ${detail}` : ""}`,
      );
    case "screen":
      return clip(`Opened ${row.event ?? detail ?? "a screen"}`);
    case "identify":
      return clip(
        `Identified${row.traitName ? ` as ${row.traitName}` : row.userId ? ` as ${row.userId}` : ""}`,
      );
    case "alias":
      return clip(`Linked to ${row.userId ?? "another identity"}`);
    case "group":
      return clip(`Joined group${detail ? ` ${detail}` : ""}`);
    case "track":
      return clip(
        [row.event ?? "Event", detail !== row.event ? detail : null, products].filter(Boolean).join(" — "),
      );
  }
}

export async function getEvent({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: number }) {
  const [event] = await db
    .select({
      id: events.id,
      customerId: events.customerId,
      profileId: events.profileId,
      messageId: events.messageId,
      type: events.type,
      event: events.event,
      channel: events.channel,
      userId: events.userId,
      anonymousId: events.anonymousId,
      properties: events.properties,
      traits: events.traits,
      context: events.context,
      amount: events.amount,
      timestamp: events.timestamp,
      receivedAt: events.receivedAt,
      source: events.source,
    })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.id, id)));
  if (!event) throw new NotFoundError("No such event in this workspace.");
  return event;
}

import "server-only";
import { and, desc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "~/db";
import { customers, events, identities, identityMerges, users } from "~/db/schema";
import { channels, type Channel, type EventType } from "~/db/enums";
import { NotFoundError } from "~/server/errors";
import { decodeTimelineCursor, encodeCursor } from "./cursors";

// Reads behind the customer list (./list.ts, in steps) and the customer page. Every path is built to
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
// Pagination is keyset everywhere (./cursors.ts).

export const TIMELINE_PAGE_SIZE = 50;

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

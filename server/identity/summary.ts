import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { executePrepared } from "~/db/prepared";
import type { Channel } from "~/db/enums";
import { uuidArray } from "~/db/sql";

// The summary columns of customers (counts, spend, first/last seen, channel
// mix, traits) are kept up to date as events arrive, so that lists can sort
// and filter by them without reading events. A purchase is a track event with
// an amount.

/** A profile's summary figures, as stored or as an addition to them. */
export interface ProfileSummary {
  events: number;
  purchases: number;
  spend: number;
  /** null when there is no event. */
  firstSeen: Date | null;
  lastSeen: Date | null;
  channels: Partial<Record<Channel, number>>;
}

export interface SummaryDelta extends ProfileSummary {
  customerId: string;
  /** identify traits, in arrival order already combined (later wins). */
  traits: Record<string, unknown>;
  /** What the customer takes from profiles folded into it where it has none of its own (server/identity/merge.ts). */
  inherited?: Inherited;
}

/** Traits and the name, email and phone they fill, as a customer inherits them. */
export interface Inherited {
  traits: Record<string, unknown>;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** A delta that adds nothing yet. */
export function emptyDelta(customerId: string): SummaryDelta {
  return {
    customerId,
    events: 0,
    purchases: 0,
    spend: 0,
    firstSeen: null,
    lastSeen: null,
    channels: {},
    traits: {},
  };
}

/** Adds one stored event to a delta: a purchase is a track event with an amount. */
export function addEvent(
  delta: SummaryDelta,
  event: { type: string; channel: Channel; amount: number | null; timestamp: Date },
) {
  delta.events++;
  delta.channels[event.channel] = (delta.channels[event.channel] ?? 0) + 1;
  if (event.type === "track" && event.amount !== null) {
    delta.purchases++;
    delta.spend = Math.round((delta.spend + event.amount) * 100) / 100;
  }
  delta.firstSeen = earliest(delta.firstSeen, event.timestamp);
  delta.lastSeen = latest(delta.lastSeen, event.timestamp);
}

/**
 * Adds a profile's summary to a delta: a customer that a stored profile is
 * folded into takes its counts as they stand, which counts every event that
 * belongs to it (the bulk import, which brings summaries up to date only at
 * its end, recomputes any customer a merge touched meanwhile:
 * server/imports/import-summaries.ts).
 */
export function addProfileSummary(delta: SummaryDelta, summary: ProfileSummary) {
  delta.events += summary.events;
  delta.purchases += summary.purchases;
  delta.spend = Math.round((delta.spend + summary.spend) * 100) / 100;
  for (const [channel, n] of Object.entries(summary.channels) as [Channel, number][]) {
    delta.channels[channel] = (delta.channels[channel] ?? 0) + n;
  }
  delta.firstSeen = earliest(delta.firstSeen, summary.firstSeen);
  delta.lastSeen = latest(delta.lastSeen, summary.lastSeen);
}

const earliest = (a: Date | null, b: Date | null) => (!a || (b && b < a) ? b : a);
const latest = (a: Date | null, b: Date | null) => (!a || (b && b > a) ? b : a);

/** Adds newly stored events (and identify traits) to their customers' summaries. */
export async function addToSummaries(db: DbOrTx, workspaceId: string, deltas: SummaryDelta[]) {
  if (deltas.length === 0) return;
  const rows = deltas.map((d) => ({
    id: d.customerId,
    n: d.events,
    purchases: d.purchases,
    spend: d.spend,
    first_seen: d.firstSeen?.toISOString() ?? null,
    last_seen: d.lastSeen?.toISOString() ?? null,
    channels: d.channels,
    traits: d.traits,
    inherited: d.inherited?.traits,
    inherited_name: d.inherited?.name,
    inherited_email: d.inherited?.email,
    inherited_phone: d.inherited?.phone,
  }));
  // The rows are locked in id order first, as every writer of summaries locks them, so that two never deadlock;
  // with the update's own strength, which does not wait for an import adding events to them (./locks.ts).
  await executePrepared(
    db,
    sql`
    with locked as (
      select id from customers
      where workspace_id = ${workspaceId} and id = any(${uuidArray(deltas.map((d) => d.customerId))})
      order by id for no key update
    )
    update customers c set
      event_count = c.event_count + v.n,
      purchase_count = c.purchase_count + v.purchases,
      total_spend = c.total_spend + v.spend,
      first_seen_at = least(c.first_seen_at, v.first_seen),
      last_seen_at = greatest(c.last_seen_at, v.last_seen),
      channel_counts = (
        select coalesce(jsonb_object_agg(k, coalesce((c.channel_counts ->> k)::int, 0) + coalesce((v.channels ->> k)::int, 0)), '{}'::jsonb)
        from (select jsonb_object_keys(c.channel_counts) union select jsonb_object_keys(v.channels)) keys (k)
      ),
      traits = coalesce(v.inherited, '{}'::jsonb) || c.traits || v.traits,
      ${identityColumnsFromTraits(sql`v.traits`)},
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v (
      id uuid, n int, purchases int, spend numeric, first_seen timestamptz, last_seen timestamptz, channels jsonb, traits jsonb,
      inherited jsonb, inherited_name text, inherited_email text, inherited_phone text
    )
    where c.workspace_id = ${workspaceId} and c.id = v.id and c.id in (select id from locked)`,
  );
}

/**
 * name, email and phone follow the traits when they carry them. `traits` is an
 * SQL expression for the new traits; the columns keep their value otherwise,
 * or take the inherited one when they have none.
 */
function identityColumnsFromTraits(traits: ReturnType<typeof sql>) {
  return sql`
    name = coalesce(
      nullif(trim(${traits} ->> 'name'), ''),
      nullif(trim(concat_ws(' ', ${traits} ->> 'firstName', ${traits} ->> 'lastName')), ''),
      c.name, v.inherited_name),
    email = coalesce(lower(nullif(trim(${traits} ->> 'email'), '')), c.email, v.inherited_email),
    phone = coalesce(nullif(trim(${traits} ->> 'phone'), ''), c.phone, v.inherited_phone)`;
}

/**
 * Recomputes the summaries of these customers from their events (after a
 * merge or a split): each customer a probe of its events' index, however
 * large the workspace.
 */
export async function recomputeSummaries(db: DbOrTx, workspaceId: string, customerIds: string[]) {
  if (customerIds.length === 0) return;
  await db.execute(sql`
    update customers c set
      event_count = coalesce(a.n, 0),
      purchase_count = coalesce(a.purchases, 0),
      total_spend = coalesce(a.spend, 0),
      first_seen_at = a.first_seen,
      last_seen_at = a.last_seen,
      channel_counts = coalesce(a.channels, '{}'::jsonb),
      updated_at = now()
    from (select distinct id from unnest(${uuidArray(customerIds)}) as t (id)) target
    cross join lateral (
      select sum(n)::int as n, sum(purchases)::int as purchases, sum(spend) as spend,
             min(first_seen) as first_seen, max(last_seen) as last_seen, jsonb_object_agg(channel, n) as channels
      from (
        select channel, count(*) as n,
               count(*) filter (where type = 'track' and amount is not null) as purchases,
               coalesce(sum(amount) filter (where type = 'track'), 0) as spend,
               min(timestamp) as first_seen, max(timestamp) as last_seen
        from events
        where workspace_id = ${workspaceId} and customer_id = target.id
        group by channel
      ) per_channel
    ) a
    where c.workspace_id = ${workspaceId} and c.id = target.id`);
}

import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { Channel } from "~/db/enums";
import { uuidArray } from "~/db/sql";

// The summary columns of customers (counts, spend, first/last seen, channel
// mix, traits) are kept up to date as events arrive, so that lists can sort
// and filter by them without reading events. A purchase is a track event with
// an amount.

export interface SummaryDelta {
  customerId: string;
  events: number;
  purchases: number;
  spend: number;
  firstSeen: Date;
  lastSeen: Date;
  channels: Partial<Record<Channel, number>>;
  /** identify traits, in arrival order already combined (later wins). */
  traits: Record<string, unknown>;
}

/** Adds newly stored events (and identify traits) to their customers' summaries. */
export async function addToSummaries(db: DbOrTx, workspaceId: string, deltas: SummaryDelta[]) {
  if (deltas.length === 0) return;
  const rows = deltas.map((d) => ({
    id: d.customerId,
    n: d.events,
    purchases: d.purchases,
    spend: d.spend,
    first_seen: d.firstSeen.toISOString(),
    last_seen: d.lastSeen.toISOString(),
    channels: d.channels,
    traits: d.traits,
  }));
  // The rows are locked in id order first, as every writer of summaries locks them, so that two never deadlock;
  // with the update's own strength, which does not wait for an import adding events to them (./locks.ts).
  await db.execute(sql`
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
      traits = c.traits || v.traits,
      ${identityColumnsFromTraits(sql`v.traits`)},
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v (
      id uuid, n int, purchases int, spend numeric, first_seen timestamptz, last_seen timestamptz, channels jsonb, traits jsonb
    )
    where c.workspace_id = ${workspaceId} and c.id = v.id and c.id in (select id from locked)`);
}

/**
 * name, email and phone follow the traits when they carry them. `traits` is an
 * SQL expression for the new traits; the columns keep their value otherwise.
 */
function identityColumnsFromTraits(traits: ReturnType<typeof sql>) {
  return sql`
    name = coalesce(
      nullif(trim(${traits} ->> 'name'), ''),
      nullif(trim(concat_ws(' ', ${traits} ->> 'firstName', ${traits} ->> 'lastName')), ''),
      c.name),
    email = coalesce(lower(nullif(trim(${traits} ->> 'email'), '')), c.email),
    phone = coalesce(nullif(trim(${traits} ->> 'phone'), ''), c.phone)`;
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

/**
 * The statement by which each root takes the traits (and name, email, phone)
 * of the profiles merged into it where it has none of its own; of those
 * profiles, the earlier in `merges` gives a trait first, as inheriting one
 * merge at a time in that order would. (A statement, to run with others.)
 */
export function inheritTraits(workspaceId: string, merges: { rootId: string; mergedId: string }[]) {
  return sql`
    with merged as (
      select * from unnest(${uuidArray(merges.map((m) => m.mergedId))}, ${uuidArray(merges.map((m) => m.rootId))})
        with ordinality as m (id, root_id, rank)
    ), givers as (
      -- The root first (rank 0), then its merged profiles in order.
      select g.root_id, g.rank, p.traits, p.name, p.email, p.phone
      from (select distinct root_id, root_id as id, 0::bigint as rank from merged
            union all select root_id, id, rank from merged) g
      join customers p on p.workspace_id = ${workspaceId} and p.id = g.id
    ), columns as (
      select root_id,
        (array_agg(name order by rank) filter (where name is not null))[1] as name,
        (array_agg(email order by rank) filter (where email is not null))[1] as email,
        (array_agg(phone order by rank) filter (where phone is not null))[1] as phone
      from givers group by root_id
    ), traits as (
      select root_id, jsonb_object_agg(key, value) as traits
      from (
        select distinct on (g.root_id, t.key) g.root_id, t.key, t.value
        from givers g cross join lateral jsonb_each(g.traits) t
        order by g.root_id, t.key, g.rank
      ) first_given
      group by root_id
    )
    update customers c set
      traits = coalesce(t.traits, '{}'::jsonb),
      name = k.name,
      email = k.email,
      phone = k.phone
    from columns k left join traits t on t.root_id = k.root_id
    where c.workspace_id = ${workspaceId} and c.id = k.root_id`;
}

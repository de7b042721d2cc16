import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "~/db";
import type { IdentityKind, RfmGroup } from "~/db/enums";
import { preferredChannel, type PreferredChannel } from "~/server/engagement/best-channel";
import { loadReactionHistories } from "~/server/engagement/history";
import { emptyHistory } from "~/server/engagement/reactions";
import { flowOf } from "~/server/journeys/run/runner";
import { stepLabel } from "~/server/journeys/run/state";

// A customer's profile as the profile API answers it (docs/profiles-api.md): what
// a page of the organisation's own site needs to adapt to the visitor in front of
// it. One statement: the identifier's row in `identities` (its primary key; it
// follows merges, so a merged profile's identifiers lead to the survivor), the
// customer by primary key, and the segments, value and live journeys each by an
// index on (workspace_id, customer_id). A journey's control group is left out of
// its journeys: they receive nothing from it, and a page that adapted to the
// journey would be something received. Then the preferred channel, by the rule
// journeys send by (~/server/engagement), from the customer's own events of the
// last 180 days: one more statement on the events' (workspace, customer, time) index.

export interface Profile {
  customerId: string;
  /** The customer's first user id; null for a visitor known only by anonymous ids. */
  userId: string | null;
  traits: Record<string, unknown>;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  segments: { id: string; name: string }[];
  /** From the latest value fit that reached the customer; null before one did. */
  value: {
    /** The RFM group, the value tier segments and the value pages use. */
    tier: RfmGroup;
    clv: number | null;
    pAlive: number;
    expectedPurchases90d: number;
    tooNew: boolean;
    fittedAt: string;
  } | null;
  /** The channel that reaches the customer best, and why; channel null when too few reactions tell. */
  preferredChannel: PreferredChannel;
  journeys: { journeyId: string; name: string; step: string; since: string; enteredAt: string }[];
}

type Row = {
  customer_id: string;
  user_id: string | null;
  traits: Record<string, unknown>;
  first_seen_at: string | null;
  last_seen_at: string | null;
  segments: { id: string; name: string }[];
  value: Profile["value"];
  journeys: {
    journeyId: string;
    name: string;
    version: number;
    nodeId: string;
    since: string;
    enteredAt: string;
  }[];
};

/** Timestamps as ISO 8601 in UTC, as JSON readers expect; json_build_object would write PostgreSQL's form. */
const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export async function findProfile(
  db: Database,
  input: { workspaceId: string; kind: Extract<IdentityKind, "user_id" | "anonymous_id">; value: string },
  now = new Date(),
): Promise<Profile | undefined> {
  const ws = sql`${input.workspaceId}::uuid`;
  const result = await db.execute<Row>(sql`
    select c.id as customer_id,
      (select u.value from identities u
        where u.workspace_id = c.workspace_id and u.customer_id = c.id and u.kind = 'user_id'
        order by u.first_seen_at, u.value limit 1) as user_id,
      c.traits, ${iso("c.first_seen_at")} as first_seen_at, ${iso("c.last_seen_at")} as last_seen_at,
      coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name) order by lower(s.name))
        from segment_members m join segments s on s.workspace_id = m.workspace_id and s.id = m.segment_id
        where m.workspace_id = c.workspace_id and m.customer_id = c.id), '[]'::json) as segments,
      (select json_build_object('tier', v.rfm_group, 'clv', v.clv, 'pAlive', v.p_alive,
          'expectedPurchases90d', v.expected_purchases_90d, 'tooNew', v.too_new,
          'fittedAt', ${iso("coalesce(f.finished_at, f.created_at)")})
        from customer_values v join value_fits f on f.workspace_id = v.workspace_id and f.id = v.fit_id
        where v.workspace_id = c.workspace_id and v.customer_id = c.id) as value,
      coalesce((select json_agg(json_build_object('journeyId', e.journey_id, 'name', j.name,
          'version', e.version, 'nodeId', e.node_id, 'since', ${iso("e.node_since")},
          'enteredAt', ${iso("e.entered_at")}) order by e.entered_at desc)
        from journey_enrollments e join journeys j on j.workspace_id = e.workspace_id and j.id = e.journey_id
        where e.workspace_id = c.workspace_id and e.customer_id = c.id and e.state = 'active'
          and not e.holdout), '[]'::json)
        as journeys
    from identities i
    join customers c on c.workspace_id = i.workspace_id and c.id = i.customer_id
    where i.workspace_id = ${ws} and i.kind = ${input.kind} and i.value = ${input.value}`);
  const row = result.rows[0];
  if (!row) return undefined;
  const histories = await loadReactionHistories(db, input.workspaceId, [row.customer_id], now);
  return {
    customerId: row.customer_id,
    userId: row.user_id,
    traits: row.traits,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    segments: row.segments,
    value: row.value,
    preferredChannel: preferredChannel((histories.get(row.customer_id) ?? emptyHistory()).channels),
    // Published designs are kept in memory (flowOf), so the labels cost no query once warm.
    journeys: await Promise.all(
      row.journeys.map(async ({ version, nodeId, ...journey }) => ({
        ...journey,
        step: stepLabel(await flowOf(db, input.workspaceId, journey.journeyId, version), nodeId),
      })),
    ),
  };
}

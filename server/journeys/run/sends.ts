import "server-only";
import { sql } from "drizzle-orm";
import type { Channel } from "~/db/enums";
import type { DbOrTx } from "~/db";
import { deliveryEventsOf, funnelStages } from "../analytics-definition";
import type { JourneyDesign } from "../design";

// What the journey itself sent in an analytics window, per touchpoint and A/B
// variant, and what the customers it reached did afterwards. The funnel
// (analytics.ts) counts the segment's behaviour whether or not the journey ran;
// these figures count only the journey's own deliveries:
//
// - sent, queued, failed: deliveries of the touchpoint created in the window,
//   by status ("failed" is dead: out of retries);
// - reacted: customers sent it who, after their first send in the window and
//   before its end, did the touchpoint's action event (any channel) or, when it
//   has none, a reaction on its channel (an email opened or clicked);
// - converted: customers sent it who then did the journey's final goal (the
//   last stage goal) in the window.
// A customer counts once per touchpoint and variant however often they were sent it.

export interface TouchpointSends {
  touchpointId: string;
  /** The A/B variant the customer came through; null outside any split. */
  variant: string | null;
  sent: number;
  queued: number;
  failed: number;
  /** Distinct customers sent it. */
  customers: number;
  reacted: number;
  converted: number;
}

/** What counts as a reaction to a touchpoint: its own action event, else its channel's reactions. */
function reactionRules(design: JourneyDesign) {
  return design.stages.flatMap((stage) =>
    stage.touchpoints.flatMap((tp) =>
      tp.actionEvent
        ? [{ touchpointId: tp.id, event: tp.actionEvent, channel: null as Channel | null }]
        : deliveryEventsOf(tp.channel)
            .filter((event) => event !== "Email Delivered")
            .map((event) => ({ touchpointId: tp.id, event, channel: tp.channel as Channel | null })),
    ),
  );
}

/** Null when the journey never sent anything: there is nothing of its own to count. */
export async function journeySends(
  db: DbOrTx,
  input: { workspaceId: string; journeyId: string; design: JourneyDesign; from: Date; to: Date },
): Promise<TouchpointSends[] | null> {
  const ws = sql`${input.workspaceId}::uuid`;
  const ever = await db.execute(sql`
    select 1 from deliveries where workspace_id = ${ws} and journey_id = ${input.journeyId}::uuid limit 1`);
  if (ever.rows.length === 0) return null;

  const rules = reactionRules(input.design);
  const goal = funnelStages(input.design).at(-1) ?? null;
  // Rules as a values list, so each delivery's touchpoint finds its own reaction events.
  const ruleRows = rules.length
    ? sql.join(
        rules.map((r) => sql`(${r.touchpointId}, ${r.event}, ${r.channel}::channel)`),
        sql`, `,
      )
    : sql`(null::text, null::text, null::channel)`;
  const result = await db.execute<{
    touchpoint_id: string;
    variant: string;
    sent: number;
    queued: number;
    failed: number;
    customers: number;
    reacted: number;
    converted: number;
  }>(sql`
    with window_deliveries as (
      select customer_id, status, coalesce(sent_at, created_at) as at,
        message -> 'source' ->> 'touchpointId' as touchpoint_id,
        coalesce(message -> 'source' ->> 'variant', '') as variant
      from deliveries
      where workspace_id = ${ws} and journey_id = ${input.journeyId}::uuid
        and created_at >= ${input.from} and created_at < ${input.to}
    ), counts as (
      select touchpoint_id, variant,
        count(*) filter (where status = 'sent')::int as sent,
        count(*) filter (where status = 'queued')::int as queued,
        count(*) filter (where status = 'dead')::int as failed
      from window_deliveries group by 1, 2
    ), first_sends as (
      select distinct on (customer_id, touchpoint_id, variant) customer_id, touchpoint_id, variant, at
      from window_deliveries where status = 'sent' and customer_id is not null
      order by customer_id, touchpoint_id, variant, at
    ), rules (touchpoint_id, event, channel) as (values ${ruleRows}),
    outcomes as (
      select s.touchpoint_id, s.variant, count(*)::int as customers,
        count(*) filter (where exists (
          select 1 from events e join rules r on r.touchpoint_id = s.touchpoint_id and r.event = e.event
            and (r.channel is null or r.channel = e.channel)
          where e.workspace_id = ${ws} and e.customer_id = s.customer_id
            and e.timestamp >= s.at and e.timestamp < ${input.to}))::int as reacted,
        ${
          goal
            ? sql`count(*) filter (where exists (
          select 1 from events e
          where e.workspace_id = ${ws} and e.customer_id = s.customer_id and e.event = ${goal.event}
            ${goal.channel ? sql`and e.channel = ${goal.channel}::channel` : sql``}
            and e.timestamp >= s.at and e.timestamp < ${input.to}))::int`
            : sql`0`
        } as converted
      from first_sends s group by 1, 2
    )
    select c.touchpoint_id, c.variant, c.sent, c.queued, c.failed,
      coalesce(o.customers, 0) as customers, coalesce(o.reacted, 0) as reacted,
      coalesce(o.converted, 0) as converted
    from counts c left join outcomes o on o.touchpoint_id = c.touchpoint_id and o.variant = c.variant
    order by 1, 2`);
  return result.rows.map((row) => ({
    touchpointId: row.touchpoint_id,
    variant: row.variant || null,
    sent: row.sent,
    queued: row.queued,
    failed: row.failed,
    customers: row.customers,
    reacted: row.reacted,
    converted: row.converted,
  }));
}

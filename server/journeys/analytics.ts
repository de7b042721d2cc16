import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Channel } from "~/db/enums";
import type { DbOrTx } from "~/db";
import { InvalidInputError, NotFoundError } from "~/server/errors";
import { withWorkspaceScan } from "~/server/segments/matching";
import type { JourneyDesign, Stage, Touchpoint } from "./design";
import { deliveryEventsOf, funnelStages } from "./analytics-definition";

// How a segment's real customers moved through a journey's design: the
// customer-level, cross-channel outcome view of seed 001, from the events.
// The funnel definition is written out in docs/journeys.md ("Measuring it on
// real behaviour"); in short:
//
// Who: the segment's members now (segment_members). What: their events with a
// timestamp in [from, to). A member enters the journey at the window's start.
//
// - Reached, in order: the first stage with a goal is reached by the member's
//   first goal event in the window; every later stage with a goal by the first
//   goal event at or after the moment they reached the stage with a goal before
//   it (stages without a goal are skipped: nobody can be counted there, and
//   their figure is null, not 0). When the event that reached the stage before
//   also meets this stage's goal ("Buy", then "Buy again"), a later event is
//   needed: one order is not two. So each stage's count is at most the count of
//   the stage before, and every figure shown (funnel, map overlay, Compare)
//   is this one.
// - `performedGoal` is the plain count of members with the goal event anywhere
//   in the window, in order or not; it is at least `reached`, and the UI shows
//   the difference as the members who did it out of order.
// - A step from stage i to i + 1 converted exactly the members who reached
//   i + 1 (both have goals): they reached i first by definition. Its time runs
//   from reaching i to reaching i + 1.
// - A touchpoint with an action event is acted on with that event, at any time
//   in the window; members are counted by the channel of their first one (the
//   point is to see on which channel customers answer). One without is measured
//   by its stage: the members who reached the stage, by the channel of the
//   event that reached it, so it never counts more than the funnel does there.
//   A message that asks for no action (an email with no
//   action event of its own, such as an order confirmation) is measured by its
//   delivery and reaction events on its channel (deliveryEventsOf) from the
//   moment the member reached its stage: the order it confirms is not the
//   email's doing, so its channel says nothing about the email.
// - A member's path is the stages in the order of their first goal event, in
//   order or not (it is how they actually moved), each with that event's
//   channel. It follows the design when it is a prefix of the design order of
//   the stages that have goals. The top paths are the most common; equally
//   common ones come in the order of their text ("0:web 2:store").
// - Two qualifying events at the same instant: the first channel in the
//   channel list (db/enums.ts order) is the one reported.
//
// It is one statement: the members' relevant events are read once (through
// events_timeline_idx, member by member) and aggregated in the database; only
// members whose first goal event came too early for a stage are looked up
// again, so a few dozen rows come back whatever the segment's size.

export interface StageAnalytics {
  stageId: string;
  /** Members who reached it in order (see above); null when the stage has no goal. */
  reached: number | null;
  /** Members with its goal event anywhere in the window, in order or not; null when it has no goal. */
  performedGoal: number | null;
}

export interface StageStep {
  fromStageId: string;
  toStageId: string;
  /** Members who reached the first stage; null when it has no goal. */
  reached: number | null;
  /** The rest are null when either stage has no goal. */
  converted: number | null;
  /** converted / reached; null when nobody reached the first stage. */
  conversion: number | null;
  dropOff: number | null;
  /** Median hours from reaching one stage to reaching the next; null when nobody converted. */
  medianHours: number | null;
}

export interface DeliveryCount {
  event: string;
  /** Members with this event on the touchpoint's channel after reaching its stage. */
  members: number;
}

export interface TouchpointAction {
  /**
   * "action": the members who performed `event` (its action event or its stage's goal), by channel.
   * "delivery": a message asking for no action, measured by its delivery and reaction events.
   */
  measure: "action" | "delivery";
  /** The event counted; for "delivery", the delivery and reaction events joined ("Email Delivered, …"). */
  event: string;
  /** Members who performed it in the window. */
  acted: number;
  /** Of those, whose first such event was on the touchpoint's channel, and on any other. */
  onDesignedChannel: number;
  onOtherChannels: number;
  byChannel: Partial<Record<Channel, number>>;
  /** "delivery" only: the members who reached the touchpoint's stage, whom the message could reach. */
  reachedStage: number | null;
  /** "delivery" only: members per delivery or reaction event, in deliveryEventsOf order. */
  deliveries: DeliveryCount[];
}

export interface TouchpointAnalytics {
  touchpointId: string;
  stageId: string;
  channel: Channel;
  /** Null when neither the touchpoint nor its stage names an event to count. */
  action: TouchpointAction | null;
}

export interface PathStep {
  stageId: string;
  channel: Channel;
}

export interface JourneyPath {
  stages: PathStep[];
  members: number;
  /** members / all members of the segment. */
  share: number;
  /** The stages come in design order from the first stage with a goal, skipping none. */
  followsDesign: boolean;
}

export interface JourneyAnalytics {
  window: { from: Date; to: Date };
  /** The segment's members now. */
  members: number;
  /** Members with at least one event of any kind in the window. */
  membersWithEvents: number;
  stages: StageAnalytics[];
  steps: StageStep[];
  touchpoints: TouchpointAnalytics[];
  paths: {
    /** The most common paths, most members first. */
    top: JourneyPath[];
    /** How many different paths there are. */
    distinct: number;
    /** Members who reached no stage. */
    noStage: number;
  };
}

export const TOP_PATHS = 10;

interface Row {
  segment_found: boolean;
  members: number;
  members_with_events: number;
  reached: { stage: number; n: number; median_hours: number | null }[] | null;
  performed: { stage: number; n: number }[] | null;
  actions: { ev: number; channel: Channel; n: number }[] | null;
  /** Members who reached each stage, by the channel of the event that reached it. */
  reach_channels: { stage: number; channel: Channel; n: number }[] | null;
  deliveries: { stage: number; event: string | null; n: number }[] | null;
  /** "0:web 2:store": stage numbers and channels. */
  paths: { path: string; n: number }[] | null;
  reaching_members: number;
  distinct_paths: number;
}

export async function journeyAnalytics(
  db: DbOrTx,
  args: {
    workspaceId: string;
    segmentId: string;
    design: JourneyDesign;
    from: Date;
    to: Date;
    /** Only this member (the customer page's stages); every member without it. */
    customerId?: string;
  },
): Promise<JourneyAnalytics> {
  const { workspaceId, segmentId, design, from, to, customerId } = args;
  checkWindow(from, to);

  // Stages are named by their place in the design inside the query, so the ids never reach the SQL.
  const goals = funnelStages(design);
  const actionEvents = unique(
    design.stages.flatMap((stage) =>
      stage.touchpoints.flatMap((tp) => {
        const measure = measureOf(stage, tp);
        return measure?.kind === "action" ? [measure.event] : [];
      }),
    ),
  );
  // Stages with a message measured by its deliveries, and the channels and events that count there.
  const deliveryStages = unique(
    design.stages.flatMap((stage, i) =>
      stage.touchpoints.flatMap((tp) => (measureOf(stage, tp)?.kind === "delivery" ? [i] : [])),
    ),
  ).flatMap((i) =>
    unique(
      design.stages[i]!.touchpoints.flatMap((tp) =>
        measureOf(design.stages[i]!, tp)?.kind === "delivery" ? [tp.channel] : [],
      ),
    ).map((channel) => ({ stage: i, channel, events: deliveryEventsOf(channel) })),
  );
  // Event names are numbered (1-based, their place in `wanted`) inside the query: small integers
  // hash and sort faster than text over hundreds of thousands of rows.
  const wanted = unique([...goals.map((g) => g.event), ...actionEvents]);
  const number = (event: string) => wanted.indexOf(event) + 1;

  const ws = sql`${workspaceId}::uuid`;
  const fromAt = sql`${from.toISOString()}::timestamptz`;
  const toAt = sql`${to.toISOString()}::timestamptz`;
  const channelOf = (channel: Channel | null) => sql`${channel}::channel`;

  // One CTE per stage with a goal, each reading the one before: reach_0, reach_1, …
  const reachName = (k: number) => sql.raw(`reach_${k}`);
  const candName = (k: number) => sql.raw(`cand_${k}`);
  const reachCtes: SQL[] = goals.map((goal, k) => {
    const stage = sql`${goal.stage}::int`;
    const channel = channelOf(goal.channel);
    if (k === 0) {
      return sql`${reachName(0)} as materialized (
        select a.customer_id, a.at, a.channel, null::timestamptz as prev_at
        from anywhere a where a.stage = ${stage}
      )`;
    }
    const before = goals[k - 1]!;
    // The event that reached the stage before meets this goal too: a later one is needed.
    const same =
      before.event === goal.event ? sql`(${channel} is null or p.prev_channel = ${channel})` : sql`false`;
    // Each member's reach of the stage before beside their first goal event of this one, paired by
    // grouping rather than by a join: the planner cannot know how many rows a CTE holds, guesses a
    // few, and joins two CTEs with a nested loop that reads one once per row of the other.
    return sql`${candName(k)} as materialized (
        select p.customer_id, p.prev_at, p.at, p.channel, ${same} as same
        from (
          select u.customer_id,
                 min(u.at) filter (where u.src = 0) as prev_at, min(u.channel) filter (where u.src = 0) as prev_channel,
                 min(u.at) filter (where u.src = 1) as at, min(u.channel) filter (where u.src = 1) as channel
          from (select customer_id, at, channel, 0 as src from ${reachName(k - 1)}
                union all
                select customer_id, at, channel, 1 as src from anywhere where stage = ${stage}) u
          group by u.customer_id
        ) p
        where p.prev_at is not null and p.at is not null
      ),
      ${reachName(k)} as materialized (
        -- Their first such event in the window is late enough: it is the first after the stage before.
        select customer_id, at, channel, prev_at from ${candName(k)}
        where at > prev_at or (at = prev_at and not same)
        union all
        -- It came too early: their first one at or after the stage before (after it, when \`same\`).
        select c.customer_id, later.at, later.channel, c.prev_at
        from ${candName(k)} c
        cross join lateral (
          select e.timestamp as at, e.channel
          from events e
          where e.workspace_id = ${ws} and e.customer_id = c.customer_id
            and e.timestamp >= c.prev_at and e.timestamp < ${toAt} and (e.timestamp > c.prev_at or not c.same)
            and e.event = ${goal.event} and (${channel} is null or e.channel = ${channel})
          order by e.timestamp, e.channel
          limit 1
        ) later
        where not (c.at > c.prev_at or (c.at = c.prev_at and not c.same))
      )`;
  });
  const ordered =
    goals.length === 0
      ? sql`select null::int as stage, null::uuid as customer_id, null::timestamptz as at,
               null::timestamptz as prev_at, null::channel as channel where false`
      : sql.join(
          goals.map(
            (goal, k) =>
              sql`select ${goal.stage}::int as stage, customer_id, at, prev_at, channel from ${reachName(k)}`,
          ),
          sql` union all `,
        );
  const delivery =
    deliveryStages.length === 0
      ? sql`select null::int as stage, null::text as event, 0::int as n where false`
      : sql.join(
          deliveryStages.map(
            ({ stage, channel, events }) => sql`
              select ${stage}::int as stage, d.event, count(distinct d.customer_id)::int as n
              from ordered o
              cross join lateral (
                select distinct o.customer_id, e.event
                from events e
                where e.workspace_id = ${ws} and e.customer_id = o.customer_id
                  and e.timestamp >= o.at and e.timestamp < ${toAt}
                  and e.channel = ${channel}::channel and e.event = any(${sql.param(events)}::text[])
              ) d
              where o.stage = ${stage}::int
              group by rollup (d.event)`,
          ),
          sql` union all `,
        );

  const query = sql`
    with goals as (
      select g.stage, g.ev, g.channel
      from unnest(${sql.param(goals.map((g) => g.stage))}::int[], ${sql.param(goals.map((g) => number(g.event)))}::int[],
                  ${sql.param(goals.map((g) => g.channel))}::channel[]) as g (stage, ev, channel)
    ),
    members as materialized (
      select m.customer_id from segment_members m
      where m.workspace_id = ${ws} and m.segment_id = ${sql`${segmentId}::uuid`}
        ${customerId ? sql`and m.customer_id = ${customerId}::uuid` : sql``}
    ),
    -- Each member's first event of each kind on each channel in the window. The events are read
    -- member by member through events_timeline_idx (OFFSET 0 keeps the planner from turning this
    -- into a hash join over every event of the workspace, which it picks on its poor guess of
    -- events per customer), and reduced by a hash aggregate, so the sorts below see far fewer
    -- rows. Ties at one instant go to the first channel in channel order.
    firsts as materialized (
      select m.customer_id, h.ev, h.channel, min(h.at) as at
      from members m
      cross join lateral (
        select array_position(${sql.param(wanted)}::text[], e.event) as ev, e.channel, e.timestamp as at
        from events e
        where e.workspace_id = ${ws} and e.customer_id = m.customer_id
          and e.timestamp >= ${fromAt} and e.timestamp < ${toAt}
          and e.event = any(${sql.param(wanted)}::text[])
        offset 0
      ) h
      group by m.customer_id, h.ev, h.channel
    ),
    -- Each stage's first goal event, in order or not: for \`performedGoal\` and the actual paths.
    anywhere as materialized (
      select distinct on (f.customer_id, g.stage) f.customer_id, g.stage, f.at, f.channel
      from firsts f join goals g on g.ev = f.ev and (g.channel is null or g.channel = f.channel)
      order by f.customer_id, g.stage, f.at, f.channel
    ),
    ${goals.length > 0 ? sql`${sql.join(reachCtes, sql`, `)},` : sql``}
    -- Every member's reach of every stage, in order (see the definition above).
    ordered as materialized (${ordered}),
    first_actions as (
      select distinct on (customer_id, ev) ev, channel
      from firsts
      where ev = any(${sql.param(actionEvents.map(number))}::int[])
      order by customer_id, ev, at, channel
    ),
    -- A member's path as text ("0:web 2:store"). string_agg takes the rows in the order the
    -- subquery sorted them (PostgreSQL feeds an aggregate its input in order; the statement runs
    -- without parallel workers), which spares a sort per member that an ORDER BY inside it costs.
    path_counts as materialized (
      select path, count(*)::int as n
      from (select string_agg(stage::text || ':' || channel::text, ' ') as path
            from (select customer_id, stage, channel from anywhere order by customer_id, at, stage) r
            group by customer_id) p
      group by path
    )
    select
      exists (select 1 from segments s where s.workspace_id = ${ws} and s.id = ${sql`${segmentId}::uuid`})
        as segment_found,
      (select count(*)::int from members) as members,
      -- Members with a wanted event have events; only the others are probed for any event at all
      -- (found by EXCEPT, which hashes: "not exists" may become a rescan of firsts per member).
      ((select count(distinct customer_id)::int from firsts)
        + (select count(*)::int from (select customer_id from members except select customer_id from firsts) m
           where exists (select 1 from events e where e.workspace_id = ${ws} and e.customer_id = m.customer_id
                           and e.timestamp >= ${fromAt} and e.timestamp < ${toAt}))) as members_with_events,
      (select jsonb_agg(jsonb_build_object('stage', stage, 'n', n, 'median_hours', median_hours))
        from (select stage, count(*)::int as n,
                     percentile_cont(0.5) within group (order by extract(epoch from at - prev_at)::float8 / 3600)
                       filter (where prev_at is not null) as median_hours
              from ordered group by stage) x) as reached,
      (select jsonb_agg(jsonb_build_object('stage', stage, 'n', n))
        from (select stage, count(*)::int as n from anywhere group by stage) x) as performed,
      (select jsonb_agg(jsonb_build_object('ev', ev, 'channel', channel, 'n', n))
        from (select ev, channel, count(*)::int as n from first_actions group by ev, channel) x) as actions,
      (select jsonb_agg(jsonb_build_object('stage', stage, 'channel', channel, 'n', n))
        from (select stage, channel, count(*)::int as n from ordered group by stage, channel) x) as reach_channels,
      (select jsonb_agg(jsonb_build_object('stage', stage, 'event', event, 'n', n))
        from (${delivery}) x) as deliveries,
      (select jsonb_agg(jsonb_build_object('path', path, 'n', n) order by n desc, path collate "C")
        from (select path, n from path_counts order by n desc, path collate "C"
              limit ${sql`${TOP_PATHS}::int`}) x) as paths,
      (select coalesce(sum(n), 0)::int from path_counts) as reaching_members,
      (select count(*)::int from path_counts) as distinct_paths
  `;
  const result = await withWorkspaceScan(db, (tx) => tx.execute<Row & Record<string, unknown>>(query));
  const row = result.rows[0];
  if (!row?.segment_found) throw new NotFoundError("That segment does not exist in this workspace.");
  return shape(design, wanted, row, { from, to });
}

function checkWindow(from: Date, to: Date) {
  const issues: { path: string; message: string }[] = [];
  if (Number.isNaN(from.getTime())) issues.push({ path: "from", message: "must be a valid date" });
  if (Number.isNaN(to.getTime())) issues.push({ path: "to", message: "must be a valid date" });
  else if (issues.length === 0 && from >= to) issues.push({ path: "to", message: "must be after the start" });
  if (issues.length > 0) {
    throw new InvalidInputError(
      `The analytics window is not valid: ${issues[0]!.path} ${issues[0]!.message}.`,
      issues,
    );
  }
}

/**
 * How a touchpoint is measured: by its action event, by its stage's reach (no action event), or by
 * its deliveries (a message without an action event); null when it cannot be.
 */
function measureOf(
  stage: Stage,
  tp: Touchpoint,
):
  | { kind: "action"; event: string }
  | { kind: "stage"; event: string }
  | { kind: "delivery"; events: string[] }
  | null {
  if (tp.actionEvent) return { kind: "action", event: tp.actionEvent };
  if (!stage.goal) return null;
  const events = deliveryEventsOf(tp.channel);
  return events.length > 0 ? { kind: "delivery", events } : { kind: "stage", event: stage.goal.event };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The query's few rows, matched back to the design's stages and touchpoints. */
function shape(
  design: JourneyDesign,
  wanted: string[],
  row: Row,
  window: { from: Date; to: Date },
): JourneyAnalytics {
  const reachedAt = new Map((row.reached ?? []).map((r) => [r.stage, r]));
  const performedAt = new Map((row.performed ?? []).map((r) => [r.stage, r.n]));
  const reachedOf = (i: number) => (design.stages[i]?.goal ? (reachedAt.get(i)?.n ?? 0) : null);

  const stages = design.stages.map((stage, i) => ({
    stageId: stage.id,
    reached: reachedOf(i),
    performedGoal: stage.goal ? (performedAt.get(i) ?? 0) : null,
  }));

  const steps = design.stages.slice(0, -1).map((stage, i): StageStep => {
    const next = design.stages[i + 1]!;
    const reached = reachedOf(i);
    const base = { fromStageId: stage.id, toStageId: next.id };
    const converted = reachedOf(i + 1);
    if (reached === null || converted === null) {
      return { ...base, reached, converted: null, conversion: null, dropOff: null, medianHours: null };
    }
    return {
      ...base,
      reached,
      converted,
      conversion: reached > 0 ? converted / reached : null,
      dropOff: reached - converted,
      medianHours: reachedAt.get(i + 1)?.median_hours ?? null,
    };
  });

  const byStage = new Map<number, Partial<Record<Channel, number>>>();
  for (const { stage, channel, n } of row.reach_channels ?? []) {
    byStage.set(stage, { ...byStage.get(stage), [channel]: n });
  }
  const byEvent = new Map<string, Partial<Record<Channel, number>>>();
  for (const { ev, channel, n } of row.actions ?? []) {
    const event = wanted[ev - 1]!;
    byEvent.set(event, { ...byEvent.get(event), [channel]: n });
  }
  // The delivery rows per stage: one per event, and the rollup's total (event null) of members with any.
  const deliveriesAt = new Map<number, { total: number; byEvent: Map<string, number> }>();
  for (const { stage, event, n } of row.deliveries ?? []) {
    const entry = deliveriesAt.get(stage) ?? { total: 0, byEvent: new Map<string, number>() };
    if (event === null) entry.total = n;
    else entry.byEvent.set(event, n);
    deliveriesAt.set(stage, entry);
  }
  const touchpoints = design.stages.flatMap((stage, i) =>
    stage.touchpoints.map((tp): TouchpointAnalytics => {
      const base = { touchpointId: tp.id, stageId: stage.id, channel: tp.channel };
      const measure = measureOf(stage, tp);
      if (!measure) return { ...base, action: null };
      if (measure.kind === "delivery") {
        const found = deliveriesAt.get(i);
        const acted = found?.total ?? 0;
        return {
          ...base,
          action: {
            measure: "delivery",
            event: measure.events.join(", "),
            acted,
            onDesignedChannel: acted,
            onOtherChannels: 0,
            byChannel: acted > 0 ? { [tp.channel]: acted } : {},
            reachedStage: reachedOf(i),
            deliveries: measure.events.map((event) => ({ event, members: found?.byEvent.get(event) ?? 0 })),
          },
        };
      }
      const byChannel = (measure.kind === "stage" ? byStage.get(i) : byEvent.get(measure.event)) ?? {};
      const acted = Object.values(byChannel).reduce((sum, n) => sum + n, 0);
      const onDesignedChannel = byChannel[tp.channel] ?? 0;
      return {
        ...base,
        action: {
          measure: "action",
          event: measure.event,
          acted,
          onDesignedChannel,
          onOtherChannels: acted - onDesignedChannel,
          byChannel,
          reachedStage: null,
          deliveries: [],
        },
      };
    }),
  );

  const designOrder = design.stages.flatMap((stage, i) => (stage.goal ? [i] : []));
  const top = (row.paths ?? []).map(({ path, n }): JourneyPath => {
    const steps = path.split(" ").map((step) => {
      const [stage, channel] = step.split(":") as [string, Channel];
      return { i: Number(stage), channel };
    });
    return {
      stages: steps.map(({ i, channel }) => ({ stageId: design.stages[i]!.id, channel })),
      members: n,
      share: row.members > 0 ? n / row.members : 0,
      followsDesign: steps.every(({ i }, k) => designOrder[k] === i),
    };
  });

  return {
    window,
    members: row.members,
    membersWithEvents: row.members_with_events,
    stages,
    steps,
    touchpoints,
    paths: { top, distinct: row.distinct_paths, noStage: row.members - row.reaching_members },
  };
}

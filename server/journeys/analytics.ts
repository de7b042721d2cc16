import "server-only";
import { sql } from "drizzle-orm";
import type { Channel } from "~/db/enums";
import type { DbOrTx } from "~/db";
import { InvalidInputError, NotFoundError } from "~/server/errors";
import { withWorkspaceScan } from "~/server/segments/matching";
import type { JourneyDesign, Stage } from "./design";

// How a segment's real customers moved through a journey's design: the
// customer-level, cross-channel outcome view of seed 001, from the events.
//
// Who: the segment's members now (segment_members). What: their events with a
// timestamp in [from, to).
//
// - A member reached a stage when they performed its goal event (on the goal's
//   channel, if it names one) in the window; their first reach is the earliest
//   such event. A stage without a goal has `reached: null`, not 0: nobody can be
//   counted there.
// - A step from stage i to i + 1 (design order) converted a member who reached
//   i and then reached i + 1 at or after their first reach of i; the time it
//   took runs from that first reach to the first reach of i + 1 at or after it.
//   When the event that reached i also meets the goal of i + 1 ("Buy", then
//   "Buy again" on the same event), i + 1 needs an event after it.
//   A step touching a stage without a goal has null figures.
// - A touchpoint is acted on with its action event, or else its stage's goal
//   event on any channel (the goal's channel is dropped: the point is to see on
//   which channel customers answer). Any time in the window counts, not only
//   after the member entered the segment: members are the segment's members now,
//   whose entry time says when the rule matched them, not when the journey
//   started for them, so a cut there would be arbitrary. Members are counted by
//   the channel of their first such event, so the email reader who buys on the
//   web shows up under web. No goal and no action event: `action: null`.
// - A member's path is the stages in the order of their first reach (ties in
//   design order), each with the channel of that first goal event. It follows
//   the design when it is a prefix of the design order of the stages that have
//   goals (the others cannot be reached). The top paths are the most common;
//   equally common ones come in the order of their text ("0:web 2:store").
// - Two qualifying events at the same instant: the first channel in the
//   channel list (db/enums.ts order) is the one reported.
//
// It is one statement: the members' relevant events are read once (through
// events_timeline_idx, member by member) and everything is aggregated in the
// database, so a few dozen rows come back whatever the segment's size.

export interface StageAnalytics {
  stageId: string;
  /** Members who reached it in the window; null when the stage has no goal. */
  reached: number | null;
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
  /** Median hours from the first reach of one stage to the next; null when nobody converted. */
  medianHours: number | null;
}

export interface TouchpointAction {
  /** The event that shows a member acted on the touchpoint. */
  event: string;
  /** Members who performed it in the window. */
  acted: number;
  /** Of those, whose first such event was on the touchpoint's channel, and on any other. */
  onDesignedChannel: number;
  onOtherChannels: number;
  byChannel: Partial<Record<Channel, number>>;
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
  reached: { stage: number; n: number }[] | null;
  steps: { stage: number; n: number; median_hours: number | null }[] | null;
  actions: { ev: number; channel: Channel; n: number }[] | null;
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

  // Stages are named by their place in the design inside the query, so
  // "the next stage" is stage + 1 and the ids never reach the SQL.
  const goals = design.stages.flatMap((stage, i) => (stage.goal ? [{ i, goal: stage.goal }] : []));
  const actionEvents = unique(
    design.stages.flatMap((stage) =>
      stage.touchpoints.flatMap((tp) => {
        const event = actionEventOf(stage, tp.actionEvent);
        return event ? [event] : [];
      }),
    ),
  );
  // Event names are numbered (1-based, their place in `wanted`) inside the query: small integers
  // hash and sort faster than text over hundreds of thousands of rows.
  const wanted = unique([...goals.map((g) => g.goal.event), ...actionEvents]);
  const number = (event: string) => wanted.indexOf(event) + 1;

  const ws = sql`${workspaceId}::uuid`;
  const fromAt = sql`${from.toISOString()}::timestamptz`;
  const toAt = sql`${to.toISOString()}::timestamptz`;
  const query = sql`
    with goals as (
      select g.stage, g.ev, g.channel
      from unnest(${sql.param(goals.map((g) => g.i))}::int[], ${sql.param(goals.map((g) => number(g.goal.event)))}::int[],
                  ${sql.param(goals.map((g) => g.goal.channel ?? null))}::channel[]) as g (stage, ev, channel)
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
    reach as materialized (
      select distinct on (f.customer_id, g.stage) f.customer_id, g.stage, f.at, f.channel
      from firsts f join goals g on g.ev = f.ev and (g.channel is null or g.channel = f.channel)
      order by f.customer_id, g.stage, f.at, f.channel
    ),
    -- Members who reached stage i and i + 1, with both first reaches and the goal of i + 1.
    -- \`same\`: the event that reached i also meets the goal of i + 1 ("Buy", then "Buy again"),
    -- so i + 1 needs a later event: one order is not two.
    pairs as materialized (
      select r.customer_id, r.stage, r.at, n.at as next_at, g.ev, g.channel,
             (gi.ev = g.ev and (g.channel is null or g.channel = r.channel)) as same
      from reach r
      join reach n on n.customer_id = r.customer_id and n.stage = r.stage + 1
      join goals g on g.stage = n.stage
      join goals gi on gi.stage = r.stage
    ),
    -- The first reach of i + 1 at or after the first reach of i (after it, when \`same\`): their
    -- first reach of i + 1, unless that came too early; only then are their later events looked up.
    onward as (
      select stage, next_at - at as took from pairs where next_at > at or (next_at = at and not same)
      union all
      select p.stage, later.at - p.at
      from pairs p
      cross join lateral (
        select e.timestamp as at
        from events e
        where e.workspace_id = ${ws} and e.customer_id = p.customer_id
          and e.timestamp >= p.at and e.timestamp < ${toAt} and (e.timestamp > p.at or not p.same)
          and e.event = (${sql.param(wanted)}::text[])[p.ev]
          and (p.channel is null or e.channel = p.channel)
        order by e.timestamp
        limit 1
      ) later
      where p.next_at < p.at or (p.next_at = p.at and p.same)
    ),
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
            from (select customer_id, stage, channel from reach order by customer_id, at, stage) r
            group by customer_id) p
      group by path
    )
    select
      exists (select 1 from segments s where s.workspace_id = ${ws} and s.id = ${sql`${segmentId}::uuid`})
        as segment_found,
      (select count(*)::int from members) as members,
      -- Members with a wanted event have events; only the others are probed for any event at all.
      ((select count(distinct customer_id)::int from firsts)
        + (select count(*)::int from members m
           where not exists (select 1 from firsts f where f.customer_id = m.customer_id)
             and exists (select 1 from events e where e.workspace_id = ${ws} and e.customer_id = m.customer_id
                           and e.timestamp >= ${fromAt} and e.timestamp < ${toAt}))) as members_with_events,
      (select jsonb_agg(jsonb_build_object('stage', stage, 'n', n))
        from (select stage, count(*)::int as n from reach group by stage) x) as reached,
      (select jsonb_agg(jsonb_build_object('stage', stage, 'n', n, 'median_hours', median_hours))
        from (select stage, count(*)::int as n,
                     percentile_cont(0.5) within group (order by extract(epoch from took)::float8 / 3600) as median_hours
              from onward group by stage) x) as steps,
      (select jsonb_agg(jsonb_build_object('ev', ev, 'channel', channel, 'n', n))
        from (select ev, channel, count(*)::int as n from first_actions group by ev, channel) x) as actions,
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

function actionEventOf(stage: Stage, actionEvent: string | null) {
  return actionEvent ?? stage.goal?.event ?? null;
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
  const reachedAt = new Map((row.reached ?? []).map((r) => [r.stage, r.n]));
  const stepAt = new Map((row.steps ?? []).map((s) => [s.stage, s]));
  const reachedOf = (i: number) => (design.stages[i]?.goal ? (reachedAt.get(i) ?? 0) : null);

  const stages = design.stages.map((stage, i) => ({ stageId: stage.id, reached: reachedOf(i) }));

  const steps = design.stages.slice(0, -1).map((stage, i): StageStep => {
    const next = design.stages[i + 1]!;
    const reached = reachedOf(i);
    const base = { fromStageId: stage.id, toStageId: next.id };
    if (reached === null || reachedOf(i + 1) === null) {
      return { ...base, reached, converted: null, conversion: null, dropOff: null, medianHours: null };
    }
    const step = stepAt.get(i);
    const converted = step?.n ?? 0;
    return {
      ...base,
      reached,
      converted,
      conversion: reached > 0 ? converted / reached : null,
      dropOff: reached - converted,
      medianHours: step?.median_hours ?? null,
    };
  });

  const byEvent = new Map<string, Partial<Record<Channel, number>>>();
  for (const { ev, channel, n } of row.actions ?? []) {
    const event = wanted[ev - 1]!;
    byEvent.set(event, { ...byEvent.get(event), [channel]: n });
  }
  const touchpoints = design.stages.flatMap((stage) =>
    stage.touchpoints.map((tp): TouchpointAnalytics => {
      const event = actionEventOf(stage, tp.actionEvent);
      const base = { touchpointId: tp.id, stageId: stage.id, channel: tp.channel };
      if (!event) return { ...base, action: null };
      const byChannel = byEvent.get(event) ?? {};
      const acted = Object.values(byChannel).reduce((sum, n) => sum + n, 0);
      const onDesignedChannel = byChannel[tp.channel] ?? 0;
      return {
        ...base,
        action: { event, acted, onDesignedChannel, onOtherChannels: acted - onDesignedChannel, byChannel },
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

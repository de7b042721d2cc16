import type { Channel } from "~/db/enums";
import type { JourneyAnalytics, StageStep } from "~/server/journeys/analytics";
import type { JourneyDesign } from "~/server/journeys/design";
import { channelLabels } from "../../../_components/channels";
import { formatCount } from "../../../_components/format";

// The server's analytics turned into the rows the funnel, the channel bars and
// the paths draw, with the design's names. `design` is the design the figures
// were computed over, so every id is found in it.

export interface FunnelRow {
  stageId: string;
  name: string;
  /** The goal event, as "Order Completed" or "Order Completed on Web"; null when the stage has none. */
  goal: { event: string; channel: Channel | null } | null;
  /** Members who reached it in order (docs/journeys.md); null when the stage has no goal. */
  reached: number | null;
  share: number | null;
  /** Members who performed its goal in the window but not after reaching `countedAfter`; null without a goal. */
  outOfOrder: number | null;
  /** The stage with a goal before it, which a member reaches first; null for the first one. */
  countedAfter: string | null;
  /** The step from the stage before; null for the first stage. */
  fromPrevious: StageStep | null;
}

export function funnelRows(analytics: JourneyAnalytics, design: JourneyDesign): FunnelRow[] {
  const figures = new Map(analytics.stages.map((s) => [s.stageId, s]));
  const stepInto = new Map(analytics.steps.map((step) => [step.toStageId, step]));
  let lastWithGoal: string | null = null;
  return design.stages.map((stage, i) => {
    const found = figures.get(stage.id);
    const count = found?.reached ?? null;
    const performed = found?.performedGoal ?? null;
    const countedAfter = stage.goal ? lastWithGoal : null;
    if (stage.goal) lastWithGoal = stage.name;
    return {
      stageId: stage.id,
      name: stage.name,
      goal: stage.goal ? { event: stage.goal.event, channel: stage.goal.channel ?? null } : null,
      reached: count,
      share: count === null || analytics.members === 0 ? null : count / analytics.members,
      outOfOrder: count === null || performed === null ? null : Math.max(0, performed - count),
      countedAfter,
      fromPrevious: i === 0 ? null : (stepInto.get(stage.id) ?? null),
    };
  });
}

/**
 * Why a stage counts fewer members than performed its goal, or null when it does not:
 * "12 more members did Order Completed on Web in the window, but not after reaching Email Opened: not
 * counted here."
 */
export function outOfOrderText(row: FunnelRow): string | null {
  if (!row.goal || !row.outOfOrder || !row.countedAfter) return null;
  const who = row.outOfOrder === 1 ? "1 more member" : `${formatCount(row.outOfOrder)} more members`;
  const goal = `${row.goal.event}${row.goal.channel ? ` on ${channelLabels[row.goal.channel]}` : ""}`;
  return `${who} did ${goal} in the window, but not after reaching ${row.countedAfter}: not counted here.`;
}

/** A median time between stages: "45 min", "5 h", "18.5 h", "3.2 days". */
export function formatDuration(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)} h`;
  const days = hours / 24;
  return `${days < 10 ? Math.round(days * 10) / 10 : Math.round(days)} days`;
}

export interface ChannelPart {
  channel: Channel;
  members: number;
  /** Share of the members who acted. */
  share: number;
  designed: boolean;
}

export interface ChannelMatchRow {
  touchpointId: string;
  title: string;
  stageName: string;
  channel: Channel;
  /** Null when nothing can be counted (no action event and no stage goal). */
  action: {
    /** "delivery": a message asking for no action, counted by its delivery and reaction events. */
    measure: "action" | "delivery";
    event: string;
    /** "delivery" only: members who reached the stage, and per delivery or reaction event. */
    reachedStage: number | null;
    deliveries: { event: string; members: number }[];
    acted: number;
    onDesignedChannel: number;
    onOtherChannels: number;
    /** The designed channel first, then the others with most members first. */
    parts: ChannelPart[];
  } | null;
}

export function channelMatchRows(analytics: JourneyAnalytics, design: JourneyDesign): ChannelMatchRow[] {
  const figures = new Map(analytics.touchpoints.map((tp) => [tp.touchpointId, tp.action]));
  return design.stages.flatMap((stage) =>
    stage.touchpoints.map((tp): ChannelMatchRow => {
      const action = figures.get(tp.id) ?? null;
      const base = { touchpointId: tp.id, title: tp.title, stageName: stage.name, channel: tp.channel };
      if (!action) return { ...base, action: null };
      const parts = (Object.entries(action.byChannel) as [Channel, number][])
        .filter(([, members]) => members > 0)
        .map(([channel, members]) => ({
          channel,
          members,
          share: action.acted > 0 ? members / action.acted : 0,
          designed: channel === tp.channel,
        }))
        .sort((a, b) => Number(b.designed) - Number(a.designed) || b.members - a.members);
      return {
        ...base,
        action: {
          measure: action.measure,
          reachedStage: action.reachedStage,
          deliveries: action.deliveries,
          event: action.event,
          acted: action.acted,
          onDesignedChannel: action.onDesignedChannel,
          onOtherChannels: action.onOtherChannels,
          parts,
        },
      };
    }),
  );
}

export interface PathRow {
  key: string;
  steps: { stageId: string; name: string; channel: Channel }[];
  members: number;
  share: number;
  followsDesign: boolean;
}

export function pathRows(analytics: JourneyAnalytics, design: JourneyDesign): PathRow[] {
  const names = new Map(design.stages.map((stage) => [stage.id, stage.name]));
  return analytics.paths.top.map((path) => ({
    key: path.stages.map((s) => `${s.stageId}:${s.channel}`).join(">"),
    steps: path.stages.map((s) => ({ ...s, name: names.get(s.stageId) ?? "a removed stage" })),
    members: path.members,
    share: path.share,
    followsDesign: path.followsDesign,
  }));
}

/** The stages in design order, marking those that cannot be reached because they have no goal. */
export function designedSequence(
  design: JourneyDesign,
): { stageId: string; name: string; hasGoal: boolean }[] {
  return design.stages.map((stage) => ({
    stageId: stage.id,
    name: stage.name,
    hasGoal: stage.goal !== null,
  }));
}

/** Why there is nothing to show, or null when there is. */
export function emptyReason(analytics: JourneyAnalytics): "noMembers" | "noEvents" | null {
  if (analytics.members === 0) return "noMembers";
  if (analytics.membersWithEvents === 0) return "noEvents";
  return null;
}

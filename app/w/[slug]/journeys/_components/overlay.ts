// What the analytics lay over a journey's map: counts on the stages of the
// grid, on the arrows of the canvas and on each touchpoint. The grid and the
// canvas draw it; the analytics view makes it from the server's figures.

import type { JourneyAnalytics } from "~/server/journeys/analytics";
import type { JourneyDesign } from "~/server/journeys/design";
import type { TouchpointSends } from "~/server/journeys/run/sends";
import { formatCount, formatPercent } from "../../_components/format";

export interface StageOverlay {
  /** Members who reached the stage's goal in the window; null when the stage has no goal. */
  reached: number | null;
  /** reached / members, 0-1; null when the stage has no goal or there are no members. */
  share: number | null;
}

export interface TransitionOverlay {
  fromStageId: string;
  toStageId: string;
  /** Members who reached `to` at or after reaching `from`. */
  converted: number;
  /** converted / reached(from), 0-1; null when nobody reached `from`. */
  conversion: number | null;
}

export interface TouchpointOverlay {
  /**
   * "action": members who acted (the touchpoint's action event or its stage's goal).
   * "delivery": a message asking for no action; `acted` are the members of its stage it was
   * delivered to, or who opened or clicked it, of `reachedStage`.
   */
  measure: "action" | "delivery";
  acted: number;
  /** Of those, how many acted on the touchpoint's own channel. */
  onDesignedChannel: number;
  /** "delivery" only: members who reached the touchpoint's stage. */
  reachedStage: number | null;
}

/** A message's share of its stage's members that it reached; null for an action or an empty stage. */
export function deliveredShare(figures: TouchpointOverlay): number | null {
  return figures.measure === "delivery" && figures.reachedStage ? figures.acted / figures.reachedStage : null;
}

export interface JourneyOverlay {
  members: number;
  /** The window the figures cover, as ISO dates. */
  from: string;
  to: string;
  stages: Record<string, StageOverlay>;
  transitions: TransitionOverlay[];
  /** null for a touchpoint whose acting cannot be measured (no goal, no action event). */
  touchpoints: Record<string, TouchpointOverlay | null>;
  /** What the journey itself sent per touchpoint, all variants together; only touchpoints it sent. */
  sends: Record<string, SendsOverlay>;
}

/** A touchpoint's messages sent by the running journey in the window, and what their customers did next. */
export interface SendsOverlay {
  sent: number;
  /** Distinct customers sent it, and of them who reacted and who reached the journey's goal. */
  customers: number;
  reacted: number;
  converted: number;
}

/** "Sent 1,240 · 31 % reacted · 8 % converted" */
export function describeSends(figures: SendsOverlay): string {
  const of = (n: number) => formatPercent(figures.customers ? n / figures.customers : 0);
  return `Sent ${formatCount(figures.sent)} · ${of(figures.reacted)} reacted · ${of(figures.converted)} converted`;
}

function sendsByTouchpoint(rows: readonly TouchpointSends[], touchpointIds: Set<string>) {
  const sends: Record<string, SendsOverlay> = {};
  for (const row of rows) {
    if (!touchpointIds.has(row.touchpointId) || row.sent === 0) continue;
    const sum = (sends[row.touchpointId] ??= { sent: 0, customers: 0, reacted: 0, converted: 0 });
    sum.sent += row.sent;
    sum.customers += row.customers;
    sum.reacted += row.reacted;
    sum.converted += row.converted;
  }
  return sends;
}

/**
 * The map's overlay from the server's analytics. `design` is the design on the
 * map: figures computed over another version keep only the stages and
 * touchpoints the map still has, matched by id, so nothing is drawn on the
 * wrong item. Steps that touch a stage without a goal have no figures and draw
 * no count.
 */
export function overlayFromAnalytics(
  analytics: JourneyAnalytics & { sends?: readonly TouchpointSends[] | null },
  design: JourneyDesign,
): JourneyOverlay {
  const stageIds = new Set(design.stages.map((stage) => stage.id));
  const touchpointIds = new Set(design.stages.flatMap((stage) => stage.touchpoints.map((tp) => tp.id)));
  const { members } = analytics;

  const stages: Record<string, StageOverlay> = {};
  for (const { stageId, reached } of analytics.stages) {
    if (!stageIds.has(stageId)) continue;
    stages[stageId] = { reached, share: reached === null || members === 0 ? null : reached / members };
  }

  const transitions: TransitionOverlay[] = analytics.steps.flatMap((step) =>
    step.converted === null || !stageIds.has(step.fromStageId) || !stageIds.has(step.toStageId)
      ? []
      : [
          {
            fromStageId: step.fromStageId,
            toStageId: step.toStageId,
            converted: step.converted,
            conversion: step.conversion,
          },
        ],
  );

  const touchpoints: Record<string, TouchpointOverlay | null> = {};
  for (const { touchpointId, action } of analytics.touchpoints) {
    if (!touchpointIds.has(touchpointId)) continue;
    touchpoints[touchpointId] = action && {
      measure: action.measure,
      acted: action.acted,
      onDesignedChannel: action.onDesignedChannel,
      reachedStage: action.reachedStage,
    };
  }

  return {
    members,
    from: isoDay(analytics.window.from),
    to: isoDay(analytics.window.to),
    stages,
    transitions,
    touchpoints,
    sends: sendsByTouchpoint(analytics.sends ?? [], touchpointIds),
  };
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

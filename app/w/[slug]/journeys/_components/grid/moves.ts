import { channels, type Channel } from "~/db/enums";
import { moveTouchpoint, updateTouchpoint } from "~/server/journeys/edit";
import type { JourneyDesign } from "~/server/journeys/design";

// Moving a touchpoint between the grid's cells: a cell is a stage (column) and
// a channel (row), so a move may change the stage, the channel, or both.

export interface Cell {
  stageId: string;
  channel: Channel;
}

export function cellOf(design: JourneyDesign, touchpointId: string): Cell | undefined {
  for (const stage of design.stages) {
    const touchpoint = stage.touchpoints.find((tp) => tp.id === touchpointId);
    if (touchpoint) return { stageId: stage.id, channel: touchpoint.channel };
  }
  return undefined;
}

/** Puts the touchpoint last in the target cell; unchanged when it is already there. */
export function moveToCell(design: JourneyDesign, touchpointId: string, to: Cell): JourneyDesign {
  const from = cellOf(design, touchpointId);
  if (from && from.stageId === to.stageId && from.channel === to.channel) return design;
  const target = design.stages.find((s) => s.id === to.stageId);
  let next = moveTouchpoint(design, touchpointId, to.stageId, target?.touchpoints.length ?? 0);
  if (from?.channel !== to.channel) next = updateTouchpoint(next, touchpointId, { channel: to.channel });
  return next;
}

export type Direction = "left" | "right" | "up" | "down";

/** The cell next to the touchpoint's own in a direction (left/right: stage, up/down: channel), if any. */
export function neighbourCell(
  design: JourneyDesign,
  touchpointId: string,
  direction: Direction,
): Cell | undefined {
  const from = cellOf(design, touchpointId);
  if (!from) return undefined;
  const s = design.stages.findIndex((stage) => stage.id === from.stageId);
  const c = channels.indexOf(from.channel);
  const stage = design.stages[direction === "left" ? s - 1 : direction === "right" ? s + 1 : s];
  const channel = channels[direction === "up" ? c - 1 : direction === "down" ? c + 1 : c];
  return stage && channel ? { stageId: stage.id, channel } : undefined;
}

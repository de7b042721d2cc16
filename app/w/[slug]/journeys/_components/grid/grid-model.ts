import type { Channel } from "~/db/enums";
import type { JourneyDesign } from "~/server/journeys/design";
import type { StagePatch } from "~/server/journeys/edit";

// What the grid's parts hand each other: the edit function, the targets of
// comments and the touchpoint the dialog shows.

export type CommentTarget =
  { kind: "journey" } | { kind: "stage"; id: string } | { kind: "touchpoint"; id: string };

/** The key of a stage's or touchpoint's entry in the open comment counts. */
export function commentKey(target: { kind: "stage" | "touchpoint"; id: string }) {
  return `${target.kind}:${target.id}`;
}

/** Applies an edit to the design; false when a rule refused it (the editor shows why). */
export type Edit = (change: (design: JourneyDesign) => JourneyDesign) => boolean;

/** Changes one field or more of a stage; absent when the grid is read-only. */
export type PatchStage = ((stageId: string) => (patch: StagePatch) => boolean) | undefined;

/** The touchpoint the dialog shows: a new one for a cell, or one already in the design. */
export type FormTarget =
  { kind: "new"; stageId: string; channel: Channel } | { kind: "edit"; touchpointId: string };

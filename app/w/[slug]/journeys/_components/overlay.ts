// What the analytics lay over a journey's map: counts on the stages of the
// grid, on the arrows of the canvas and on each touchpoint. The grid and the
// canvas draw it; the analytics view makes it from the server's figures.

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
  /** Members who acted (the touchpoint's action event or its stage's goal). */
  acted: number;
  /** Of those, how many acted on the touchpoint's own channel. */
  onDesignedChannel: number;
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
}

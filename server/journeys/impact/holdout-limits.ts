// The holdout's bounds, shared by the go-live form and the server.

/** The share of a journey's entrants held out unless the go-live form says otherwise. */
export const DEFAULT_HOLDOUT_PERCENT = 10;
/** More than half held out would leave the journey measuring more than it serves. */
export const MAX_HOLDOUT_PERCENT = 50;

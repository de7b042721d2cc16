import "server-only";
import type { Database } from "~/db";
import { startPollingLoop } from "~/server/jobs/polling-loop";
import { followLiveRuns } from "./entries";
import { runDueSteps } from "./runner";

// The journey runner's loop, beside the job runner in every server process:
// each turn it follows the live runs (entries, exits, events) and then takes
// the due steps, batch after batch while a run has more due than its share of a batch. It uses the
// background pool, so journeys never take the connections pages and the
// tracking API need; several processes share the work through SKIP LOCKED.

/** The longest the loop takes due steps before it follows new events again. */
const STEPS_SLICE_MS = 1_000;

export function startJourneyLoop({
  db,
  intervalMs = 1000,
  batch = 500,
  log,
}: {
  db: Database;
  intervalMs?: number;
  batch?: number;
  log?: (message: string) => void;
}) {
  return startPollingLoop({
    name: "journey loop",
    intervalMs,
    log,
    turn: async (stopped) => {
      // Going live enrols a large segment in steps: several of them per turn. The due steps are
      // taken after each one, so that a customer an event woke is not kept waiting while new
      // events are followed; and events are followed again at least every STEPS_SLICE_MS, so that
      // one run's backlog of due steps does not keep the customers another run's events wake
      // waiting behind it. Only a full batch read brings the next round at once: under steady
      // ingestion some new events are always there, and following them in a tight loop would
      // take the database from the tracking API for a few events a round.
      let backlog = false;
      for (let turns = 0, more = true; turns < 20 && (more || backlog) && !stopped(); turns++) {
        more = await followLiveRuns(db);
        const sliceEnd = Date.now() + STEPS_SLICE_MS;
        backlog = true;
        while (backlog && !stopped() && Date.now() < sliceEnd) {
          backlog = (await runDueSteps(db, { limit: batch })).more;
        }
      }
      return backlog;
    },
  });
}

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
      // events (which keep arriving under load) are followed.
      for (let turns = 0, more = true; turns < 20 && more && !stopped(); turns++) {
        more = (await followLiveRuns(db)) > 0;
        for (let full = true; full && !stopped();) {
          full = (await runDueSteps(db, { limit: batch })).more;
        }
      }
      return false;
    },
  });
}

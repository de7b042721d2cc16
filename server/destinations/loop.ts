import "server-only";
import type { Database } from "~/db";
import { startPollingLoop } from "~/server/jobs/polling-loop";
import { processDueDeliveries } from "./deliveries";

// The sender: beside the job runner in every server process, it sends what is
// due every second (sooner when a batch was full). Several processes share the
// queue safely: each claims rows with FOR UPDATE SKIP LOCKED. It uses the
// background pool, so sending never takes the connections pages need.

export function startDeliveryLoop({
  db,
  intervalMs = 1000,
  batch = 50,
  log,
}: {
  db: Database;
  intervalMs?: number;
  batch?: number;
  log?: (message: string) => void;
}) {
  return startPollingLoop({
    name: "delivery loop",
    intervalMs,
    log,
    turn: async () => (await processDueDeliveries(db, { limit: batch })).length === batch,
  });
}

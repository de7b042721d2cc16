import "server-only";
import type { Database } from "~/db";
import { processDueDeliveries } from "./deliveries";

// The sender: beside the job runner in every server process, it sends what is
// due every second (sooner when a batch was full). Several processes share the
// queue safely: each claims rows with FOR UPDATE SKIP LOCKED. It uses the
// background pool, so sending never takes the connections pages need.

export function startDeliveryLoop({
  db,
  intervalMs = 1000,
  batch = 50,
  log = (message: string) => console.error(message),
}: {
  db: Database;
  intervalMs?: number;
  batch?: number;
  log?: (message: string) => void;
}) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    let full = false;
    try {
      full = (await processDueDeliveries(db, { limit: batch })).length === batch;
    } catch (error) {
      log(`delivery loop: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), full ? 0 : intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

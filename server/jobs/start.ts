import "server-only";
import { BACKGROUND_CONNECTIONS, getBackgroundDb } from "~/db";
import { startDeliveryLoop } from "~/server/destinations/loop";
import { startUploadExpiry } from "~/server/imports/expiry";
import { startJourneyLoop } from "~/server/journeys/run/loop";
import { registerImportJobHandler } from "~/server/imports/job";
import { dataDir } from "~/server/env";
import { registerSegmentHistoryJobHandler } from "~/server/segments/history-job";
import { registerSegmentRefreshJobHandler } from "~/server/segments/job";
import { startSegmentLoop } from "~/server/segments/live";
import { registerValueFitJobHandler } from "~/server/valuation/job";
import { startValueScheduler } from "~/server/valuation/schedule";
import { JobRunner } from "./runner";

// The background work of a server: the job runner with every kind of job the
// app has, and the loops beside it. `npm start` runs it in a process of its own
// (scripts/jobs-process.ts); `next dev` in the server process, from
// instrumentation.ts.

const globalForJobs = globalThis as unknown as {
  centricJobRunner?: { runner: JobRunner; stop: () => Promise<void> };
};

export function startJobRunner(): JobRunner {
  if (globalForJobs.centricJobRunner) return globalForJobs.centricJobRunner.runner;
  registerImportJobHandler({ dataDir: dataDir() });
  registerSegmentRefreshJobHandler();
  registerSegmentHistoryJobHandler();
  // Two chunks stored at once: the background pool's two connections (db/index.ts).
  registerValueFitJobHandler({ chunkRows: 10_000, concurrency: BACKGROUND_CONNECTIONS });

  // Background work has its own small pool, so that it never takes the connections pages need.
  const db = getBackgroundDb();
  const runner = new JobRunner({ db });
  runner.start();
  // Scheduled customer-value fits: queued beside the runner, which then picks them up.
  const stopScheduler = startValueScheduler({ db, onQueued: () => runner.wake() });
  // Segment membership: scheduled refreshes, and changes as new events arrive.
  const stopSegments = startSegmentLoop({ db, onQueued: () => runner.wake() });
  // Uploads left unstarted for a week go, files and all.
  const stopExpiry = startUploadExpiry({ db, dataDir: dataDir() });
  // Messages to customers: the delivery outbox, sent as they come due.
  const stopDeliveries = startDeliveryLoop({ db });
  // Live journeys: entries, exits and each customer's steps.
  const stopJourneys = startJourneyLoop({ db });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopScheduler();
      stopSegments();
      stopExpiry();
      stopDeliveries();
      stopJourneys();
      await runner.stop().catch(() => undefined);
    })());
  globalForJobs.centricJobRunner = { runner, stop };
  // Best effort: hand the current job back at once on shutdown; if the process
  // dies first, another runner takes it over when its heartbeat goes stale.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop());
  return runner;
}

/** Stops the loops and hands the current job back; resolves when the runner has stopped. */
export async function stopJobRunner(): Promise<void> {
  await globalForJobs.centricJobRunner?.stop();
}

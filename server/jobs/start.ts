import { getDb } from "~/db";
import { registerImportJobHandler } from "~/server/imports/job";
import { dataDir } from "~/server/env";
import { JobRunner } from "./runner";

// The server process's runner, started once from instrumentation.ts. Every
// kind of job the app has is registered here.

const globalForJobs = globalThis as unknown as { centricJobRunner?: JobRunner };

export function startJobRunner(): JobRunner {
  if (globalForJobs.centricJobRunner) return globalForJobs.centricJobRunner;
  registerImportJobHandler({ dataDir: dataDir() });

  const runner = new JobRunner({ db: getDb() });
  globalForJobs.centricJobRunner = runner;
  runner.start();
  // Best effort: hand the current job back at once on shutdown; if the process
  // dies first, another runner takes it over when its heartbeat goes stale.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void runner.stop().catch(() => undefined));
  }
  return runner;
}

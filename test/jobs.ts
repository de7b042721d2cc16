import type { Database } from "~/db";
import { IMPORT_JOB_KIND } from "~/server/imports/job-kind";
import { JobRunner, type JobHandler } from "~/server/jobs/runner";

/** A job runner that runs only imports, with `handler`, polling fast; it says only when a job fails. */
export function importRunner(db: Database, handler: JobHandler) {
  return new JobRunner({
    db,
    handlers: new Map([[IMPORT_JOB_KIND, handler]]),
    pollMs: 20,
    log: (line) => {
      // A test that expected the job to go on then shows why it did not.
      if (/ failed: /.test(line)) console.error(`[test runner] ${line}`);
    },
  });
}

/**
 * The handler, with `after` called once each of its steps has committed: to
 * stop the runner there (a server going down) or to act between two steps.
 */
export function afterEachStep(handler: JobHandler, after: () => Promise<void> | void): JobHandler {
  return (ctx) => {
    const step = ctx.step.bind(ctx);
    return handler({
      ...ctx,
      job: ctx.job,
      db: ctx.db,
      checkpoint: ctx.checkpoint,
      step: async (work) => {
        await step(work);
        await after();
      },
    });
  };
}

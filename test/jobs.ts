import type { JobHandler } from "~/server/jobs/runner";

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

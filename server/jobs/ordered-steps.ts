import type { Transaction } from "~/db";
import type { JobContext, StepResult } from "./runner";

// Steps that overlap but commit in order. Each step does its heavy work in its
// own transaction while the step before it is still running; it then waits for
// that step to commit before it writes its checkpoint, so a checkpoint never
// covers work that is not committed. If a step fails, the ones after it roll
// back and the job resumes from the last committed checkpoint.

export interface OrderedSteps {
  /** Starts a step once fewer than `width` are running: `work` at once, `finish` (the checkpoint) after the previous commit. */
  submit(
    work: (tx: Transaction) => Promise<void>,
    finish: (tx: Transaction) => Promise<StepResult> | StepResult,
  ): Promise<void>;
  /** Waits until every submitted step has committed; throws the first failure. */
  drain(): Promise<void>;
}

export function orderedSteps(ctx: JobContext, width: number): OrderedSteps {
  let previous: Promise<void> = Promise.resolve();
  const running = new Set<Promise<void>>();
  return {
    async submit(work, finish) {
      while (running.size >= width) await Promise.race(running);
      const before = previous;
      const step = ctx.step(async (tx) => {
        await work(tx);
        await before;
        return finish(tx);
      });
      previous = step;
      running.add(step);
      // Failures surface through submit() and drain(); a step's own rejection must not go unhandled meanwhile.
      step.then(
        () => running.delete(step),
        () => running.delete(step),
      );
    },
    async drain() {
      await Promise.all([...running, previous]);
    },
  };
}

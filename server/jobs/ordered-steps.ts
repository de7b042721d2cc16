import "server-only";
import { sql } from "drizzle-orm";
import type { Transaction } from "~/db";
import type { JobContext, StepResult } from "./runner";

// Steps that overlap but commit in order. Each step does its heavy work in its
// own transaction while the step before it is still running; it then waits for
// that step to commit before it writes its checkpoint, so a checkpoint never
// covers work that is not committed. If a step fails, the ones after it roll
// back and the job resumes from the last committed checkpoint.
//
// A step that waits keeps the row locks its work took, and PostgreSQL cannot
// see that it waits (it is idle, waiting for this process). If the step before
// needs one of those locks, directly or through another writer (a tracking
// batch merging a customer both chunks touch), neither would ever finish. So a
// waiting step watches the step before: once that one is waiting for a lock,
// the later step gives way (rolls back, freeing its locks), lets it commit, and
// then does its work again alone. `work` must therefore leave nothing behind
// but its writes; anything the job keeps in memory is recorded in `finish`.

/** How often a waiting step checks whether the step before it waits for a lock. */
export const LOCK_CHECK_MS = 250;

export interface OrderedSteps {
  /** Starts a step once fewer than `width` are running: `work` at once, `finish` (the checkpoint) after the previous commit. */
  submit(
    work: (tx: Transaction) => Promise<void>,
    finish: (tx: Transaction) => Promise<StepResult> | StepResult,
  ): Promise<void>;
  /** Waits until every submitted step has committed; throws the first failure. */
  drain(): Promise<void>;
}

class GaveWay extends Error {}

interface Running {
  done: Promise<void>;
  /** The server process of the step's current transaction (a step that gave way starts another). */
  pid: number | undefined;
}

async function backendPid(tx: Transaction) {
  const result = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
  return result.rows[0]!.pid;
}

/** Waits for `before` to settle; false as soon as its transaction is seen waiting for a lock. */
async function waitOrGiveWay(tx: Transaction, before: Running): Promise<boolean> {
  const settled = before.done.then(
    () => true,
    () => true,
  );
  for (;;) {
    const tick = new Promise<false>((resolve) => setTimeout(() => resolve(false), LOCK_CHECK_MS));
    if (await Promise.race([settled, tick])) return true;
    if (before.pid === undefined) continue;
    const result = await tx.execute<{ waiting: boolean }>(
      sql`select cardinality(pg_blocking_pids(${before.pid}::int)) > 0 as waiting`,
    );
    if (result.rows[0]?.waiting) return false;
  }
}

export function orderedSteps(ctx: JobContext, width: number): OrderedSteps {
  let previous: Running = { done: Promise.resolve(), pid: undefined };
  const running = new Set<Promise<void>>();
  return {
    async submit(work, finish) {
      while (running.size >= width) await Promise.race(running);
      const before = previous;
      const self: Running = { done: Promise.resolve(), pid: undefined };
      const first = ctx.step(async (tx) => {
        self.pid = await backendPid(tx);
        await work(tx);
        if (!(await waitOrGiveWay(tx, before))) throw new GaveWay();
        await before.done;
        return finish(tx);
      });
      const done = first.catch(async (error: unknown) => {
        if (!(error instanceof GaveWay)) throw error;
        self.pid = undefined;
        await before.done;
        await ctx.step(async (tx) => {
          self.pid = await backendPid(tx);
          await work(tx);
          return finish(tx);
        });
      });
      self.done = done;
      previous = self;
      running.add(done);
      // Failures surface through submit() and drain(); a step's own rejection must not go unhandled meanwhile.
      done.then(
        () => running.delete(done),
        () => running.delete(done),
      );
    },
    async drain() {
      await Promise.all([...running, previous.done]);
    },
  };
}

import { sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { describeEachDatabase } from "~/test/databases";
import { orderedSteps } from "./ordered-steps";
import type { JobRow } from "./jobs";
import type { JobContext, StepResult } from "./runner";

// Overlapping steps commit in order, and a later step that holds a lock the
// earlier one needs gives way instead of waiting for it forever.

/** A job context whose steps are plain transactions, recording the checkpoints they commit. */
function contextOn(db: Database, committed: unknown[]): JobContext {
  return {
    job: { id: "job", attempts: 1 } as unknown as JobRow,
    db,
    checkpoint: undefined,
    async step(work) {
      const result: StepResult = await db.transaction((tx) => work(tx));
      committed.push(result.checkpoint);
    },
    async saveProgress() {},
    async heartbeat() {},
  };
}

describeEachDatabase("ordered steps", (getDb) => {
  beforeEach(async () => {
    await getDb().execute(sql`create table if not exists step_probe (id int primary key, n int not null)`);
    await getDb().execute(sql`truncate step_probe`);
    await getDb().execute(sql`insert into step_probe values (1, 0)`);
  });

  it("commits overlapping steps in the order they were submitted", async () => {
    const committed: unknown[] = [];
    const steps = orderedSteps(contextOn(getDb(), committed), 2);
    const slow = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    await steps.submit(
      () => slow(200),
      () => ({ checkpoint: 1 }),
    );
    await steps.submit(
      () => slow(10),
      () => ({ checkpoint: 2 }),
    );
    await steps.drain();
    expect(committed).toEqual([1, 2]);
  });

  it("a later step holding a row the earlier one needs gives way, and both commit in order", async () => {
    const committed: unknown[] = [];
    const steps = orderedSteps(contextOn(getDb(), committed), 2);
    let laterLocked!: () => void;
    const rowTaken = new Promise<void>((resolve) => (laterLocked = resolve));
    let laterWorked = 0;
    await steps.submit(
      async (tx) => {
        await rowTaken;
        // Waits for the later step's lock: the later step must give it up.
        await tx.execute(sql`update step_probe set n = n + 1 where id = 1`);
      },
      () => ({ checkpoint: "earlier" }),
    );
    await steps.submit(
      async (tx) => {
        laterWorked++;
        await tx.execute(sql`update step_probe set n = n + 10 where id = 1`);
        laterLocked();
      },
      () => ({ checkpoint: "later" }),
    );
    await steps.drain();
    expect(committed).toEqual(["earlier", "later"]);
    expect(laterWorked).toBe(2);
    const result = await getDb().execute<{ n: number }>(sql`select n from step_probe where id = 1`);
    expect(result.rows[0]!.n).toBe(11);
  }, 20_000);
});

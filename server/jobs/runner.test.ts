import { sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { cancelJob, enqueueJob, getJob, pauseJob, resumeJob } from "./jobs";
import { JobRunner, type JobHandler } from "./runner";

// A job that counts to `payload.to` one step at a time, with its count as the
// checkpoint; `visits` records which numbers each attempt worked on, so a test
// can see that a resumed job neither repeats nor skips a step.

interface Counter {
  visits: { attempt: number; n: number }[];
  /** Called after each step; may stop a runner or change the job. */
  afterStep?: (n: number) => Promise<void> | void;
  stepDelayMs?: number;
}

function counterHandler(counter: Counter): JobHandler {
  return async (ctx) => {
    const to = Number(ctx.job.payload.to);
    let n = (ctx.checkpoint as number | undefined) ?? 0;
    while (n < to) {
      const next = n + 1;
      await ctx.step(async () => {
        if (counter.stepDelayMs) await new Promise((r) => setTimeout(r, counter.stepDelayMs));
        counter.visits.push({ attempt: ctx.job.attempts, n: next });
        return { checkpoint: next, done: next, total: to, message: `${next} of ${to}` };
      });
      n = next;
      await counter.afterStep?.(n);
    }
  };
}

function failingHandler(): JobHandler {
  return async (ctx) => {
    await ctx.step(async () => ({ checkpoint: 1, done: 1, total: 3 }));
    throw new Error("The source file has a broken line 42");
  };
}

function runner(db: Database, handlers: Record<string, JobHandler>, options: { staleAfterMs?: number } = {}) {
  return new JobRunner({
    db,
    handlers: new Map(Object.entries(handlers)),
    pollMs: 20,
    staleAfterMs: options.staleAfterMs,
    log: () => undefined,
  });
}

async function waitFor<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeEachDatabase("job runner", (getDb) => {
  let workspaceId: string;
  let userId: string;

  beforeEach(async () => {
    await truncateAllTables(getDb());
    const { workspace, admin } = await makeWorkspace(getDb());
    workspaceId = workspace.id;
    userId = admin.id;
  });

  const job = (id: string) => getJob(getDb(), { workspaceId, jobId: id });

  it("runs a queued job to success with its progress", async () => {
    const db = getDb();
    const counter: Counter = { visits: [] };
    const { id } = await enqueueJob(db, {
      workspaceId,
      kind: "count",
      payload: { to: 5 },
      createdBy: userId,
    });
    expect((await job(id)).status).toBe("queued");
    expect(await runner(db, { count: counterHandler(counter) }).runOnce()).toBe(true);
    const done = await job(id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, error: null });
    expect(done.progress).toMatchObject({ done: 5, total: 5, message: "5 of 5", checkpoint: 5 });
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(counter.visits.map((v) => v.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it("a job survives a restart: the next runner resumes from the checkpoint, progress never goes back", async () => {
    const db = getDb();
    const counter: Counter = { visits: [], stepDelayMs: 5 };
    const { id } = await enqueueJob(db, { workspaceId, kind: "count", payload: { to: 12 } });
    const first = runner(db, { count: counterHandler(counter) });
    // One read at a time, so that the readings come in the order the database answered them
    // (reads in parallel on several connections can finish in another order than they began).
    const seen: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const reading = await job(id).catch(() => undefined);
        if (reading) seen.push(Number(reading.progress.done ?? 0));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    counter.afterStep = (n) => {
      if (n === 4) void first.stop();
    };
    first.start();
    await waitFor(
      () => job(id),
      (j) => j.status === "queued" && j.progress.done === 4,
    );
    await first.stop();
    expect((await job(id)).progress.checkpoint).toBe(4);

    counter.afterStep = undefined;
    const second = runner(db, { count: counterHandler(counter) });
    second.start();
    await waitFor(
      () => job(id),
      (j) => j.status === "succeeded",
    );
    await second.stop();
    watching = false;
    await watcher;

    expect(counter.visits.map((v) => v.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(new Set(counter.visits.filter((v) => v.n > 4).map((v) => v.attempt))).toEqual(new Set([2]));
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect((await job(id)).progress.done).toBe(12);
  });

  it("takes over a running job whose process died (heartbeat older than the limit), not a live one", async () => {
    const db = getDb();
    const counter: Counter = { visits: [] };
    const { id } = await enqueueJob(db, { workspaceId, kind: "count", payload: { to: 6 } });
    // As a crashed process leaves it: running, with a checkpoint, and a heartbeat 10 s old.
    await db.execute(sql`
      update jobs set status = 'running', attempts = 1, started_at = now() - interval '1 minute',
        heartbeat_at = now() - interval '10 seconds',
        progress = '{"checkpoint": 3, "done": 3, "total": 6}'::jsonb
      where id = ${id}`);
    expect(await runner(db, { count: counterHandler(counter) }, { staleAfterMs: 30_000 }).runOnce()).toBe(
      false,
    );
    expect(await runner(db, { count: counterHandler(counter) }, { staleAfterMs: 5_000 }).runOnce()).toBe(
      true,
    );
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(counter.visits.map((v) => v.n)).toEqual([4, 5, 6]);
  });

  it("pauses between steps, resumes where it stopped, and cancels", async () => {
    const db = getDb();
    const counter: Counter = { visits: [] };
    const { id } = await enqueueJob(db, { workspaceId, kind: "count", payload: { to: 10 } });
    counter.afterStep = async (n) => {
      if (n === 3) await pauseJob(db, { workspaceId, jobId: id });
    };
    const r = runner(db, { count: counterHandler(counter) });
    await r.runOnce();
    expect(await job(id)).toMatchObject({ status: "paused", progress: { done: 3, checkpoint: 3 } });
    expect(await r.runOnce()).toBe(false); // a paused job is not picked up

    await expect(
      cancelJob(db, { workspaceId, jobId: id }).then(() => resumeJob(db, { workspaceId, jobId: id })),
    ).rejects.toThrow("A cancelled job cannot be resumed.");
  });

  it("resume continues a paused job from its checkpoint", async () => {
    const db = getDb();
    const counter: Counter = { visits: [] };
    const { id } = await enqueueJob(db, { workspaceId, kind: "count", payload: { to: 6 } });
    counter.afterStep = async (n) => {
      if (n === 2) await pauseJob(db, { workspaceId, jobId: id });
    };
    const r = runner(db, { count: counterHandler(counter) });
    await r.runOnce();
    expect((await job(id)).status).toBe("paused");
    counter.afterStep = undefined;
    await resumeJob(db, { workspaceId, jobId: id });
    expect((await job(id)).status).toBe("queued");
    await r.runOnce();
    expect(await job(id)).toMatchObject({ status: "succeeded", progress: { done: 6 } });
    expect(counter.visits.map((v) => v.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("a cancelled job stops at its next step and is not run again", async () => {
    const db = getDb();
    const counter: Counter = { visits: [] };
    const { id } = await enqueueJob(db, { workspaceId, kind: "count", payload: { to: 10 } });
    counter.afterStep = async (n) => {
      if (n === 2) await cancelJob(db, { workspaceId, jobId: id });
    };
    const r = runner(db, { count: counterHandler(counter) });
    await r.runOnce();
    const cancelled = await job(id);
    expect(cancelled).toMatchObject({ status: "cancelled", progress: { done: 2 } });
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    expect(await r.runOnce()).toBe(false);
    expect(counter.visits).toHaveLength(2);
    await expect(pauseJob(db, { workspaceId, jobId: id })).rejects.toThrow(
      "A cancelled job cannot be paused.",
    );
  });

  it("records a failure with the error message; resume retries from the checkpoint", async () => {
    const db = getDb();
    const { id } = await enqueueJob(db, { workspaceId, kind: "flaky", payload: {} });
    await runner(db, { flaky: failingHandler() }).runOnce();
    const failed = await job(id);
    expect(failed).toMatchObject({
      status: "failed",
      error: "The source file has a broken line 42",
      progress: { done: 1 },
    });
    expect(failed.finishedAt).toBeInstanceOf(Date);

    await resumeJob(db, { workspaceId, jobId: id });
    expect(await job(id)).toMatchObject({ status: "queued", error: null, finishedAt: null });
  });

  it("leaves alone jobs of kinds it has no handler for", async () => {
    const db = getDb();
    const { id } = await enqueueJob(db, { workspaceId, kind: "model-fit", payload: {} });
    expect(await runner(db, { count: counterHandler({ visits: [] }) }).runOnce()).toBe(false);
    expect((await job(id)).status).toBe("queued");
  });
});

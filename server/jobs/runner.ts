import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database, DbOrTx, Transaction } from "~/db";
import { jobs } from "~/db/schema";
import { type JobStatus } from "~/db/enums";
import { textArray } from "~/db/sql";
import type { JobProgress, JobRow } from "./jobs";

// ---------------------------------------------------------------------------
// The runner: one per server process. It claims one job at a time (queued, or
// running with a heartbeat older than `staleAfterMs` — a job whose process
// died), runs its handler, and records the outcome. Handlers work in steps:
// each step's writes commit together with the job's checkpoint and progress,
// so a job interrupted anywhere resumes after its last committed step and
// never does a step's work twice. `attempts` is the claim's fencing token: a
// runner whose claim was taken over (its heartbeat went stale) cannot save.
// ---------------------------------------------------------------------------

export interface JobContext {
  readonly job: JobRow;
  readonly db: Database;
  /** The checkpoint saved by the last committed step of this job, if any. */
  readonly checkpoint: unknown;
  /**
   * Runs `work` in a transaction and saves what it returns as the job's
   * checkpoint and progress in the same transaction. Afterwards it throws
   * JobStopped when the job was paused or cancelled meanwhile, or the runner
   * is stopping, so the handler stops between steps.
   */
  step(work: (tx: Transaction) => Promise<StepResult>): Promise<void>;
  /** Saves progress without other work; same stop rules as step(). */
  saveProgress(progress: StepResult): Promise<void>;
  /** Tells other runners the job is alive (steps do it too). */
  heartbeat(): Promise<void>;
}

export interface StepResult extends JobProgress {
  checkpoint?: unknown;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

/** Thrown out of a step when the job must stop there; not a failure. */
export class JobStopped extends Error {
  name = "JobStopped";
  constructor(readonly reason: "paused" | "cancelled" | "stopping" | "lost") {
    super(`The job stopped (${reason}).`);
  }
}

// Handlers by kind, for every runner of this process.
const registry = new Map<string, JobHandler>();

export function registerJobHandler(kind: string, handler: JobHandler) {
  registry.set(kind, handler);
}

export interface JobRunnerOptions {
  db: Database;
  /** A running job whose heartbeat is older than this is taken over (default 30 s). */
  staleAfterMs?: number;
  /** How often an idle runner looks for work (default 1 s). */
  pollMs?: number;
  /** Heartbeat while a step runs long (default 10 s). */
  heartbeatMs?: number;
  /** Handlers by kind; defaults to those registered with registerJobHandler(). */
  handlers?: ReadonlyMap<string, JobHandler>;
  log?: (message: string) => void;
}

export class JobRunner {
  private readonly db: Database;
  private readonly staleAfterMs: number;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly handlers: ReadonlyMap<string, JobHandler>;
  private readonly log: (message: string) => void;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private current: Promise<unknown> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(options: JobRunnerOptions) {
    this.db = options.db;
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.handlers = options.handlers ?? registry;
    this.log = options.log ?? ((message) => console.log(`[jobs] ${message}`));
  }

  get isStopping() {
    return this.stopping;
  }

  /** Starts polling for jobs in the background. */
  start() {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Looks for work now rather than at the next poll. */
  wake() {
    this.wakeUp?.();
  }

  /**
   * Stops after the current step of the current job, which goes back to the
   * queue with its checkpoint so that the next runner resumes it at once.
   */
  async stop() {
    this.stopping = true;
    this.wake();
    await this.loop;
    await this.current;
    this.loop = undefined;
  }

  private async run() {
    let failures = 0;
    while (!this.stopping) {
      let ran = false;
      try {
        ran = await this.runOnce();
        failures = 0;
      } catch (error) {
        // The database is away (a restart, a network blip): wait longer each time, log once.
        if (failures++ === 0) this.log(`cannot reach the job queue: ${(error as Error).message}`);
      }
      if (!ran && !this.stopping) await this.sleep(this.pollMs * Math.min(1 + failures, 10));
    }
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Claims one job and runs it to its end (or its stop); false when there was nothing to do. */
  async runOnce(): Promise<boolean> {
    if (this.stopping) return false;
    const job = await this.claim();
    if (!job) return false;
    const running = this.execute(job);
    this.current = running;
    await running;
    this.current = undefined;
    return true;
  }

  /** The oldest runnable job of a kind this runner handles, marked running under a new attempt number. */
  private async claim(): Promise<JobRow | undefined> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return undefined;
    const runnable = sql`(${jobs.status} = 'queued'
      or (${jobs.status} = 'running' and (${jobs.heartbeatAt} is null
          or ${jobs.heartbeatAt} < now() - make_interval(secs => ${this.staleAfterMs / 1000}))))`;
    const result = await this.db.execute<{ workspace_id: string; id: string }>(sql`
      update jobs set status = 'running', attempts = attempts + 1, heartbeat_at = now(),
        started_at = coalesce(started_at, now()), finished_at = null, error = null
      where (workspace_id, id) = (
        select workspace_id, id from jobs
        where ${runnable} and kind = any(${textArray(kinds)})
        order by created_at
        limit 1
        for update skip locked
      ) and ${runnable}
      returning workspace_id, id`);
    const claimed = result.rows[0];
    if (!claimed) return undefined;
    const [row] = await this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.workspaceId, claimed.workspace_id), eq(jobs.id, claimed.id)));
    return row as JobRow | undefined;
  }

  private async execute(job: JobRow) {
    const handler = this.handlers.get(job.kind)!;
    const resuming = job.progress?.checkpoint !== undefined;
    this.log(`${resuming ? "resuming" : "running"} ${job.kind} job ${job.id} (attempt ${job.attempts})`);
    const mine = and(
      eq(jobs.workspaceId, job.workspaceId),
      eq(jobs.id, job.id),
      eq(jobs.attempts, job.attempts),
    );
    let progress: JobRow["progress"] = job.progress ?? {};

    const stopIfAsked = (status: JobStatus) => {
      if (status === "paused" || status === "cancelled") throw new JobStopped(status);
      if (this.stopping) throw new JobStopped("stopping");
    };

    const save = async (tx: DbOrTx, result: StepResult) => {
      const next = { ...progress, ...result };
      // A stopping runner hands the job back in the same transaction as its last step.
      const [row] = await tx
        .update(jobs)
        .set({
          progress: next,
          heartbeatAt: sql`now()`,
          ...(this.stopping
            ? {
                status: sql`case when ${jobs.status} = 'running' then 'queued'::job_status else ${jobs.status} end`,
              }
            : {}),
        })
        .where(and(mine, sql`${jobs.status} in ('running', 'paused', 'cancelled')`))
        .returning({ status: jobs.status });
      if (!row) throw new JobStopped("lost");
      return { next, status: row.status };
    };

    const ctx: JobContext = {
      job,
      db: this.db,
      get checkpoint() {
        return progress.checkpoint;
      },
      step: async (work) => {
        // Paused or cancelled since the last step: stop before doing more.
        const [current] = await this.db.select({ status: jobs.status }).from(jobs).where(mine);
        if (!current) throw new JobStopped("lost");
        stopIfAsked(current.status);
        const saved = await this.db.transaction(async (tx) => save(tx, await work(tx)));
        progress = saved.next;
        stopIfAsked(saved.status);
      },
      saveProgress: async (result) => {
        const saved = await save(this.db, result);
        progress = saved.next;
        stopIfAsked(saved.status);
      },
      heartbeat: async () => {
        await this.db
          .update(jobs)
          .set({ heartbeatAt: sql`now()` })
          .where(and(mine, eq(jobs.status, "running")));
      },
    };

    const beat = setInterval(() => {
      ctx.heartbeat().catch(() => undefined);
    }, this.heartbeatMs);
    beat.unref?.();
    try {
      await handler(ctx);
      await this.db
        .update(jobs)
        .set({ status: "succeeded", finishedAt: sql`now()`, heartbeatAt: sql`now()` })
        .where(and(mine, sql`${jobs.status} in ('running', 'paused')`));
    } catch (error) {
      // While the process shuts down, errors are most likely its closing pool: hand the job back.
      if (error instanceof JobStopped || this.stopping) {
        if (!(error instanceof JobStopped) || error.reason === "stopping") {
          await this.db
            .update(jobs)
            .set({ status: "queued", heartbeatAt: null })
            .where(and(mine, eq(jobs.status, "running")))
            .catch(() => undefined);
        }
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.log(`${job.kind} job ${job.id} failed: ${message}`);
      await this.db
        .update(jobs)
        .set({ status: "failed", error: message.slice(0, 2000), finishedAt: sql`now()` })
        .where(and(mine, eq(jobs.status, "running")))
        .catch((e: Error) => this.log(`could not record the failure of job ${job.id}: ${e.message}`));
    } finally {
      clearInterval(beat);
    }
  }
}

import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Transaction } from "~/db";
import { valueFits } from "~/db/schema";
import { markJobDone } from "~/server/jobs/jobs";
import { JobStopped, registerJobHandler, type StepResult } from "~/server/jobs/runner";
import { textArray } from "~/db/sql";
import { formatDay, parseDay, rfmGroups } from "~/server/value";
import { float8Array, intArray, uuidArray } from "./binary-arrays";
import { queueValueDependentRefreshes } from "~/server/segments/store";
import { VALUE_FIT_JOB_KIND } from "./fits";
import {
  diagnosticsOf,
  fitModels,
  groupSummary,
  liveComparisonSplit,
  portfolioOf,
  scoreSummary,
  type CustomerScoreColumns,
} from "./model";
import { earliestPurchaseDay, latestPurchaseDay, summarizePurchases, type PurchaseSummary } from "./summary";
import type { ValueFitModels, ValueFitPortfolio, ValueFitTimings } from "./types";

// The fit as a job, in steps that each commit with the job's checkpoint:
//
//   summary  the purchase summary (./summary.ts), with the split the models are
//            compared on; stores the data window and counts
//   fit      the model comparison, the purchase model and Gamma-Gamma (./model.ts);
//            stores the estimates
//   store    every customer's scores, upserted into customer_values in chunks of
//            customers in id order; the checkpoint is the last id stored
//   finish   rows of customers no longer in the data (merged away) are deleted, the
//            diagnostics and portfolio stored, the fit marked succeeded
//
// A holdout check (purpose "holdout") is a validation: its summary ends at its
// calibration end and its comparison's holdout runs to the latest purchase; it stores
// its estimates, comparison and diagnostics but no customer_values, no portfolio, and
// it is never a later live fit's previous fit.
//
// The summary and the scores live in memory only: a job resumed after a restart
// reads the summary again and scores with the stored estimates, then goes on after
// the last stored customer. Upserts make a repeated chunk harmless, and until the
// finish step the previous fit's rows of customers not yet reached stay as they were:
// a failed fit leaves the previous values in place (those it already replaced keep
// their new values, and carry the previous group for the movement table).

export const VALUE_STORE_CHUNK_ROWS = 10_000;

interface FitCheckpoint {
  stage: "summarized" | "fitted" | "storing" | "finished";
  /** The last customer id stored (ids ascend). */
  lastCustomerId?: string;
  stored?: number;
  timings: ValueFitTimings;
}

/** What the fit needs of a job; the job runner provides it, and bench/value-app.ts a plain one. */
export interface FitRunContext {
  db: Database;
  checkpoint: unknown;
  step(work: (tx: Transaction) => Promise<StepResult>): Promise<void>;
  saveProgress(progress: StepResult): Promise<void>;
}

export interface RunFitOptions {
  chunkRows?: number;
  /** Chunks stored at once, each on its own connection (default 1): at most the pool's size. */
  concurrency?: number;
  /** Called after each phase with the time it took (the benchmark prints them). */
  onPhase?: (phase: "summary" | "fit" | "score" | "store" | "finish", ms: number) => void;
}

const now = () => performance.now();

export async function runValueFit(
  ctx: FitRunContext,
  input: { workspaceId: string; fitId: string },
  options: RunFitOptions = {},
) {
  const { db } = ctx;
  const { workspaceId, fitId } = input;
  const chunkRows = options.chunkRows ?? VALUE_STORE_CHUNK_ROWS;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const thisFit = and(eq(valueFits.workspaceId, workspaceId), eq(valueFits.id, fitId));
  const [fit] = await db.select().from(valueFits).where(thisFit);
  if (!fit) throw new Error(`Fit ${fitId} does not exist.`);
  if (fit.status === "succeeded") return;

  let checkpoint = ctx.checkpoint as FitCheckpoint | undefined;
  const timings: ValueFitTimings = checkpoint?.timings ?? { summaryMs: 0, fitMs: 0, scoreMs: 0, storeMs: 0 };
  const settings = { horizonWeeks: fit.horizonWeeks, discountRate: fit.discountRate };
  const endDay = parseDay(fit.calibrationEnd)!;
  const live = fit.purpose === "live";
  const phase = (name: Parameters<NonNullable<RunFitOptions["onPhase"]>>[0], ms: number) =>
    options.onPhase?.(name, ms);

  try {
    await db
      .update(valueFits)
      .set({ status: "running", error: null, finishedAt: null })
      .where(and(thisFit, inArray(valueFits.status, ["queued", "running", "failed"])));
    await ctx.saveProgress({
      message: checkpoint ? "Resuming: reading the purchases again" : "Reading the purchases",
    });

    // --- summary ----------------------------------------------------------------
    let started = now();
    let summary!: PurchaseSummary;
    const comparison = live
      ? await earliestPurchaseDay(db, workspaceId).then((first) =>
          first === null ? undefined : (liveComparisonSplit(first, endDay) ?? undefined),
        )
      : await latestPurchaseDay(db, workspaceId).then((last) =>
          last !== null && last > endDay ? { calibrationEndDay: endDay, holdoutEndDay: last } : undefined,
        );
    const summarize = (tx: Transaction) =>
      summarizePurchases(tx, { workspaceId, calibrationEndDay: endDay, comparison });
    if (!checkpoint) {
      await ctx.step(async (tx) => {
        summary = await summarize(tx);
        if (summary.ids.length === 0) {
          throw new Error(`There are no purchases on or before the calibration end (${fit.calibrationEnd}).`);
        }
        timings.summaryMs += now() - started;
        let dataStart = Infinity;
        let dataEnd = -Infinity;
        let repeat = 0;
        for (let i = 0; i < summary.ids.length; i++) {
          dataStart = Math.min(dataStart, summary.firstDay[i]!);
          dataEnd = Math.max(dataEnd, summary.lastDay[i]!);
          if (summary.x[i]! > 0) repeat++;
        }
        await tx
          .update(valueFits)
          .set({
            dataStart: formatDay(dataStart),
            dataEnd: formatDay(dataEnd),
            customers: summary.ids.length,
            repeatCustomers: repeat,
          })
          .where(thisFit);
        checkpoint = { stage: "summarized", timings };
        return {
          checkpoint,
          done: 1,
          total: totalSteps(summary, chunkRows),
          message: `${summary.ids.length.toLocaleString("en")} customers with purchases; fitting and comparing the models`,
        };
      });
    } else {
      summary = await db.transaction(summarize);
      timings.summaryMs += now() - started;
      if (summary.ids.length === 0) throw new Error("The purchases are gone since the fit started.");
    }
    phase("summary", now() - started);
    const total = totalSteps(summary, chunkRows);

    // --- fit --------------------------------------------------------------------
    started = now();
    const histories = groupSummary(summary);
    let models: ValueFitModels;
    if (checkpoint!.stage === "summarized") {
      const fitted = fitModels(summary, { purpose: fit.purpose, modelChoice: fit.modelChoice }, histories);
      models = fitted;
      timings.fitMs += now() - started;
      await ctx.step(async (tx) => {
        // Movement compares with the previous live fit; a holdout check has none.
        const [previous] = live
          ? await tx
              .select({ id: valueFits.id })
              .from(valueFits)
              .where(
                and(
                  eq(valueFits.workspaceId, workspaceId),
                  eq(valueFits.status, "succeeded"),
                  eq(valueFits.purpose, "live"),
                ),
              )
              .orderBy(sql`${valueFits.createdAt} desc`)
              .limit(1)
          : [];
        await tx
          .update(valueFits)
          .set({ models: fitted, previousFitId: previous?.id ?? null })
          .where(thisFit);
        checkpoint = { stage: "fitted", timings };
        return {
          checkpoint,
          done: 2,
          total,
          message: live ? "Scoring the customers" : "Checking the models on the holdout",
        };
      });
    } else {
      const [stored] = await db.select({ models: valueFits.models }).from(valueFits).where(thisFit);
      if (!stored?.models) throw new Error("The fit's estimates are missing.");
      models = stored.models;
    }
    phase("fit", now() - started);

    // --- score and store ---------------------------------------------------------
    started = now();
    if (!live) {
      await finishHoldoutCheck(ctx, { thisFit, summary, models, timings, total });
      phase("finish", now() - started);
      return;
    }
    const scores = scoreSummary(summary, models, settings, histories);
    timings.scoreMs += now() - started;
    phase("score", now() - started);

    started = now();
    const [meta] = await db.select({ previousFitId: valueFits.previousFitId }).from(valueFits).where(thisFit);
    const previousFitId = meta?.previousFitId ?? null;
    let next =
      checkpoint!.lastCustomerId === undefined ? 0 : firstAfter(summary.ids, checkpoint!.lastCustomerId);
    if (checkpoint!.stage === "finished") next = summary.ids.length;
    while (next < summary.ids.length) {
      // `concurrency` chunks per step: the first in the step's transaction, the others beside it
      // in their own, committed before the step (and its checkpoint) commits. A step that fails
      // after they committed is done again on resume: the upsert writes the same rows again.
      const ranges: [number, number][] = [];
      for (let k = 0; k < concurrency && next + k * chunkRows < summary.ids.length; k++) {
        const from = next + k * chunkRows;
        ranges.push([from, Math.min(summary.ids.length, from + chunkRows)]);
      }
      const to = ranges.at(-1)![1];
      const chunkStarted = now();
      await ctx.step(async (tx) => {
        await Promise.all(
          ranges.map(([from, end], k) => {
            const chunk = { workspaceId, fitId, previousFitId, summary, scores, from, to: end };
            return k === 0 ? storeChunk(tx, chunk) : db.transaction((other) => storeChunk(other, chunk));
          }),
        );
        timings.storeMs += now() - chunkStarted;
        checkpoint = { stage: "storing", lastCustomerId: summary.ids[to - 1]!, stored: to, timings };
        return {
          checkpoint,
          done: 2 + Math.ceil(to / chunkRows),
          total,
          message: `Stored ${to.toLocaleString("en")} of ${summary.ids.length.toLocaleString("en")} customers`,
        };
      });
      next = to;
    }
    phase("store", now() - started);

    // --- finish ------------------------------------------------------------------
    started = now();
    const diagnostics = diagnosticsOf(summary, models);
    const rows = portfolioOf(summary, scores);
    const diagnosticsMs = now() - started;
    await ctx.step(async (tx) => {
      const finishStarted = now();
      await tx.execute(sql`
        delete from customer_values where workspace_id = ${workspaceId} and fit_id <> ${fitId}`);
      const movement = await tx.execute<{ from: string; to: string; customers: number }>(sql`
        select previous_rfm_group::text as from, rfm_group::text as to, count(*)::int as customers
        from customer_values
        where workspace_id = ${workspaceId} and previous_rfm_group is not null
        group by 1, 2`);
      timings.scoreMs += diagnosticsMs;
      timings.storeMs += now() - finishStarted;
      const portfolio: ValueFitPortfolio = {
        rows,
        movement: movement.rows
          .map(
            (m) =>
              ({ from: m.from, to: m.to, customers: m.customers }) as ValueFitPortfolio["movement"][number],
          )
          .sort((a, b) => groupOrder(a.from) - groupOrder(b.from) || groupOrder(a.to) - groupOrder(b.to)),
      };
      await tx
        .update(valueFits)
        .set({ status: "succeeded", diagnostics, portfolio, timings, error: null, finishedAt: sql`now()` })
        .where(thisFit);
      // Segments on value or RFM group now read new figures.
      await queueValueDependentRefreshes(tx, workspaceId);
      checkpoint = { stage: "finished", stored: summary.ids.length, timings };
      return { checkpoint, done: total, total, message: "Done" };
    });
    phase("finish", now() - started);
  } catch (error) {
    if (error instanceof JobStopped) throw error;
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(valueFits)
      .set({ status: "failed", error: message.slice(0, 2000), finishedAt: sql`now()` })
      .where(and(thisFit, inArray(valueFits.status, ["queued", "running"])))
      .catch(() => undefined);
    throw error;
  }
}

/** A holdout check's last step: its diagnostics, and success; no customer is scored. */
async function finishHoldoutCheck(
  ctx: FitRunContext,
  input: {
    thisFit: ReturnType<typeof and>;
    summary: PurchaseSummary;
    models: ValueFitModels;
    timings: ValueFitTimings;
    total: number;
  },
) {
  const started = now();
  const diagnostics = diagnosticsOf(input.summary, input.models);
  input.timings.scoreMs += now() - started;
  await ctx.step(async (tx) => {
    await tx
      .update(valueFits)
      .set({ status: "succeeded", diagnostics, timings: input.timings, error: null, finishedAt: sql`now()` })
      .where(input.thisFit);
    return {
      checkpoint: { stage: "finished", timings: input.timings } satisfies FitCheckpoint,
      done: input.total,
      total: input.total,
      message: "Done",
    };
  });
}

function totalSteps(summary: PurchaseSummary, chunkRows: number) {
  return 2 + Math.ceil(summary.ids.length / chunkRows) + 1;
}

const groupOrder = (group: string) => rfmGroups.indexOf(group as (typeof rfmGroups)[number]);

/** Index of the first id after `id` in ascending ids. */
function firstAfter(ids: string[], id: string) {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Upserts customers [from, to), the columns as binary array parameters (./binary-arrays.ts).
 * previous_rfm_group: a row of the previous succeeded fit hands its group on; a row this
 * fit (or a failed one since) wrote already keeps the one it carries; an older row (the
 * customer was not in the previous fit) has none.
 */
async function storeChunk(
  tx: Transaction,
  input: {
    workspaceId: string;
    fitId: string;
    previousFitId: string | null;
    summary: PurchaseSummary;
    scores: CustomerScoreColumns;
    from: number;
    to: number;
  },
) {
  const { workspaceId, fitId, previousFitId, summary, scores, from, to } = input;
  const n = to - from;
  const averageSpend = new Array<number | null>(n);
  const tx_ = new Float64Array(n);
  const T = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = from + k;
    const x = summary.x[i]!;
    averageSpend[k] = x > 0 ? summary.repeatSpend[i]! / x : null;
    tx_[k] = (summary.lastDay[i]! - summary.firstDay[i]!) / 7;
    T[k] = (summary.calibrationEndDay - summary.firstDay[i]!) / 7;
  }
  const slice = <A extends Float64Array | Uint8Array | Int32Array>(values: A) =>
    values.subarray(from, to) as A;
  const floats = (values: ArrayLike<number | null>) => sql`${sql.param(float8Array(values))}::float8[]`;
  const nulls = new Array<null>(n).fill(null);
  // Customers too new to value have no expected spend or CLV (NaN in the scores).
  const valued = (values: Float64Array | null) =>
    values ? Array.from(slice(values), (v) => (Number.isNaN(v) ? null : v)) : nulls;
  const tooNew = Array.from(slice(scores.tooNew), (v) => v === 1);
  await tx.execute(sql`
    insert into customer_values as cv (
      workspace_id, customer_id, fit_id, x, t_x, t, average_spend, p_alive, expected_purchases_90d,
      expected_spend, clv, rfm_recency, rfm_frequency, rfm_monetary, rfm_group, past_revenue, too_new)
    select ${workspaceId}, v.customer_id, ${fitId}, v.x, v.t_x, v.t, v.average_spend, v.p_alive, v.expected_90d,
      v.expected_spend, v.clv, v.r, v.f, v.m, (${textArray([...rfmGroups])}::rfm_group[])[v.g + 1], v.past_revenue,
      v.too_new
    from unnest(
      ${sql.param(uuidArray(summary.ids.slice(from, to)))}::uuid[], ${sql.param(intArray(slice(summary.x)))}::int[],
      ${floats(tx_)}, ${floats(T)}, ${floats(averageSpend)},
      ${floats(slice(scores.pAlive))}, ${floats(slice(scores.expectedPurchases90d))},
      ${floats(valued(scores.expectedSpend))},
      ${floats(valued(scores.clv))},
      ${sql.param(intArray(slice(scores.rfm.recency), "int2"))}::smallint[],
      ${sql.param(intArray(slice(scores.rfm.frequency), "int2"))}::smallint[],
      ${sql.param(intArray(slice(scores.rfm.monetary), "int2"))}::smallint[],
      ${sql.param(intArray(slice(scores.rfm.group), "int2"))}::smallint[],
      ${floats(slice(summary.totalSpend))},
      ${sql.param(tooNew)}::boolean[]
    ) as v (customer_id, x, t_x, t, average_spend, p_alive, expected_90d, expected_spend, clv, r, f, m, g, past_revenue, too_new)
    on conflict (workspace_id, customer_id) do update set
      fit_id = excluded.fit_id, x = excluded.x, t_x = excluded.t_x, t = excluded.t,
      average_spend = excluded.average_spend, p_alive = excluded.p_alive,
      expected_purchases_90d = excluded.expected_purchases_90d, expected_spend = excluded.expected_spend,
      clv = excluded.clv, too_new = excluded.too_new, rfm_recency = excluded.rfm_recency, rfm_frequency = excluded.rfm_frequency,
      rfm_monetary = excluded.rfm_monetary, rfm_group = excluded.rfm_group, past_revenue = excluded.past_revenue,
      previous_rfm_group = case
        when cv.fit_id = ${previousFitId}::uuid then cv.rfm_group
        when cv.fit_id in (
          select f.id from value_fits f where f.workspace_id = ${workspaceId} and f.status <> 'succeeded'
        ) then cv.previous_rfm_group
        else null end`);
}

/**
 * Runs a queued fit here rather than in a job runner, each step in its own
 * transaction, and marks its job done: the demo seed fits its customers before
 * the app starts, so that value conditions and pages have figures from the start.
 */
export async function runValueFitNow(
  db: Database,
  input: { workspaceId: string; fitId: string; jobId: string },
) {
  await runValueFit(
    {
      db,
      checkpoint: undefined,
      step: async (work) => {
        await db.transaction(async (tx) => {
          await work(tx);
        });
      },
      saveProgress: async () => undefined,
    },
    input,
  );
  await markJobDone(db, input);
}

export function registerValueFitJobHandler(options: RunFitOptions = {}) {
  registerJobHandler(VALUE_FIT_JOB_KIND, (ctx) =>
    runValueFit(
      ctx,
      { workspaceId: ctx.job.workspaceId, fitId: String(ctx.job.payload.fitId ?? "") },
      options,
    ),
  );
}

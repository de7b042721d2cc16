// A customer-value fit in the app, timed by phase, against a database loaded by
// bench/load-demo.ts (1,000,000 demo customers, ≈12M events): the fit job's own
// code (server/valuation/job.ts) run in-process, its steps committed as the job
// runner commits them, without a jobs row.
//
//   node --import tsx bench/value-app.ts --database-url URL [--calibration-end YYYY-MM-DD]
//     [--chunk-rows 10000] [--concurrency 2] [--horizon-weeks 52] [--discount-rate 0.1]
//
// It migrates the database (the value tables), then writes a value_fits row and the
// demo workspace's customer_values rows; nothing else of the workspace changes.
// A live fit with model choice on: BG/NBD, MBG/NBD and Pareto/NBD fitted and compared on
// a holdout inside the data, then the chosen model fitted on all of it.
// Figure for `npm run bench` (bench/figures.ts): the whole fit under 30 s.

import { eq, sql } from "drizzle-orm";
import type { Transaction } from "~/db";
import { migrateDatabase } from "~/db/migrate";
import { customerValues, valueFits, workspaces } from "~/db/schema";
import { demoWorkspaces } from "~/server/demo/seed";
import type { StepResult } from "~/server/jobs/runner";
import { formatDay } from "~/server/value";
import { failStoppedFits } from "~/server/valuation/fits";
import { runValueFit } from "~/server/valuation/job";
import { purchaseEstimateOf } from "~/server/valuation/model";
import { latestPurchaseDay } from "~/server/valuation/summary";
import { slugify } from "~/server/workspaces/workspaces";
import { recordFigure } from "./figures";
import { args, connectLoadedDatabase, fmt, now, runMain } from "./lib";

const a = args();

async function main() {
  const handle = await connectLoadedDatabase(a);
  const { db } = handle;
  try {
    await migrateDatabase(db);
    const slug = slugify(demoWorkspaces[0]!.name);
    const [workspace] = await db
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(eq(workspaces.slug, slug));
    if (!workspace) throw new Error(`There is no workspace “${slug}”: load it with bench/load-demo.ts.`);
    const workspaceId = workspace.id;
    const [counts] = (
      await db.execute<{ customers: number }>(sql`
        select count(*)::int as customers from customers where workspace_id = ${workspaceId} and merged_into is null`)
    ).rows;
    console.log(`workspace: ${slug}, ${fmt(counts?.customers ?? 0)} customers`);

    let calibrationEnd = a.str("calibration-end");
    if (!calibrationEnd) {
      const latest = await latestPurchaseDay(db, workspaceId);
      if (latest === null)
        throw new Error("The workspace has no purchases: load it with bench/load-demo.ts.");
      calibrationEnd = formatDay(latest);
    }
    await failStoppedFits(db, workspaceId);
    const [fit] = await db
      .insert(valueFits)
      .values({
        workspaceId,
        calibrationEnd,
        horizonWeeks: a.num("horizon-weeks", 52),
        discountRate: a.num("discount-rate", 0.1),
      })
      .returning({ id: valueFits.id });
    const fitId = fit!.id;
    const [before] = (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${customerValues} where workspace_id = ${workspaceId}`,
      )
    ).rows;
    console.log(
      `fit ${fitId}: calibration end ${calibrationEnd}; customer_values holds ${fmt(before?.n ?? 0)} rows of earlier fits` +
        ((before?.n ?? 0) > 0 ? " (updated in place)" : " (first fit: inserts)"),
    );

    // The job runner's step(): the work and the checkpoint in one transaction.
    let checkpoint: unknown;
    let steps = 0;
    const ctx = {
      db,
      get checkpoint() {
        return checkpoint;
      },
      step: async (work: (tx: Transaction) => Promise<StepResult>) => {
        await db.transaction(async (tx) => {
          checkpoint = (await work(tx)).checkpoint;
        });
        steps++;
      },
      saveProgress: async () => {},
    };

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const phases: Record<string, number> = {};
    const started = now();
    await runValueFit(
      ctx,
      { workspaceId, fitId },
      {
        chunkRows: a.num("chunk-rows", 10_000),
        concurrency: a.num("concurrency", 2),
        onPhase: (phase, ms) => {
          phases[phase] = ms;
          console.log(`  ${phase}: ${(ms / 1000).toFixed(2)} s`);
        },
      },
    );
    const total = now() - started;
    clearInterval(sampler);

    const [row] = await db.select().from(valueFits).where(eq(valueFits.id, fitId));
    const models = row!.models!;
    const s = (ms = 0) => `${(ms / 1000).toFixed(2)} s`;
    console.log();
    console.log(
      `customers with purchases: ${fmt(row!.customers)} (${fmt(row!.repeatCustomers)} repeat), data ${row!.dataStart} – ${row!.dataEnd}`,
    );
    const purchase = purchaseEstimateOf(models);
    console.log(
      `${purchase.model}: ${Object.entries(purchase.params)
        .map(([name, value]) => `${name} ${value.toFixed(4)}`)
        .join(", ")}; ${fmt(purchase.groups)} distinct histories, ${purchase.iterations} iterations, ` +
        `converged ${purchase.converged}, fitted in ${s(purchase.fitMs)} (${models.choiceReason ?? ""})`,
    );
    if (models.oneTimeBuyers) {
      console.log(`one-time buyers: ${models.oneTimeBuyers.model}, fitted in ${s(models.oneTimeBuyers.fitMs)}`);
    }
    for (const e of models.comparison?.evaluations ?? []) {
      console.log(
        `  comparison ${e.name}: fit ${s(e.fitMs)}, holdout MAE ${e.holdoutMae.toFixed(4)}, ` +
          `tracking error ${e.trackingError?.toFixed(2) ?? "—"} %, LL ${e.logLikelihood.toFixed(1)}`,
      );
    }
    if (models.gammaGamma) {
      console.log(
        `Gamma-Gamma: p ${models.gammaGamma.p.toFixed(4)}, q ${models.gammaGamma.q.toFixed(4)}, γ ${models.gammaGamma.gamma.toFixed(4)}; ` +
          `${fmt(models.gammaGamma.customers)} repeat customers, converged ${models.gammaGamma.converged}`,
      );
    } else console.log("Gamma-Gamma: not fitted (too few repeat customers)");
    console.log();
    console.log("| phase | time |");
    console.log("|---|---:|");
    console.log(
      `| summary (one SQL statement over the purchase events, read through a cursor) | ${s(phases.summary)} |`,
    );
    console.log(`| fit (grouping, the three models compared, the chosen one on all data, Gamma-Gamma) | ${s(phases.fit)} |`);
    console.log(`| scoring (P(alive), 90-day purchases, CLV, RFM) | ${s(phases.score)} |`);
    console.log(
      `| store (upserts of ${fmt(a.num("chunk-rows", 10_000))} rows, ${a.num("concurrency", 2)} at a time, in ${steps - 3} steps) | ${s(phases.store)} |`,
    );
    console.log(`| finish (diagnostics, stale rows, movement, portfolio) | ${s(phases.finish)} |`);
    console.log(`| **total** | **${s(total)}** |`);
    console.log(`peak RSS ${fmt(peakRss / 2 ** 20)} MB`);
    recordFigure({
      key: "value.fit",
      label: `value fit of ${fmt(counts?.customers ?? 0)} customers (live, model choice on)`,
      value: total / 1000,
      unit: "s",
      target: { op: "<", value: 30 },
    });
  } finally {
    await handle.close();
  }
}

runMain(main);

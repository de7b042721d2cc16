// Customer-value models for data staff: reads a transaction log (CSV or whitespace-separated),
// fits a purchase model (BG/NBD, MBG/NBD or Pareto/NBD, or the best of them on a holdout)
// and Gamma-Gamma at a calibration end date, and prints the parameters and each customer's
// P(alive), expected purchases, expected spend, CLV and RFM group.
//
//   npm run value -- --transactions FILE.csv --calibration-end YYYY-MM-DD [options]   (--help)
//
// stdout carries only the result (CSV or JSON); progress and warnings go to stderr. Exit
// codes: 0 done, 1 a problem with the file or its data, 2 a problem with the options.

import { InputError, parseValueArgs, usage, UsageError, type ValueOptions } from "./value/args";
import { writeCsv, writeJson, type Report } from "./value/output";
import { readTransactions } from "./value/read-transactions";
import { CsvError } from "~/server/imports/csv";
import { scoreCustomers, sumByGroup } from "~/server/value/clv";
import { fitGammaGamma, groupSpend, type GammaGammaParams } from "~/server/value/gamma-gamma";
import { groupHistories } from "~/server/value/history-groups";
import type { DatedPurchase } from "~/server/value/holdout";
import {
  compareModels,
  comparisonTable,
  purchaseModels,
  type ModelComparison,
} from "~/server/value/model-choice";
import { predictorOf, type ModelFit, type PurchaseModel } from "~/server/value/purchase-model";
import { rfmScores } from "~/server/value/rfm";
import { formatDay } from "~/server/value/summary";

const log = (message: string) => process.stderr.write(`value: ${message}\n`);

/** Estimates this far from 1 usually mean the data cannot identify the model, not a real customer base. */
function warnIfExtreme(model: string, params: object) {
  const extreme = Object.entries(params).filter(([, v]) => typeof v === "number" && (v > 1e4 || v < 1e-4));
  if (extreme.length) {
    log(
      `warning: ${model} estimate(s) ${extreme.map(([k, v]) => `${k}=${Number(v).toPrecision(3)}`).join(", ")} ` +
        "are at an extreme: there may be too few customers (or repeat purchases) for the model.",
    );
  }
}
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(2)} s`;
const formatParams = (params: object) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${(v as number).toFixed(4)}`)
    .join(" ");

/** The models compared on the rows after the calibration end, up to --holdout-end or the last row. */
function compareOnHoldout(purchases: readonly DatedPurchase[], options: ValueOptions): ModelComparison {
  let lastDay = -Infinity;
  for (const p of purchases) lastDay = Math.max(lastDay, p.day);
  const holdoutEndDay = options.holdoutEndDay ?? lastDay;
  if (holdoutEndDay <= options.calibrationEndDay) {
    throw new InputError(
      `--model auto compares the models on the transactions after the calibration end, and ${options.transactions} has none.`,
    );
  }
  const comparison = compareModels(purchases, {
    calibrationEndDay: options.calibrationEndDay,
    holdoutEndDay,
  });
  log(
    `models compared on the holdout ${formatDay(options.calibrationEndDay + 1)}..${formatDay(holdoutEndDay)} ` +
      `(${comparison.holdoutWeeks.toFixed(1)} weeks), chosen by ${comparison.rule}:\n${comparisonTable(comparison)}`,
  );
  return comparison;
}

/** Fewer repeat customers than this give Gamma-Gamma estimates too noisy to use. */
const MIN_SPEND_CUSTOMERS = 10;

async function run(options: ValueOptions) {
  let started = performance.now();
  log(`reading ${options.transactions}`);
  const { log: calibration, rows, purchases } = await readTransactions(options, (m) => log(`warning: ${m}`));
  const end = formatDay(options.calibrationEndDay);
  if (calibration.customerCount === 0) {
    throw new InputError(
      `No transactions on or before the calibration end ${end}: all ${rows} rows of ${options.transactions} are later.`,
    );
  }
  log(
    `${rows} rows, ${calibration.transactions} on or before ${end} from ${calibration.customerCount} customers` +
      (calibration.ignoredAfterEnd ? ` (${calibration.ignoredAfterEnd} later rows ignored)` : "") +
      ` in ${seconds(started)}`,
  );

  const customers = calibration.summarize();
  const repeat = customers.reduce((n, c) => n + (c.x > 0 ? 1 : 0), 0);
  if (repeat === 0)
    log("warning: no customer bought on two different days; the purchase model's estimates mean little.");

  started = performance.now();
  let model: PurchaseModel;
  let fit: ModelFit<object>;
  let comparison: ModelComparison | null = null;
  if (options.model === "auto") {
    comparison = compareOnHoldout(purchases!, options);
    const chosen = comparison.evaluations.find((e) => e.model === comparison!.chosen)!;
    model = purchaseModels[chosen.model];
    fit = chosen.fit;
  } else {
    model = purchaseModels[options.model];
    fit = model.fit(groupHistories(customers));
  }
  log(
    `${model.name} ${formatParams(fit.params)} ` +
      `LL=${fit.logLikelihood.toFixed(2)} (${fit.groups} distinct histories, ${fit.iterations} iterations, ` +
      `${fit.converged ? "converged" : "NOT converged"}) in ${seconds(started)}`,
  );
  warnIfExtreme(model.name, fit.params);

  let gammaGamma: ModelFit<GammaGammaParams> | null = null;
  if (calibration.withAmounts) {
    const spend = groupSpend(customers);
    if (spend.customers < MIN_SPEND_CUSTOMERS) {
      log(`warning: only ${spend.customers} repeat customers with a positive spend: no Gamma-Gamma, no CLV.`);
    } else {
      started = performance.now();
      gammaGamma = fitGammaGamma(spend);
      const g = gammaGamma.params;
      log(
        `Gamma-Gamma p=${g.p.toFixed(4)} q=${g.q.toFixed(4)} gamma=${g.gamma.toFixed(4)} ` +
          `LL=${gammaGamma.logLikelihood.toFixed(2)} (${gammaGamma.customers} repeat customers, ` +
          `${gammaGamma.converged ? "converged" : "NOT converged"}) in ${seconds(started)}`,
      );
      warnIfExtreme("Gamma-Gamma", g);
      if (g.q <= 1) log("warning: q ≤ 1, the population's mean spend is infinite; spend and CLV are empty.");
    }
  }

  started = performance.now();
  const scores = scoreCustomers(
    customers,
    predictorOf(model, fit.params),
    gammaGamma?.params ?? null,
    options,
  );
  const rfm = rfmScores(customers);
  log(`scored ${customers.length} customers in ${seconds(started)}`);

  const report: Report = {
    calibrationEnd: end,
    horizonWeeks: options.horizonWeeks,
    discountRate: options.discountRate,
    counts: {
      rows,
      transactions: calibration.transactions,
      ignoredAfterCalibrationEnd: calibration.ignoredAfterEnd,
      customers: customers.length,
    },
    model: { id: model.id, name: model.name, fit },
    comparison,
    gammaGamma,
    customers,
    scores,
    rfm,
    clvByRfmGroup: scores.clv
      ? sumByGroup(
          scores.clv,
          rfm.map((r) => r.group),
        )
      : null,
  };
  if (options.format === "json") await writeJson(process.stdout, report);
  else await writeCsv(process.stdout, report);
}

async function main() {
  // A reader that stops early (| head) is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  try {
    const options = parseValueArgs(process.argv.slice(2));
    if (options === "help") {
      process.stderr.write(usage);
      return 0;
    }
    await run(options);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      log(`error: ${error.message}`);
      process.stderr.write(`Run with --help for the options.\n`);
      return 2;
    }
    if (error instanceof InputError || error instanceof CsvError) {
      log(`error: ${error.message}`);
      return 1;
    }
    log(`error: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});

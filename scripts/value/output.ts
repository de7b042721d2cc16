// The CLI's stdout: the fitted parameters and one row per customer, as JSON or CSV,
// written in pieces (waiting for the pipe to drain) so a million customers never become
// one string.

import { once } from "node:events";
import type { Writable } from "node:stream";
import { csvField } from "~/server/csv";
import type { CustomerScores, GroupTotal } from "~/server/value/clv";
import type { GammaGammaParams } from "~/server/value/gamma-gamma";
import type { ModelComparison } from "~/server/value/model-choice";
import type { ModelFit, PurchaseModelId } from "~/server/value/purchase-model";
import type { RfmScore } from "~/server/value/rfm";
import type { CustomerSummary } from "~/server/value/summary";

export interface Report {
  calibrationEnd: string;
  horizonWeeks: number;
  discountRate: number;
  counts: { rows: number; transactions: number; ignoredAfterCalibrationEnd: number; customers: number };
  /** The purchase model used for the scores. */
  model: { id: PurchaseModelId; name: string; fit: ModelFit<object> };
  /** With --model auto: the models compared on the holdout. */
  comparison: ModelComparison | null;
  gammaGamma: ModelFit<GammaGammaParams> | null;
  customers: CustomerSummary[];
  scores: CustomerScores;
  rfm: RfmScore[];
  clvByRfmGroup: Map<string, GroupTotal> | null;
}

const round = (value: number, digits: number) =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : null;

const columns = [
  "id",
  "x",
  "t_x",
  "T",
  "p_alive",
  "expected_purchases",
  "expected_spend",
  "clv",
  "rfm_recency",
  "rfm_frequency",
  "rfm_monetary",
  "rfm_group",
] as const;

function row(report: Report, i: number) {
  const c = report.customers[i]!;
  const s = report.scores;
  const r = report.rfm[i]!;
  return {
    id: c.customerId,
    x: c.x,
    t_x: round(c.tx, 4),
    T: round(c.T, 4),
    p_alive: round(s.pAlive[i]!, 6),
    expected_purchases: round(s.expectedPurchases[i]!, 6),
    expected_spend: s.expectedSpend ? round(s.expectedSpend[i]!, 4) : null,
    clv: s.clv ? round(s.clv[i]!, 4) : null,
    rfm_recency: r.recency,
    rfm_frequency: r.frequency,
    rfm_monetary: r.monetary,
    rfm_group: r.group,
  };
}

function fitSummary<P extends object>(fit: ModelFit<P>) {
  return {
    ...fit.params,
    logLikelihood: fit.logLikelihood,
    iterations: fit.iterations,
    evaluations: fit.evaluations,
    converged: fit.converged,
    customers: fit.customers,
    distinctHistories: fit.groups,
  };
}

function comparisonSummary(comparison: ModelComparison) {
  return {
    chosen: comparison.chosen,
    rule: comparison.rule,
    customers: comparison.customers,
    holdoutWeeks: comparison.holdoutWeeks,
    actualHoldout: comparison.actualHoldout,
    models: comparison.evaluations.map((e) => ({
      model: e.model,
      ...fitSummary(e.fit),
      aic: e.aic,
      bic: e.bic,
      holdoutMae: e.holdoutMae,
      trackingError: e.trackingError,
      predictedHoldout: e.predictedHoldout,
    })),
  };
}

async function write(out: Writable, text: string) {
  if (!out.write(text)) await once(out, "drain");
}

const ROWS_PER_WRITE = 2000;

export async function writeJson(out: Writable, report: Report) {
  const head = {
    calibrationEnd: report.calibrationEnd,
    horizonWeeks: report.horizonWeeks,
    discountRate: report.discountRate,
    counts: report.counts,
    model: report.model.id,
    [report.model.id]: fitSummary(report.model.fit),
    modelComparison: report.comparison ? comparisonSummary(report.comparison) : null,
    gammaGamma: report.gammaGamma ? fitSummary(report.gammaGamma) : null,
    clvByRfmGroup: report.clvByRfmGroup
      ? Object.fromEntries([...report.clvByRfmGroup].map(([k, v]) => [k, v]))
      : null,
  };
  const opening = JSON.stringify(head, null, 2);
  await write(out, `${opening.slice(0, -2)},\n  "customers": [`);
  let chunk = "";
  for (let i = 0; i < report.customers.length; i++) {
    chunk += `${i === 0 ? "" : ","}\n    ${JSON.stringify(row(report, i))}`;
    if ((i + 1) % ROWS_PER_WRITE === 0) {
      await write(out, chunk);
      chunk = "";
    }
  }
  await write(out, `${chunk}\n  ]\n}\n`);
}

/** `# name k=v k=v`, with values that contain spaces in double quotes. */
const commentLine = (name: string, fields: object) =>
  `# ${name} ${Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === "string" && v.includes(" ") ? JSON.stringify(v) : v}`)
    .join(" ")}\n`;

/** One `#` line per model compared, then the choice. */
function comparisonLines(comparison: ModelComparison) {
  const { models, ...choice } = comparisonSummary(comparison);
  return models.map((m) => commentLine("model_comparison", m)).join("") + commentLine("model_choice", choice);
}

/** CSV with the parameters first, as `#` comment lines (pandas: comment="#"; R: comment.char="#"). */
export async function writeCsv(out: Writable, report: Report) {
  const params = (name: string, fit: ModelFit<object> | null) =>
    fit ? commentLine(name, fitSummary(fit)) : `# ${name} not fitted\n`;
  await write(
    out,
    `# calibration_end=${report.calibrationEnd} horizon_weeks=${report.horizonWeeks} discount_rate=${report.discountRate} customers=${report.counts.customers}\n` +
      params(report.model.id, report.model.fit) +
      (report.comparison ? comparisonLines(report.comparison) : "") +
      params("gamma_gamma", report.gammaGamma) +
      `${columns.join(",")}\n`,
  );
  let chunk = "";
  for (let i = 0; i < report.customers.length; i++) {
    const r = row(report, i);
    chunk += `${columns.map((c) => csvField(r[c])).join(",")}\n`;
    if ((i + 1) % ROWS_PER_WRITE === 0) {
      await write(out, chunk);
      chunk = "";
    }
  }
  await write(out, chunk);
}

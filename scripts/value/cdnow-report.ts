// Prints the CDNOW figures of docs/value-models.md as Markdown: the fitted parameters
// against the published ones under both day conventions, cumulative repeat transactions
// (actual vs BG/NBD) over the 78 weeks, mean holdout purchases by calibration frequency,
// and the comparison of BG/NBD, MBG/NBD and Pareto/NBD on the sample and on the whole cohort.
//
//   node --import tsx scripts/value/cdnow-report.ts

import { fitBgNbd } from "~/server/value/bgnbd";
import {
  CDNOW_CALIBRATION_END,
  CDNOW_HOLDOUT_END,
  CDNOW_START,
  readCdnowMaster,
  readCdnowSample,
} from "~/server/value/cdnow";
import { fitGammaGamma } from "~/server/value/gamma-gamma";
import { cumulativeRepeatTracking, holdoutByFrequency } from "~/server/value/holdout";
import { compareModels, comparisonTable } from "~/server/value/model-choice";
import { parseDay, summarizeTransactions } from "~/server/value/summary";

const transactions = readCdnowSample();
const summary = summarizeTransactions(
  transactions.map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
  CDNOW_CALIBRATION_END,
);
const bgnbd = fitBgNbd(summary);
const endOfDay = fitBgNbd(summary.map((c) => ({ ...c, T: c.T + 1 / 7 })));
const gammaGamma = fitGammaGamma(summary);

const f = (v: number, d = 4) => v.toFixed(d);
const out: string[] = [];
out.push("| model | parameter | this code | published |", "|---|---|---|---|");
const p = bgnbd.params;
for (const [k, v, pub] of [
  ["r", p.r, "0.243"],
  ["α", p.alpha, "4.414"],
  ["a", p.a, "0.793"],
  ["b", p.b, "2.426"],
  ["log-likelihood", bgnbd.logLikelihood, "-9582.4"],
] as const) {
  out.push(`| BG/NBD | ${k} | ${f(v)} | ${pub} |`);
}
const g = gammaGamma.params;
for (const [k, v, pub] of [
  ["p", g.p, "6.25"],
  ["q", g.q, "3.74"],
  ["γ", g.gamma, "15.44"],
  ["log-likelihood", gammaGamma.logLikelihood, "-4055.92 (CLVTools)"],
] as const) {
  out.push(`| Gamma-Gamma | ${k} | ${f(v)} | ${pub} |`);
}
const e = endOfDay.params;
out.push(
  "",
  `T to the end of 1997-09-30 instead (T + 1/7): r ${f(e.r)}, α ${f(e.alpha)}, a ${f(e.a)}, b ${f(e.b)}, ` +
    `LL ${f(endOfDay.logLikelihood, 1)}.`,
);

const curve = cumulativeRepeatTracking(transactions, bgnbd.params, {
  startDay: parseDay(CDNOW_START)!,
  weeks: 78,
});
out.push("", "| week | actual | BG/NBD | error |", "|---:|---:|---:|---:|");
for (const point of curve) {
  if (point.week % 6 !== 0 && point.week !== 39) continue;
  const error = ((point.predicted - point.actual) / point.actual) * 100;
  out.push(
    `| ${point.week} | ${point.actual} | ${f(point.predicted, 1)} | ${error >= 0 ? "+" : ""}${f(error, 1)} % |`,
  );
}
const at39 = curve[38]!;
const at78 = curve[77]!;
out.push(
  "",
  `Holdout (weeks 40-78): actual ${at78.actual - at39.actual}, BG/NBD ${f(at78.predicted - at39.predicted, 1)}.`,
);

const buckets = holdoutByFrequency(transactions, bgnbd.params, {
  calibrationEndDay: parseDay(CDNOW_CALIBRATION_END)!,
  holdoutEndDay: parseDay(CDNOW_HOLDOUT_END)!,
});
out.push("", "| x (calibration) | customers | actual holdout purchases | BG/NBD |", "|---:|---:|---:|---:|");
for (const b of buckets) out.push(`| ${b.x} | ${b.customers} | ${f(b.actual, 3)} | ${f(b.predicted, 3)} |`);

const window = {
  startDay: parseDay(CDNOW_START)!,
  calibrationEndDay: parseDay(CDNOW_CALIBRATION_END)!,
  holdoutEndDay: parseDay(CDNOW_HOLDOUT_END)!,
};
for (const [name, data] of [
  ["the 1/10th sample", transactions],
  ["the whole cohort (CDNOW_master.txt)", readCdnowMaster()],
] as const) {
  const comparison = compareModels(data, window);
  out.push(
    "",
    `Model comparison on ${name}, ${comparison.customers} customers:`,
    "",
    comparisonTable(comparison),
  );
  for (const e of comparison.evaluations) {
    out.push(
      `- ${e.name}: ${Object.entries(e.fit.params)
        .map(([k, v]) => `${k} ${f(v as number)}`)
        .join(", ")}`,
    );
  }
}

console.log(out.join("\n"));

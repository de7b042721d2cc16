import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/root";
import { formatCount, formatMoney } from "../../../_components/channels";
import { formatDecimal1, formatDecimal2, formatPercent1 } from "../../../_components/format";

// The words and numbers of the Impact tab: each metric's name and format, its
// difference with the interval, and the plain sentences that lead the tab —
// what the journey did, or that it is too soon to tell and how many more
// entrants would tell. Money is the workspace's plain amount, as elsewhere.

export type Impact = inferRouterOutputs<AppRouter>["journey"]["impact"];
export type ImpactMetric = Impact["comparisons"][number]["metrics"][number];
export type MetricKey = ImpactMetric["key"];

export const metricLabels: Record<MetricKey, string> = {
  conversion: "Reached the goal",
  purchases: "Purchases per customer",
  revenue: "Revenue per customer",
  clvChange: "Change in predicted lifetime value",
  pAliveChange: "Change in P(alive)",
};

/** What an incremental total counts, for "+X …". */
const totalNouns: Record<MetricKey, string> = {
  conversion: "customers reaching the goal",
  purchases: "purchases",
  revenue: "revenue",
  clvChange: "predicted lifetime value",
  pAliveChange: "customers expected to be still active",
};

const isMoney = (key: MetricKey) => key === "revenue" || key === "clvChange";
const isShare = (key: MetricKey) => key === "conversion" || key === "pAliveChange";

/** A group's level: "12.5%", "0.43", "41.20". */
export function formatLevel(key: MetricKey, value: number) {
  if (isShare(key)) return formatPercent1(value);
  return isMoney(key) ? formatMoney(value) : formatDecimal2(value);
}

const minus = "−";
function signed(text: string, value: number) {
  return value > 0 ? `+${text}` : value < 0 ? `${minus}${text}` : text;
}

/** A difference: shares in percentage points, "+2.1 pts"; money and counts with their sign. */
export function formatDifference(key: MetricKey, value: number) {
  if (isShare(key)) return signed(`${formatDecimal1(Math.abs(value) * 100)} pts`, value);
  return signed(isMoney(key) ? formatMoney(Math.abs(value)) : formatDecimal2(Math.abs(value)), value);
}

/** An incremental total: money with two decimals, counts as whole numbers. */
export function formatTotal(key: MetricKey, value: number) {
  const size = Math.abs(value);
  return signed(isMoney(key) ? formatMoney(size) : formatCount(Math.round(size)), value);
}

export function formatInterval(key: MetricKey, low: number, high: number, format = formatDifference) {
  return `${format(key, low)} to ${format(key, high)}`;
}

/** How the groups differ, in words that read after "Treatment customers …". */
function differenceWords(metric: ImpactMetric, size: number) {
  const more = metric.interval!.difference >= 0;
  switch (metric.key) {
    case "revenue":
      return `spent ${formatMoney(size)} ${more ? "more" : "less"} each`;
    case "purchases":
      return `made ${formatDecimal2(size)} ${more ? "more" : "fewer"} purchases each`;
    case "conversion":
      return `reached the goal ${formatDifference("conversion", size).replace(/^\+/, "")} ${more ? "more" : "less"} often`;
    case "clvChange":
      return `gained ${formatMoney(size)} ${more ? "more" : "less"} predicted lifetime value each`;
    case "pAliveChange":
      return `kept a P(alive) ${formatDifference("pAliveChange", size).replace(/^\+/, "")} ${more ? "higher" : "lower"}`;
  }
}

/**
 * The plain answer for one metric: what the journey did, with its 95 % interval,
 * or that the sample cannot tell yet, and about how many more entrants would.
 */
export function metricSentence(metric: ImpactMetric, group = "Treatment customers") {
  const { interval } = metric;
  if (!interval) {
    return `Not enough customers to compare ${metricLabels[metric.key].toLowerCase()} yet: each side needs at least two.`;
  }
  const range = `95 % interval ${formatInterval(metric.key, interval.low, interval.high)}`;
  const words = differenceWords(metric, Math.abs(interval.difference));
  if (metric.significant) return `${group} ${words} (${range}).`;
  return `Too soon to tell: ${group.toLowerCase()} ${words}, but the 95 % interval (${formatInterval(metric.key, interval.low, interval.high)}) includes no difference. ${neededSentence(metric)}`.trim();
}

/** "About N more entrants are needed to detect a 5 % lift." */
export function neededSentence(metric: ImpactMetric) {
  const now = metric.treatment.n + metric.holdout.n;
  if (metric.entrantsNeeded === null) return "";
  const more = metric.entrantsNeeded - now;
  if (more <= 0) {
    return "There are enough entrants to detect a 5 % lift, so any effect is likely smaller than that.";
  }
  return `About ${formatCount(roundUp(more))} more entrants are needed to detect a 5 % lift.`;
}

/** Two significant figures, up: "about 8,300", never fewer than needed. */
function roundUp(value: number) {
  if (value < 100) return Math.ceil(value);
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.ceil(value / unit) * unit;
}

/** "+12,400.00 predicted lifetime value across 8,300 customers (95 % interval …)". */
export function totalSentence(metric: ImpactMetric) {
  const total = metric.incremental;
  if (!total || !metric.significant) return null;
  return `${formatTotal(metric.key, total.total)} ${totalNouns[metric.key]} across ${formatCount(total.customers)} customers (95 % interval ${formatInterval(metric.key, total.low, total.high, formatTotal)}).`;
}

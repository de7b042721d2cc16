import type { MaturityModel } from "./model";

// Evidence from data: figures Centric can compute from a workspace's own data,
// each informing one dimension of the built-in model, with the level its value
// reaches. They stand beside the assessors' self-scores; where the data suggests
// another level, the scorecard says so. This module holds the definitions and
// the arithmetic only; computing the values from the database is separate.

export type IndicatorUnit = "percent" | "days";
export type IndicatorDirection = "higherIsBetter" | "lowerIsBetter";

export interface IndicatorValue {
  key: string;
  /** null: not available, see `note`. */
  value: number | null;
  /** Why there is no value, or what the value rests on. */
  note: string | null;
  /** No value, and that itself is the worst reading (a value model never fitted is infinitely old). */
  never?: boolean;
}

/** The figures as stored in maturity_indicator_snapshots.readings. */
export interface IndicatorSnapshot {
  /** ISO time the figures were computed. */
  asOf: string;
  values: IndicatorValue[];
}

export interface IndicatorDefinition {
  key: string;
  name: string;
  /** What is counted, in plain words, as shown beside the figure. */
  definition: string;
  /** The dimension it informs (a dimension key of the built-in model; copies keep those keys). */
  dimensionKey: string;
  unit: IndicatorUnit;
  direction: IndicatorDirection;
  /**
   * The value needed for levels 2, 3, ... (one entry per level above 1): the
   * minimum when higher is better, the maximum when lower is better. A level
   * reached at exactly its threshold counts. null: this indicator sets no
   * condition at that level (the descriptor does not name it there), so it
   * passes whenever the level below passes.
   */
  thresholds: readonly (number | null)[];
}

export const indicatorDefinitions: readonly IndicatorDefinition[] = [
  {
    key: "multichannel-customers",
    name: "Customers known across two or more channels",
    definition:
      "Of the customers with at least one event in the last 365 days, the share whose history has events on two or more channels (web, mobile, e-mail, store, call centre, social; 'other' does not count).",
    dimensionKey: "cross-channel",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [20, 40, 55, 70],
  },
  {
    key: "identity-match-rate",
    name: "Identity match rate",
    definition:
      "Of the customer profiles (merged profiles counted once), the share that link two or more kinds of identifier: user id, anonymous id, e-mail address, phone number.",
    dimensionKey: "recognition",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [20, 40, 60, 80],
  },
  {
    key: "resolved-events",
    name: "Events with a resolved customer",
    definition:
      "Of all the events recorded, the share whose profile has a user id, e-mail address or phone number, that is a known customer rather than an anonymous visitor only.",
    dimensionKey: "recognition",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [30, 50, 70, 85],
  },
  {
    key: "segmented-customers",
    name: "Customers in at least one segment",
    definition:
      "Of the customers with at least one event in the last 365 days, the share that are a member of at least one segment now. A segment of everyone makes this 100%, so read it beside the segments themselves.",
    dimensionKey: "personalisation",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [20, 50, 70, 90],
  },
  {
    key: "segments-with-journey",
    name: "Segments with a published journey",
    definition: "Of the workspace's segments, the share for which at least one journey is published.",
    dimensionKey: "personalisation",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [10, 25, 50, 75],
  },
  {
    key: "journey-goal-conversion",
    name: "Journey goal conversion",
    definition:
      "Over the published journeys whose latest version has a goal (the 10 most recently published of them), the share of their segments' members now who performed the goal event of the journey's last stage with a goal (on that goal's channel, if it names one) in the last 90 days. The journeys are added together, so a customer in two of their segments counts in each. Not available without a published journey with a goal.",
    dimensionKey: "personalisation",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [null, 5, 10, 20],
  },
  {
    key: "journey-proven-lift",
    name: "Customers in a journey with a proven lift",
    definition:
      "Of the customers measured by the Impact of the journeys that ran with a holdout (entrants whose 30 days since entry have passed, both sides; the 10 journeys started most recently), the share in a journey whose customers beat its holdout on goal conversion or revenue per customer, with the whole 95% interval above zero. Not available until a journey has run with a holdout for 30 days.",
    dimensionKey: "personalisation",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [null, null, 25, 50],
  },
  {
    key: "value-model-age",
    name: "Age of the customer value model",
    definition:
      "Days since the newest successful fit of the customer value model (RFM, BG/NBD and Gamma-Gamma). A workspace that has never fitted one reads 'never' and is at level 1.",
    dimensionKey: "customer-value",
    unit: "days",
    direction: "lowerIsBetter",
    thresholds: [365, 90, 30, 7],
  },
  {
    key: "value-model-accuracy",
    name: "Holdout accuracy of the customer value model",
    definition:
      "100% minus the absolute percentage error of the repeat purchases the newest fit predicted for the weeks after its calibration end, against the repeat purchases that happened then. Not available until the fit has holdout weeks.",
    dimensionKey: "customer-value",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [null, 70, 80, 90],
  },
  {
    key: "journey-value-lift",
    name: "Customers in a journey that raised predicted value",
    definition:
      "Of the customers measured by the Impact of the journeys that ran with a holdout (as for the proven lift), the share in a journey whose customers' predicted lifetime value rose more since entry than its holdout's, with the whole 95% interval above zero. Not available until a journey has run with a holdout for 30 days and the value model was fitted since.",
    dimensionKey: "customer-value",
    unit: "percent",
    direction: "higherIsBetter",
    thresholds: [null, null, 25, 50],
  },
];

export function indicatorDefinition(key: string): IndicatorDefinition {
  const found = indicatorDefinitions.find((d) => d.key === key);
  if (!found) throw new RangeError(`unknown indicator: ${key}`);
  return found;
}

/**
 * The indicators that apply to a model: those whose dimension the model has
 * and whose thresholds cover its levels. A custom model that changes the
 * number of levels loses them, since their thresholds would mean other levels.
 */
export function indicatorsFor(model: Pick<MaturityModel, "levels" | "dimensions">): IndicatorDefinition[] {
  const dimensions = new Set(model.dimensions.map((d) => d.key));
  return indicatorDefinitions.filter(
    (d) => dimensions.has(d.dimensionKey) && d.thresholds.length === model.levels.length - 1,
  );
}

/**
 * The level a value reaches: the highest level whose threshold, and every
 * threshold below it, the value meets (a value exactly at a threshold meets it).
 * Infinity is a valid value (a model never fitted is infinitely old).
 */
export function indicatorLevel(indicator: IndicatorDefinition, value: number): number {
  if (Number.isNaN(value)) throw new RangeError(`${indicator.key}: the value is not a number`);
  const meets = (threshold: number) =>
    indicator.direction === "higherIsBetter" ? value >= threshold : value <= threshold;
  let level = 1;
  for (const threshold of indicator.thresholds) {
    if (threshold !== null && !meets(threshold)) break;
    level += 1;
  }
  return level;
}

export interface IndicatorReading {
  key: string;
  /** null: not available (no data yet), left out of the suggestion. */
  value: number | null;
}

export interface SuggestedLevel {
  /** The level the data supports for the dimension. */
  level: number;
  /** The indicators that hold it there (those at the lowest level). */
  limitedBy: string[];
  readings: { key: string; value: number; level: number }[];
}

/**
 * The level a dimension's data suggests: the LOWEST of its indicators' levels.
 * A descriptor lists all of its level's conditions ("at least 40% match AND at
 * least 50% of events resolved"), so the data supports a level only when every
 * indicator reaches it; a median would let one strong figure hide a weak one.
 * It is conservative on purpose: evidence from data should question a generous
 * self-score, not inflate a modest one. null when no indicator has a value.
 */
export function suggestedLevel(
  dimensionKey: string,
  readings: readonly IndicatorReading[],
): SuggestedLevel | null {
  const scored = readings.flatMap((reading) => {
    const indicator = indicatorDefinition(reading.key);
    if (indicator.dimensionKey !== dimensionKey)
      throw new RangeError(`${reading.key} informs "${indicator.dimensionKey}", not "${dimensionKey}"`);
    if (reading.value === null) return [];
    return [{ key: reading.key, value: reading.value, level: indicatorLevel(indicator, reading.value) }];
  });
  if (scored.length === 0) return null;
  const level = Math.min(...scored.map((r) => r.level));
  return { level, limitedBy: scored.filter((r) => r.level === level).map((r) => r.key), readings: scored };
}

/**
 * What to say when the data and the self-score differ by a level or more:
 * "data suggests level 2 (lower than the self-score 4)"; null when they agree
 * or either is missing. A fractional self-score (a weighted mean) is compared as it is.
 */
export function disagreement(selfScore: number | null, suggested: number | null): string | null {
  if (selfScore === null || suggested === null) return null;
  if (Math.abs(selfScore - suggested) < 1) return null;
  const direction = suggested < selfScore ? "lower" : "higher";
  return `data suggests level ${suggested} (${direction} than the self-score ${selfScore})`;
}

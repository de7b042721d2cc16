// Model choice as the BTYD literature makes it: fit each candidate on the calibration
// window, then compare what it says about the holdout with what happened (Fader, Hardie &
// Lee 2005; Batislam, Denizel & Filiztekin 2007). Three measures:
//
// - tracking error: the mean absolute percentage error of the cohort's cumulative repeat
//   transactions at the end of each holdout week (the tracking plot, read as a number);
// - holdout MAE: the mean over customers of |E[Y(t*) | x, t_x, T] - actual holdout
//   purchases|, t* the holdout length (the conditional-expectation check, per customer);
// - the calibration log-likelihood with AIC and BIC (all three models have 4 parameters,
//   so they rank the models as the log-likelihood does; they are shown for a reader who
//   compares with models of other sizes).
//
// The rule for "auto": the lowest holdout MAE, because it scores what the app uses the
// model for, each customer's expected purchases. Within 1e-9 of each other the simpler,
// more established model wins: BG/NBD, then MBG/NBD, then Pareto/NBD.

import { bgnbdModel } from "./bgnbd";
import { groupHistories, type HistoryGroups } from "./history-groups";
import { splitCalibrationHoldout, trackCohort, type CohortCounts, type DatedPurchase } from "./holdout";
import { mbgnbdModel } from "./mbgnbd";
import { paretoNbdModel } from "./pareto-nbd";
import { predictorOf, type ModelFit, type PurchaseModel, type PurchaseModelId } from "./purchase-model";

/** The candidates, in the order ties are broken. */
export const purchaseModels: Record<PurchaseModelId, PurchaseModel> = {
  bgnbd: bgnbdModel,
  mbgnbd: mbgnbdModel,
  pnbd: paretoNbdModel,
};

export const PURCHASE_MODEL_IDS = Object.keys(purchaseModels) as PurchaseModelId[];

export const MODEL_CHOICE_RULE =
  "lowest holdout MAE of the conditional expectations; ties (within 1e-9) go to BG/NBD, then MBG/NBD, then Pareto/NBD";

const TIE = 1e-9;

export interface ModelEvaluation {
  model: PurchaseModelId;
  name: string;
  fit: ModelFit<object>;
  parameters: number;
  aic: number;
  bic: number;
  /** Mean absolute % error of cumulative repeat transactions over the holdout weeks. */
  trackingError: number;
  /** Mean over customers of |E[Y(t*) | x, t_x, T] - actual holdout purchases|. */
  holdoutMae: number;
  /** Σ E[Y(t*) | x, t_x, T] over customers, against `actualHoldout` of the comparison. */
  predictedHoldout: number;
  /** Wall time of the calibration fit. */
  fitMs: number;
}

export interface ModelComparison {
  customers: number;
  calibrationWeeks: number;
  holdoutWeeks: number;
  /** Repeat purchase days of the calibration customers in the holdout. */
  actualHoldout: number;
  /** In the order of `models` given. */
  evaluations: ModelEvaluation[];
  chosen: PurchaseModelId;
  rule: string;
}

export interface ComparisonOptions {
  calibrationEndDay: number;
  holdoutEndDay: number;
  /** The tracking curve's week 1 starts here (default: the first purchase day). */
  startDay?: number;
  models?: readonly PurchaseModelId[];
}

/** The model the rule picks from evaluations (see the top of this file). */
export function chooseModel(evaluations: readonly ModelEvaluation[]): PurchaseModelId {
  let best: ModelEvaluation | undefined;
  for (const id of PURCHASE_MODEL_IDS) {
    const e = evaluations.find((v) => v.model === id);
    if (!e || !Number.isFinite(e.holdoutMae)) continue;
    if (!best || e.holdoutMae < best.holdoutMae - TIE * Math.max(1, best.holdoutMae)) best = e;
  }
  if (!best) throw new Error("No model could be evaluated on the holdout.");
  return best.model;
}

/**
 * Fits each model on the purchases up to the calibration end and evaluates it on the
 * holdout up to holdoutEndDay (which must be later).
 */
export function compareModels(
  purchases: readonly DatedPurchase[],
  options: ComparisonOptions,
): ModelComparison {
  const { calibrationEndDay, holdoutEndDay } = options;
  if (!(holdoutEndDay > calibrationEndDay)) {
    throw new RangeError("The holdout must end after the calibration end to compare models on it.");
  }
  const histories = splitCalibrationHoldout(purchases, options);
  if (histories.length === 0) throw new RangeError("No customer bought on or before the calibration end.");
  let startDay = options.startDay ?? Infinity;
  if (options.startDay === undefined) for (const p of purchases) startDay = Math.min(startDay, p.day);

  // The cohort of the tracking curve: every customer of the purchases, as the tracking plot counts it.
  const byCustomer = new Map<string, number[]>();
  for (const p of purchases) {
    const days = byCustomer.get(p.customerId);
    if (days) days.push(p.day);
    else byCustomer.set(p.customerId, [p.day]);
  }
  const cohortByFirstDay = new Map<number, number>();
  const repeatByDay = new Map<number, number>();
  for (const days of byCustomer.values()) {
    const distinct = [...new Set(days)].sort((a, b) => a - b);
    cohortByFirstDay.set(distinct[0]!, (cohortByFirstDay.get(distinct[0]!) ?? 0) + 1);
    for (const d of distinct.slice(1)) repeatByDay.set(d, (repeatByDay.get(d) ?? 0) + 1);
  }
  const repeatDays = [...repeatByDay].sort((a, b) => a[0] - b[0]);
  return compareOnHoldout(
    {
      groups: groupHistories(histories),
      holdout: Float64Array.from(histories, (h) => h.holdout),
      cohort: {
        cohortByFirstDay,
        repeatDays: { day: repeatDays.map(([d]) => d), count: repeatDays.map(([, n]) => n) },
      },
      startDay,
      calibrationEndDay,
      holdoutEndDay,
    },
    options.models,
  );
}

/** What a comparison needs, already aggregated (the app builds it from its purchase summary). */
export interface HoldoutData {
  /** The customers first seen by the calibration end, grouped by their calibration (x, t_x, T). */
  groups: HistoryGroups;
  /** Each customer's repeat purchase days in the holdout, in the order of groups.groupOf. */
  holdout: ArrayLike<number>;
  /** The tracking curve's cohort and its repeat purchase days up to the holdout end. */
  cohort: CohortCounts;
  /** Week 1 of the tracking curve starts here. */
  startDay: number;
  calibrationEndDay: number;
  holdoutEndDay: number;
}

/** Fits each model on the calibration histories and measures it on the holdout (see the top of this file). */
export function compareOnHoldout(
  data: HoldoutData,
  models: readonly PurchaseModelId[] = PURCHASE_MODEL_IDS,
): ModelComparison {
  const { groups, holdout, startDay, calibrationEndDay, holdoutEndDay } = data;
  if (!(holdoutEndDay > calibrationEndDay)) {
    throw new RangeError("The holdout must end after the calibration end to compare models on it.");
  }
  const customers = groups.groupOf.length;
  if (customers === 0) throw new RangeError("No customer bought on or before the calibration end.");
  const holdoutWeeks = (holdoutEndDay - calibrationEndDay) / 7;
  const weeks = Math.floor((holdoutEndDay - startDay + 1) / 7);
  let actualHoldout = 0;
  for (let i = 0; i < customers; i++) actualHoldout += holdout[i]!;

  const evaluations = models.map((id): ModelEvaluation => {
    const model = purchaseModels[id];
    const started = performance.now();
    const fit = model.fit(groups);
    const fitMs = performance.now() - started;
    const predictor = predictorOf(model, fit.params);

    // Per distinct history once, then per customer against their own holdout count.
    const predicted = new Float64Array(groups.x.length);
    for (let g = 0; g < groups.x.length; g++)
      predicted[g] = predictor.expectedPurchases(holdoutWeeks, groups.x[g]!, groups.tx[g]!, groups.T[g]!);
    let absolute = 0;
    let predictedHoldout = 0;
    for (let i = 0; i < customers; i++) {
      const p = predicted[groups.groupOf[i]!]!;
      absolute += Math.abs(p - holdout[i]!);
      predictedHoldout += p;
    }

    const curve = trackCohort(data.cohort, predictor, { startDay, weeks });
    let percent = 0;
    let holdoutPoints = 0;
    for (const point of curve) {
      const endDay = startDay + 7 * point.week - 1;
      if (endDay <= calibrationEndDay || point.actual === 0) continue;
      percent += Math.abs(point.predicted - point.actual) / point.actual;
      holdoutPoints++;
    }

    const k = model.parameterNames.length;
    return {
      model: id,
      name: model.name,
      fit,
      parameters: k,
      aic: 2 * k - 2 * fit.logLikelihood,
      bic: k * Math.log(fit.customers) - 2 * fit.logLikelihood,
      trackingError: holdoutPoints ? (100 * percent) / holdoutPoints : NaN,
      holdoutMae: absolute / customers,
      predictedHoldout,
      fitMs,
    };
  });

  return {
    customers,
    calibrationWeeks: (calibrationEndDay - startDay + 1) / 7,
    holdoutWeeks,
    actualHoldout,
    evaluations,
    chosen: chooseModel(evaluations),
    rule: MODEL_CHOICE_RULE,
  };
}

/** The comparison as a Markdown table (the CLI prints it; docs/value-models.md shows it). */
export function comparisonTable(comparison: ModelComparison): string {
  const lines = [
    "| model | calibration LL | AIC | BIC | holdout MAE | tracking error | holdout purchases (actual " +
      `${comparison.actualHoldout}) |`,
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const e of comparison.evaluations) {
    const name = e.model === comparison.chosen ? `**${e.name}**` : e.name;
    lines.push(
      `| ${name} | ${e.fit.logLikelihood.toFixed(2)} | ${e.aic.toFixed(2)} | ${e.bic.toFixed(2)} | ` +
        `${e.holdoutMae.toFixed(4)} | ${e.trackingError.toFixed(2)} % | ${e.predictedHoldout.toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}

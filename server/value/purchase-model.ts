// What the purchase models (BG/NBD, MBG/NBD, Pareto/NBD) have in common: the shape of a
// fit, the predictions a caller needs, and the maximum-likelihood fit on the logs of the
// parameters. Code that scores customers, tracks a holdout or compares models takes a
// `PurchaseModel` (or a `PurchasePredictor` bound to its estimates), so it works with any
// of them.

import { groupHistories, type HistoryGroups, type PurchaseHistory } from "./history-groups";
import { minimizeWithRestarts } from "./optimize";

export interface ModelFit<P> {
  params: P;
  logLikelihood: number;
  /** BFGS iterations over all starts. */
  iterations: number;
  /** Likelihood evaluations over all starts. */
  evaluations: number;
  converged: boolean;
  /** Customers the model was fitted on. */
  customers: number;
  /** Distinct histories the likelihood was summed over. */
  groups: number;
}

export type PurchaseModelId = "bgnbd" | "mbgnbd" | "pnbd";

export type PurchaseData = readonly PurchaseHistory[] | HistoryGroups;

export interface PurchaseModel<P extends object = object> {
  id: PurchaseModelId;
  /** As the literature writes it: "BG/NBD", "MBG/NBD", "Pareto/NBD". */
  name: string;
  /** The parameters in the order of their log-scale vector. */
  parameterNames: readonly string[];
  logLikelihood(params: P, data: PurchaseData): number;
  /**
   * Maximum-likelihood estimates. `start`, when given (the same model's estimates on a window
   * of the same data, say), is tried besides the default starting points and wins when its
   * likelihood is the best of them: BFGS then needs a few iterations instead of dozens.
   */
  fit(data: PurchaseData, start?: P): ModelFit<P>;
  /** P(alive at T | x, t_x, T). */
  probabilityAlive(params: P, x: number, tx: number, T: number): number;
  /** E[Y(t) | x, t_x, T]: expected repeat purchases in the t weeks after T. */
  expectedPurchases(params: P, t: number, x: number, tx: number, T: number): number;
  /** E[X(t)]: expected repeat purchases of a new customer in their first t weeks. */
  expectedPurchasesPopulation(params: P, t: number): number;
}

/** A model with its estimates: the predictions alone. */
export interface PurchasePredictor {
  probabilityAlive(x: number, tx: number, T: number): number;
  expectedPurchases(t: number, x: number, tx: number, T: number): number;
  expectedPurchasesPopulation(t: number): number;
}

export function predictorOf<P extends object>(model: PurchaseModel<P>, params: P): PurchasePredictor {
  return {
    probabilityAlive: (x, tx, T) => model.probabilityAlive(params, x, tx, T),
    expectedPurchases: (t, x, tx, T) => model.expectedPurchases(params, t, x, tx, T),
    expectedPurchasesPopulation: (t) => model.expectedPurchasesPopulation(params, t),
  };
}

export const asGroups = (data: PurchaseData): HistoryGroups =>
  "groupOf" in data ? data : groupHistories(data);

export function totalCount(groups: HistoryGroups) {
  let n = 0;
  for (const c of groups.count) n += c;
  return n;
}

/** The customers' mean T (at least 1e-3): the scale of the starting points for α and β. */
export function meanAge(groups: HistoryGroups) {
  let sum = 0;
  for (let i = 0; i < groups.T.length; i++) sum += groups.count[i]! * groups.T[i]!;
  return Math.max(sum / Math.max(totalCount(groups), 1), 1e-3);
}

export interface LogScaleFit<P> {
  name: string;
  /** Customers and distinct groups the likelihood sums over. */
  customers: number;
  groups: number;
  fromLog: (theta: ArrayLike<number>) => P;
  /** Σ count × ln L, writing its derivatives with respect to the logs of the parameters into `gradient`. */
  logLikelihood: (params: P, gradient: Float64Array) => number;
  /** Starting points on the log scale. */
  starts: number[][];
  /** A further starting point, as parameters (see PurchaseModel.fit), in `parameterNames` order. */
  start?: readonly number[];
  gradientTolerance: number;
}

/**
 * Maximum-likelihood estimates by BFGS in log-parameter space (so the parameters stay
 * positive), with restarts. The objective is the negative log-likelihood per customer,
 * which keeps the gradient tolerance independent of the data's size.
 */
export function fitOnLogScale<P>(spec: LogScaleFit<P>): ModelFit<P> {
  const n = spec.customers;
  if (n === 0) throw new Error(`${spec.name}: no customers to fit.`);
  const dimension = spec.starts[0]!.length;
  const objective = (theta: Float64Array, gradient: Float64Array) => {
    const value = -spec.logLikelihood(spec.fromLog(theta), gradient) / n;
    for (let i = 0; i < dimension; i++) gradient[i] = -gradient[i]! / n;
    return value;
  };
  const starts = spec.start ? [spec.start.map(Math.log), ...spec.starts] : spec.starts;
  const result = minimizeWithRestarts(objective, starts, { gradientTolerance: spec.gradientTolerance });
  return {
    params: spec.fromLog(result.x),
    logLikelihood: -result.value * n,
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    customers: n,
    groups: spec.groups,
  };
}

// How the customers a model knows least about are scored (docs/value-models.md, "Customers
// the models know least about"):
//
// - too new: first seen fewer than MIN_SCORED_AGE_DAYS before the calibration end. Their
//   history cannot yet tell a one-off buyer from a regular one, so they get no expected spend
//   and no lifetime value ("too new to score"), only their RFM scores.
// - one-time buyers (x = 0): BG/NBD lets a customer drop out only after a repeat purchase, so
//   it holds every one-time buyer certainly alive, however long ago they bought. When BG/NBD is
//   the purchase model, one-time buyers are scored with MBG/NBD fitted on the same data, which
//   allows drop-out right after the first purchase; MBG/NBD and Pareto/NBD score them themselves.
// - the spend of one-time buyers: Gamma-Gamma learns a customer's spend from their repeat
//   purchases only and gives a customer without any the population mean. A one-time buyer's
//   first purchase is their only spend observation, so it is used as one: E[M | m̄ = first
//   spend, x = 1], the population mean shrunk toward the customer's own spend by the weight
//   Gamma-Gamma gives one purchase.

import { expectedAverageSpend, type GammaGammaParams } from "./gamma-gamma";
import type { PurchaseModelId } from "./purchase-model";

/** A customer first seen fewer days than this before the calibration end is too new to value. */
export const MIN_SCORED_AGE_DAYS = 28;

/** Whether a customer first seen on firstDay is too new to value at the calibration end. */
export function isTooNew(firstDay: number, calibrationEndDay: number): boolean {
  return calibrationEndDay - firstDay < MIN_SCORED_AGE_DAYS;
}

/** The model that scores one-time buyers when `model` is the purchase model. */
export function oneTimeBuyerModel(model: PurchaseModelId): PurchaseModelId {
  return model === "bgnbd" ? "mbgnbd" : model;
}

/**
 * Expected spend per purchase: Gamma-Gamma's conditional expectation on the repeat purchases
 * (x > 0), and for a one-time buyer on their first purchase as a single observation.
 * `firstSpend` is the first purchase day's spend; a negative one (refunds) counts as 0.
 */
export function expectedSpendOf(
  params: GammaGammaParams,
  x: number,
  averageRepeatSpend: number | null,
  firstSpend: number,
): number {
  if (x > 0) return expectedAverageSpend(params, x, averageRepeatSpend);
  return expectedAverageSpend(params, 1, Math.max(0, firstSpend));
}

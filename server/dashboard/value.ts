import "server-only";
import type { DbOrTx } from "~/db";
import type { RfmGroup } from "~/db/enums";
import { getOverview, getPortfolio } from "~/server/valuation/fits";

// Predicted value from the current (latest succeeded) value fit: its portfolio
// by RFM group, stored with the fit, so nothing is recomputed here.

/** The groups that bought often and well and are slipping away: the value at risk. */
export const AT_RISK_GROUPS: readonly RfmGroup[] = ["at risk", "cannot lose"];

export interface ValueFigure {
  fittedAt: Date | null;
  calibrationEnd: string;
  horizonWeeks: number;
  customers: number;
  predictedValue: number;
  atRiskValue: number;
  /** atRiskValue / predictedValue; null when nothing is predicted. */
  atRiskShare: number | null;
}

/** null before the first fit succeeds. */
export async function valueFigure(db: DbOrTx, workspaceId: string): Promise<ValueFigure | null> {
  const [overview, portfolio] = await Promise.all([
    getOverview({ db, workspaceId }),
    getPortfolio({ db, workspaceId }),
  ]);
  const fit = overview.current;
  if (!fit || portfolio.fitId !== fit.id) return null;
  let predictedValue = 0;
  let atRiskValue = 0;
  let customers = 0;
  for (const row of portfolio.rows) {
    predictedValue += row.predictedValue;
    customers += row.customers;
    if (AT_RISK_GROUPS.includes(row.group)) atRiskValue += row.predictedValue;
  }
  return {
    fittedAt: fit.finishedAt ? new Date(fit.finishedAt) : null,
    calibrationEnd: fit.settings.calibrationEnd,
    horizonWeeks: fit.settings.horizonWeeks,
    customers,
    predictedValue,
    atRiskValue,
    atRiskShare: predictedValue > 0 ? atRiskValue / predictedValue : null,
  };
}

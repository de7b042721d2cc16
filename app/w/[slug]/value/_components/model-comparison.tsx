import { DataTable, SectionCard } from "~/app/_components/ui";
import type { ValueFitSummary } from "~/server/valuation/types";
import { formatCount, formatDay, formatDecimal1, formatDecimal2 } from "../../_components/format";

// The three purchase models fitted on a calibration window and measured on the holdout
// after it (server/value/model-choice.ts), with the one the fit uses marked.

const cell = "py-2 pr-4 tabular-nums";

export function formatFitTime(ms: number | null) {
  if (ms === null) return "—";
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${formatDecimal1(ms / 1000)} s`;
}

export function ModelComparison({ fit, id }: { fit: ValueFitSummary; id: string }) {
  const comparison = fit.comparison;
  const used = fit.purchaseModel?.model;
  return (
    <SectionCard
      id={id}
      title="Which purchase model"
      description={
        comparison
          ? `BG/NBD, MBG/NBD and Pareto/NBD fitted on the purchases to ${formatDay(comparison.calibrationEnd)} (${formatDecimal1(comparison.calibrationWeeks)} weeks), then compared with what ${formatCount(comparison.customers)} customers did in the ${formatDecimal1(comparison.holdoutWeeks)} weeks to ${formatDay(comparison.holdoutEnd)}.`
          : "No comparison could be made."
      }
    >
      <p className="text-sm text-slate-700">
        Uses <strong className="font-medium">{fit.purchaseModel?.name ?? "—"}</strong>
        {fit.choiceReason && <>: {fit.choiceReason}</>}.
        {fit.oneTimeBuyersModel && (
          <>
            {" "}
            Customers who bought once are scored with {fit.oneTimeBuyersModel.name}, which allows them to drop out
            after their first purchase (BG/NBD counts every one of them as certainly active).
          </>
        )}
      </p>
      {comparison && (
        <>
          <DataTable
            caption="The purchase models compared on the holdout"
            columns={[
              { label: "Model" },
              { label: "Holdout error per customer", align: "right" },
              { label: "Tracking error", align: "right" },
              { label: `Holdout purchases (actual ${formatCount(comparison.actualHoldout)})`, align: "right" },
              { label: "Log-likelihood", align: "right" },
              { label: "BIC", align: "right" },
              { label: "Fit time", align: "right" },
            ]}
          >
            <tbody className="divide-y divide-slate-100">
              {comparison.evaluations.map((e) => (
                <tr key={e.model}>
                  <th scope="row" className="py-2 pr-4 pl-4 font-medium text-slate-900 sm:pl-0">
                    {e.name}
                    {e.model === used && (
                      <span className="bg-brand-50 text-brand-800 ml-2 rounded px-1.5 py-0.5 text-xs font-medium">
                        used
                      </span>
                    )}
                    {e.model === comparison.chosen && e.model !== used && (
                      <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">
                        best on holdout
                      </span>
                    )}
                    {!e.converged && <span className="block text-xs text-amber-800">did not converge</span>}
                  </th>
                  <td className={`${cell} text-right`}>{e.holdoutMae.toFixed(4)}</td>
                  <td className={`${cell} text-right`}>
                    {e.trackingError === null ? "—" : `${formatDecimal2(e.trackingError)} %`}
                  </td>
                  <td className={`${cell} text-right`}>{formatDecimal1(e.predictedHoldout)}</td>
                  <td className={`${cell} text-right`}>{formatDecimal2(e.logLikelihood)}</td>
                  <td className={`${cell} text-right`}>{formatDecimal2(e.bic)}</td>
                  <td className={`${cell} text-right sm:pr-0`}>{formatFitTime(e.fitMs)}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
            <li>
              Holdout error per customer: the mean difference between the purchases the model expected of each
              customer in the holdout and those they made. Lower is better; &ldquo;auto&rdquo; picks the lowest.
            </li>
            <li>
              Tracking error: how far the expected running total of repeat purchases was from the actual one,
              week by week through the holdout (mean absolute % error).
            </li>
            <li>
              Log-likelihood and BIC: how well the model explains the calibration purchases (all three have 4
              parameters, so they rank the models the same way).
            </li>
          </ul>
        </>
      )}
    </SectionCard>
  );
}

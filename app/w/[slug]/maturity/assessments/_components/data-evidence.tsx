import { formatDateTime } from "../../../_components/dates";
import { formatIndicator, levelLabel } from "./sheet";
import type { DimensionEvidence, ModelLevel } from "./types";

/**
 * What the workspace's own data says about a dimension: each indicator's
 * value, the level it reaches and its definition, the level the data supports
 * (the lowest of them) and, where it differs from the assessment, a warning.
 */
export function DataEvidence({
  evidence,
  asOf,
  loading,
  levels,
  dimensionKey,
}: {
  evidence: DimensionEvidence | null;
  asOf: string | null;
  loading: boolean;
  levels: readonly ModelLevel[];
  dimensionKey: string;
}) {
  return (
    <div className="space-y-2" aria-busy={loading}>
      <h4 className="text-sm font-medium text-slate-700">Evidence from data</h4>
      {loading ? (
        <p className="text-sm text-slate-500">Computing the indicators…</p>
      ) : !evidence ? (
        <p className="text-sm text-slate-500">
          No indicator from the workspace&apos;s data informs this dimension.
        </p>
      ) : (
        <>
          <ul className="space-y-2">
            {evidence.indicators.map((indicator) => (
              <li key={indicator.key} className="rounded-md border border-slate-200 p-2 text-sm">
                <details>
                  <summary className="cursor-pointer" title={indicator.definition}>
                    <span className="font-medium text-slate-900">{indicator.name}</span>
                    {": "}
                    {indicator.value !== null ? (
                      <span className="tabular-nums">{formatIndicator(indicator.unit, indicator.value)}</span>
                    ) : (
                      <span className="text-slate-500">
                        {indicator.level !== null ? "never" : "not available"}
                      </span>
                    )}
                    {indicator.level !== null && (
                      <span className="text-slate-600"> — suggests level {indicator.level}</span>
                    )}
                  </summary>
                  <p className="mt-1 text-xs text-slate-600">{indicator.definition}</p>
                  {indicator.note && <p className="mt-1 text-xs text-slate-500">{indicator.note}</p>}
                </details>
              </li>
            ))}
          </ul>
          {evidence.suggested ? (
            <p className="text-sm text-slate-700" data-testid={`suggested-${dimensionKey}`}>
              The data supports <strong>{levelLabel(levels, evidence.suggested.level)}</strong>
              {evidence.selfScore !== null && <>; the assessment says level {evidence.selfScore}</>}.
            </p>
          ) : (
            <p className="text-sm text-slate-500">Not enough data to suggest a level yet.</p>
          )}
          {evidence.disagreement && (
            <p
              className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
              data-testid={`disagreement-${dimensionKey}`}
            >
              <span aria-hidden="true">⚠ </span>
              {evidence.disagreement[0]!.toUpperCase() + evidence.disagreement.slice(1)}.
            </p>
          )}
        </>
      )}
      {asOf && evidence && <p className="text-xs text-slate-500">As of {formatDateTime(new Date(asOf))}.</p>}
    </div>
  );
}

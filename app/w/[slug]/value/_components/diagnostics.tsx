"use client";

import { GroupedBarChart } from "~/app/_components/charts/bar-chart";
import { ChartFrame, Legend } from "~/app/_components/charts/chart-frame";
import { ColorScaleLegend, Heatmap } from "~/app/_components/charts/heatmap";
import { LineChart } from "~/app/_components/charts/line-chart";
import { seriesColors } from "~/app/_components/charts/scale";
import { SectionCard } from "~/app/_components/ui";
import type { ValueDiagnostics, ValueFitSummary } from "~/server/valuation/types";
import {
  formatCompact,
  formatCount,
  formatDay,
  formatDecimal1,
  formatPercent,
} from "../../_components/format";

const actualColor = seriesColors.blue;
const predictedColor = seriesColors.vermillion;
const predictedDash = "7 4";

/** The three checks of a fit: tracking over time, the frequency histogram and P(alive) by history. */
export function Diagnostics({
  fit,
  idPrefix = "",
}: {
  fit: ValueFitSummary & { diagnostics: ValueDiagnostics };
  /** Keeps the ids unique when a live fit and a holdout check are on one page. */
  idPrefix?: string;
}) {
  const { tracking, frequency, aliveHeatmap } = fit.diagnostics;
  return (
    <SectionCard
      id={`${idPrefix}diagnostics`}
      title="How well the model fits"
      description="The model against what customers actually did. The holdout is the time after the calibration end: purchases the fit did not see, so the gap there is a fair test of the forecast."
    >
      <div className="space-y-8">
        {tracking.length > 1 ? (
          <TrackingChart idPrefix={idPrefix} tracking={tracking} calibrationEnd={fit.settings.calibrationEnd} />
        ) : (
          <p className="text-sm text-slate-600">
            Too few weeks of purchases to draw the repeat purchases over time.
          </p>
        )}
        <div className="grid gap-8 lg:grid-cols-2">
          <FrequencyChart idPrefix={idPrefix} frequency={frequency} />
          <AliveHeatmap idPrefix={idPrefix} heatmap={aliveHeatmap} />
        </div>
      </div>
    </SectionCard>
  );
}

function change(actual: number, predicted: number) {
  if (actual === 0) return "";
  const percent = ((predicted - actual) / actual) * 100;
  return ` (${percent >= 0 ? "+" : "−"}${formatDecimal1(Math.abs(percent))}%)`;
}

function TrackingChart({
  tracking,
  calibrationEnd,
  idPrefix,
}: {
  tracking: ValueDiagnostics["tracking"];
  calibrationEnd: string;
  idPrefix: string;
}) {
  const lastCalibration = [...tracking].reverse().find((point) => !point.holdout);
  const last = tracking[tracking.length - 1]!;
  const hasHoldout = tracking.some((point) => point.holdout);
  const summary = [
    `Cumulative repeat purchases by week, actual and predicted, over ${formatCount(last.week)} weeks.`,
    lastCalibration &&
      `At the calibration end (week ${lastCalibration.week}): ${formatCount(Math.round(lastCalibration.actual))} actual, ${formatCount(Math.round(lastCalibration.predicted))} predicted${change(lastCalibration.actual, lastCalibration.predicted)}.`,
    hasHoldout &&
      `At the end of the holdout (week ${last.week}): ${formatCount(Math.round(last.actual))} actual, ${formatCount(Math.round(last.predicted))} predicted${change(last.actual, last.predicted)}.`,
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <ChartFrame
      id={`${idPrefix}tracking-chart`}
      title="Repeat purchases over time"
      description={`Repeat purchases by all customers, added up week by week since the first purchase, against the model's expectation.${hasHoldout ? "" : " There is no holdout: the fit used every purchase up to the calibration end."}`}
      legend={
        <Legend
          items={[
            { label: "Actual", mark: { kind: "line", color: actualColor } },
            { label: "Predicted", mark: { kind: "line", color: predictedColor, dash: predictedDash } },
            ...(hasHoldout
              ? [
                  {
                    label: "Holdout, after the calibration end",
                    mark: { kind: "area" as const, color: "#f1f5f9" },
                  },
                ]
              : []),
          ]}
        />
      }
      data={{
        caption: "Cumulative repeat purchases by week, actual and predicted",
        columns: [
          { label: "Week" },
          { label: "Week ending" },
          { label: "Actual", align: "right" },
          { label: "Predicted", align: "right" },
          { label: "Period" },
        ],
        rows: tracking.map((point) => ({
          key: String(point.week),
          cells: [
            point.week,
            formatDay(point.date),
            formatCount(Math.round(point.actual)),
            formatDecimal1(point.predicted),
            point.holdout ? "Holdout" : "Calibration",
          ],
        })),
      }}
    >
      {(width) => (
        <LineChart
          width={width}
          label={summary}
          x={tracking.map((point) => point.week)}
          series={[
            { label: "Actual", color: actualColor, values: tracking.map((point) => point.actual) },
            {
              label: "Predicted",
              color: predictedColor,
              dash: predictedDash,
              values: tracking.map((point) => point.predicted),
            },
          ]}
          xTitle="Weeks since the first purchase"
          yTitle="Repeat purchases"
          formatY={formatCompact}
          region={
            hasHoldout && lastCalibration
              ? { from: lastCalibration.week, to: last.week, label: "Holdout" }
              : undefined
          }
          marker={
            hasHoldout && lastCalibration
              ? { x: lastCalibration.week, label: `Calibration end ${formatDay(calibrationEnd)}` }
              : undefined
          }
        />
      )}
    </ChartFrame>
  );
}

function FrequencyChart({
  frequency,
  idPrefix,
}: {
  frequency: ValueDiagnostics["frequency"];
  idPrefix: string;
}) {
  // Only BG/NBD has the distribution of purchase counts implemented; the other models show the actual counts.
  const predicted = frequency.every((bin) => bin.predicted !== null)
    ? frequency.map((bin) => bin.predicted!)
    : null;
  const summary = `Customers by number of repeat purchases before the calibration end${predicted ? ", actual and predicted" : ""}: ${frequency
    .map(
      (bin, i) =>
        `${bin.x}: ${formatCount(bin.actual)} actual${predicted ? `, ${formatCount(Math.round(predicted[i]!))} predicted` : ""}`,
    )
    .join("; ")}.`;
  return (
    <ChartFrame
      id={`${idPrefix}frequency-chart`}
      title="Customers by number of repeat purchases"
      description={
        predicted
          ? "How many customers bought again 0, 1, 2… times before the calibration end, against the model's expectation."
          : "How many customers bought again 0, 1, 2… times before the calibration end. The expected counts are drawn for BG/NBD only."
      }
      legend={
        <Legend
          items={[
            { label: "Actual", mark: { kind: "box", color: actualColor } },
            ...(predicted
              ? [{ label: "Predicted", mark: { kind: "box" as const, color: predictedColor, hatch: true } }]
              : []),
          ]}
        />
      }
      data={{
        caption: "Customers by number of repeat purchases, actual and predicted",
        columns: [
          { label: "Repeat purchases" },
          { label: "Actual", align: "right" },
          { label: "Predicted", align: "right" },
        ],
        rows: frequency.map((bin) => ({
          key: bin.x,
          cells: [bin.x, formatCount(bin.actual), bin.predicted === null ? "—" : formatDecimal1(bin.predicted)],
        })),
      }}
    >
      {(width) => (
        <GroupedBarChart
          width={width}
          label={summary}
          categories={frequency.map((bin) => bin.x)}
          series={[
            { label: "Actual", color: actualColor, values: frequency.map((bin) => bin.actual) },
            ...(predicted
              ? [{ label: "Predicted", color: predictedColor, pattern: "hatch" as const, values: predicted }]
              : []),
          ]}
          xTitle="Repeat purchases"
          yTitle="Customers"
          formatY={formatCompact}
        />
      )}
    </ChartFrame>
  );
}

function AliveHeatmap({
  heatmap,
  idPrefix,
}: {
  heatmap: ValueDiagnostics["aliveHeatmap"];
  idPrefix: string;
}) {
  const { frequencies, recencies, values, T } = heatmap;
  const cells = frequencies
    .flatMap((x, r) => recencies.map((tx, c) => ({ x, tx, value: values[r]?.[c] })))
    .filter(
      (cell): cell is { x: number; tx: number; value: number } =>
        typeof cell.value === "number" && Number.isFinite(cell.value),
    );
  const lowest = cells.reduce<(typeof cells)[number] | undefined>(
    (a, b) => (!a || b.value < a.value ? b : a),
    undefined,
  );
  const summary =
    cells.length === 0
      ? "Probability alive by recency and frequency: no values."
      : `Probability alive for a customer first seen ${formatDecimal1(T)} weeks before the calibration end, by the week of their last purchase (${formatDecimal1(recencies[0] ?? 0)} to ${formatDecimal1(recencies[recencies.length - 1] ?? 0)}) and their repeat purchases (${frequencies[0]} to ${frequencies[frequencies.length - 1]}). Lowest: ${formatPercent(lowest!.value)} for ${lowest!.x} repeat purchases with the last in week ${formatDecimal1(lowest!.tx)}. Customers who bought recently stay likely to be active; frequent buyers who stopped long ago are the likeliest to have left.`;
  const weeks = (value: number) => (Number.isInteger(value) ? String(value) : formatDecimal1(value));

  return (
    <ChartFrame
      id={`${idPrefix}alive-heatmap`}
      title="Probability alive by history"
      description={`For a customer first seen ${formatDecimal1(T)} weeks before the calibration end (the median): the chance they are still active, by how many times they bought again and when they last bought.`}
      legend={
        <ColorScaleLegend title="Probability alive" ticks={[0, 0.25, 0.5, 0.75, 1]} format={formatPercent} />
      }
      data={{
        caption: "Probability alive by repeat purchases (rows) and week of the last purchase (columns)",
        columns: [
          { label: "Repeat purchases" },
          ...recencies.map((tx) => ({ label: `Week ${weeks(tx)}`, align: "right" as const })),
        ],
        rows: frequencies.map((x, r) => ({
          key: String(x),
          cells: [
            x,
            ...recencies.map((_, c) => {
              const value = values[r]?.[c];
              return typeof value === "number" && Number.isFinite(value) ? formatPercent(value) : "—";
            }),
          ],
        })),
      }}
    >
      {(width) => (
        <Heatmap
          width={width}
          label={summary}
          columns={recencies}
          rows={frequencies}
          values={values}
          xTitle="Week of the last purchase, from the first"
          yTitle="Repeat purchases"
          formatColumn={weeks}
          formatValue={(value) => String(Math.round(value * 100))}
        />
      )}
    </ChartFrame>
  );
}

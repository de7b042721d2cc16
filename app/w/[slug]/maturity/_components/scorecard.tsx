"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ChartFrame, Legend } from "~/app/_components/charts/chart-frame";
import { ColorScaleLegend, Heatmap } from "~/app/_components/charts/heatmap";
import { LineChart } from "~/app/_components/charts/line-chart";
import { seriesColors } from "~/app/_components/charts/scale";
import { Button, buttonClass, Card, cx, LoadError, LoadingRows, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { Scorecard as ScorecardData } from "~/server/maturity/scorecard";
import { useWorkspace } from "../../_components/workspace-context";
import { formatCompact, formatCount, formatDay, formatMoney } from "../../_components/format";
import { OverdueBadge, StatusBadge } from "./initiative-status";
import { JourneyLiftList } from "./journey-lift-list";
import { RadarChart, type RadarSeries } from "./radar-chart";
import {
  changeWords,
  dayNumber,
  heatmapCells,
  isOverdue,
  levelOfCell,
  levelOfIndex,
  todayIso,
} from "./scorecard-figures";

const currentColor = seriesColors.blue;
const targetColor = seriesColors.vermillion;
const previousColor = "#64748b"; // slate-500, 4.8:1 on white
const targetDash = "7 4";
const previousDash = "2 4";

/** Print: each section starts on a new page unless it fits, and none is cut in half. */
const section = "print:break-inside-avoid";

/** The executive scorecard: read-only, the same for every role. */
export function Scorecard() {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const scorecard = useQuery(trpc.maturity.scorecard.queryOptions({ workspaceId }));

  if (scorecard.isPending) return <LoadingRows rows={8} label="Loading the scorecard" />;
  if (!scorecard.data)
    return (
      <LoadError
        what="the scorecard"
        error={errorMessage(scorecard.error)}
        onRetry={() => void scorecard.refetch()}
      />
    );
  const data = scorecard.data;
  const csvHref = `/api/maturity/scorecard?workspaceId=${encodeURIComponent(workspaceId)}`;

  if (!data.current)
    return (
      <div className="space-y-6">
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8">
          <h2 className="text-lg font-semibold text-slate-900">No final assessment yet</h2>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            The scorecard shows where {data.workspace.name} stands once an assessment is finalised: the
            maturity index, each dimension against its target, the trend from one assessment to the next, the
            largest gaps and the initiatives closing them. Assessments that are still open are work in
            progress and do not count yet.
          </p>
          <p className="mt-3 text-sm">
            <Link href={`/w/${slug}/maturity/assessments`} className="text-brand-700 font-medium underline">
              Go to Assessments
            </Link>{" "}
            to start one or finalise an open one.
          </p>
        </div>
        <BusinessUnits data={data} />
      </div>
    );

  return (
    <div className="print-charts print-scorecard flex flex-col gap-6 print:gap-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Scorecard of {data.workspace.name}</h2>
          <p className="mt-0.5 text-sm text-slate-600">
            From “{data.current.title}”, finalised for {formatDay(data.current.assessedOn)}, scored against{" "}
            {data.current.modelName} (version {data.current.modelVersion}).
          </p>
        </div>
        <div className="flex gap-2 print:hidden">
          <a href={csvHref} download className={buttonClass("secondary")}>
            Download CSV
          </a>
          <Button variant="secondary" onClick={() => window.print()}>
            Print
          </Button>
        </div>
      </div>
      {/* On A4: where it stands (the index beside the radar, then the business units), how it
          moved, and what closes the gaps beside the value, each chart kept whole. Columns stay side
          by side on paper, which is narrower than the screen's two-column width. */}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,20rem)_minmax(0,1fr)] print:grid-cols-2 print:gap-4">
        <IndexCard data={data} />
        <RadarCard data={data} />
      </div>
      <div className="print:order-2">
        <Trends data={data} />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] print:order-3 print:grid-cols-[minmax(0,1fr)_minmax(0,15rem)] print:gap-4">
        <TopGaps data={data} />
        <ValueTrend data={data} />
      </div>
      <div className={section}>
        <BusinessUnits data={data} />
      </div>
    </div>
  );
}

function IndexCard({ data }: { data: ScorecardData }) {
  const index = data.index.current;
  const levelName =
    index === null ? null : (data.levels[levelOfIndex(index, data.levels.length) - 1]?.name ?? null);
  const change = data.previous
    ? changeWords(
        data.index.delta,
        "points",
        `“${data.previous.title}” (${formatDay(data.previous.assessedOn)})`,
      )
    : null;
  return (
    <Card aria-labelledby="index-heading" className={cx("p-4 sm:p-6", section)}>
      <h2 id="index-heading" className="text-sm font-medium text-slate-600">
        Maturity index
      </h2>
      {index === null ? (
        <p className="mt-2 text-sm text-slate-600">No dimension was scored in this assessment.</p>
      ) : (
        <>
          <p className="mt-2 flex items-baseline gap-2" data-testid="maturity-index">
            <span className="text-5xl font-semibold tracking-tight text-slate-900 tabular-nums">
              {index.toLocaleString("en-GB", { maximumFractionDigits: 1 })}
            </span>
            <span className="text-sm text-slate-500">of 100</span>
          </p>
          {levelName && (
            <p className="mt-1 text-sm text-slate-700">
              Level {levelOfIndex(index, data.levels.length)}: <strong>{levelName}</strong>
            </p>
          )}
          {change ? (
            <p
              className={cx(
                "mt-3 text-sm font-medium",
                change.direction > 0
                  ? "text-emerald-700"
                  : change.direction < 0
                    ? "text-red-700"
                    : "text-slate-600",
              )}
            >
              <span aria-hidden="true">{change.text}</span>
              <span className="sr-only">{change.spoken}</span>
              <span aria-hidden="true" className="font-normal text-slate-600">
                {" "}
                since {formatDay(data.previous!.assessedOn)}
              </span>
            </p>
          ) : (
            <p className="mt-3 text-sm text-slate-600">The first final assessment: no change to show yet.</p>
          )}
          {data.previous && !data.sameDimensions && (
            <p className="mt-2 text-xs text-slate-500">
              The two assessments scored different dimensions, so the change mixes progress with what was
              scored.
            </p>
          )}
        </>
      )}
      <p className="mt-4 text-xs text-slate-500">
        0 is every dimension at level 1, 100 every dimension at level {data.levels.length}.
      </p>
      <h3 className="mt-6 text-sm font-medium text-slate-600">By dimension</h3>
      <ul className="mt-2 space-y-1.5 text-sm">
        {data.dimensions.map((d) => {
          const moved = changeWords(
            d.delta,
            d.delta === 1 || d.delta === -1 ? "level" : "levels",
            "the previous assessment",
          );
          return (
            <li key={d.key} className="flex items-baseline justify-between gap-3">
              <span className="text-slate-700">{d.name}</span>
              <span className="whitespace-nowrap tabular-nums">
                <span className="font-medium text-slate-900">{d.current ?? "—"}</span>
                {moved && moved.direction !== 0 && (
                  <span
                    className={cx(
                      "ml-1.5 text-xs",
                      moved.direction > 0 ? "text-emerald-700" : "text-red-700",
                    )}
                  >
                    <span aria-hidden="true">{moved.direction > 0 ? "▲" : "▼"}</span>
                    <span className="sr-only">{moved.spoken}</span>
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

function levelText(data: ScorecardData, level: number | null) {
  if (level === null) return "—";
  const name = data.levels.find((l) => l.level === level)?.name;
  return name ? `${level} ${name}` : String(level);
}

function RadarCard({ data }: { data: ScorecardData }) {
  const series: RadarSeries[] = [
    ...(data.previous
      ? [
          {
            label: `Previous (${formatDay(data.previous.assessedOn)})`,
            color: previousColor,
            dash: previousDash,
            values: data.dimensions.map((d) => d.previous),
          },
        ]
      : []),
    { label: "Target", color: targetColor, dash: targetDash, values: data.dimensions.map((d) => d.target) },
    { label: "Current", color: currentColor, fill: true, values: data.dimensions.map((d) => d.current) },
  ];
  const summary = `Radar of ${data.dimensions.length} dimensions on levels 1 to ${data.levels.length}: ${data.dimensions
    .map(
      (d) =>
        `${d.name} ${d.current ?? "not scored"}${d.target !== null ? `, target ${d.target}` : ""}${d.previous !== null ? `, previously ${d.previous}` : ""}`,
    )
    .join("; ")}.`;
  return (
    <Card className={cx("print-radar p-4 sm:p-6", section)}>
      <ChartFrame
        id="radar"
        title="Current, target and previous by dimension"
        description="Each axis is a dimension; the rings are the levels, from 1 at the centre outwards. A dimension without a target or an earlier score breaks its outline."
        legend={
          <Legend
            items={[
              { label: "Current", mark: { kind: "line", color: currentColor } },
              ...(data.dimensions.some((d) => d.target !== null)
                ? [{ label: "Target", mark: { kind: "line" as const, color: targetColor, dash: targetDash } }]
                : []),
              ...(data.previous
                ? [
                    {
                      label: `Previous (${formatDay(data.previous.assessedOn)})`,
                      mark: { kind: "line" as const, color: previousColor, dash: previousDash },
                    },
                  ]
                : []),
            ]}
          />
        }
        data={{
          caption: "Levels by dimension: current, target and previous",
          columns: [
            { label: "Dimension" },
            { label: "Current" },
            { label: "Target" },
            { label: "Target date" },
            { label: "Previous" },
            { label: "Change", align: "right" },
          ],
          rows: data.dimensions.map((d) => ({
            key: d.key,
            cells: [
              d.name,
              levelText(data, d.current),
              levelText(data, d.target),
              d.targetDate ? formatDay(d.targetDate) : "—",
              levelText(data, d.previous),
              d.delta === null ? "—" : d.delta > 0 ? `+${d.delta}` : String(d.delta),
            ],
          })),
        }}
      >
        {(width) => (
          <div className="flex justify-center">
            <RadarChart
              width={width}
              label={summary}
              axes={data.dimensions.map((d) => d.name)}
              levels={data.levels}
              series={series}
            />
          </div>
        )}
      </ChartFrame>
    </Card>
  );
}

const shortDay = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "2-digit",
  timeZone: "UTC",
});
const formatAxisDay = (day: number) => shortDay.format(day * 86_400_000);

/** The days the maturity and value trends span: both charts draw on this one axis. */
function trendDays(data: ScorecardData): [number, number] | undefined {
  const days = [
    ...data.indexTrend.map((p) => dayNumber(p.assessedOn)),
    ...data.valueTrend.map((f) => dayNumber(f.fittedAt)),
  ];
  return days.length ? [Math.min(...days), Math.max(...days)] : undefined;
}

function Trends({ data }: { data: ScorecardData }) {
  const days = data.indexTrend.map((p) => p.assessedOn);
  const x = days.map(dayNumber);
  const enough = days.length >= 2;
  return (
    <SectionCard
      id="trend"
      title="Trend"
      description={`The final assessments so far: ${days.map(formatDay).join(", ")}.`}
    >
      {!enough ? (
        <p className="text-sm text-slate-600">
          One final assessment so far: the trend appears with the next one.
        </p>
      ) : (
        <div className="space-y-8 print:space-y-4">
          <ChartFrame
            id="index-trend"
            title="Maturity index"
            data={{
              caption: "Maturity index by final assessment",
              columns: [{ label: "Assessed on" }, { label: "Index", align: "right" }],
              rows: data.indexTrend.map((p) => ({
                key: p.assessmentId,
                cells: [formatDay(p.assessedOn), p.index === null ? "—" : p.index],
              })),
            }}
          >
            {(width) => (
              <LineChart
                width={width}
                label={`Maturity index by final assessment: ${data.indexTrend
                  .map((p) => `${formatDay(p.assessedOn)} ${p.index ?? "not scored"}`)
                  .join(", ")}.`}
                x={x}
                series={[
                  { label: "Index", color: currentColor, values: data.indexTrend.map((p) => p.index) },
                ]}
                xTitle="Assessed on"
                yTitle="Index"
                yMax={100}
                xDomain={trendDays(data)}
                formatX={formatAxisDay}
                formatY={(v) => String(v)}
              />
            )}
          </ChartFrame>
          <ChartFrame
            id="dimension-trend"
            title="Each dimension"
            description={`The final level of each dimension, from 1 to ${data.levels.length}.`}
            data={{
              caption: "Final level of each dimension by assessment",
              columns: [{ label: "Dimension" }, ...days.map((day) => ({ label: formatDay(day) }))],
              rows: data.trend.map((d) => ({
                key: d.key,
                cells: [
                  d.name,
                  ...days.map((day) => d.points.find((p) => p.assessedOn === day)?.level ?? "—"),
                ],
              })),
            }}
          >
            {(width) => {
              const columns = width >= 900 ? 3 : width >= 560 ? 2 : 1;
              const cell = Math.floor((width - (columns - 1) * 24) / columns);
              return (
                <ul
                  className="print-small-multiples grid gap-6"
                  style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
                >
                  {data.trend.map((d) => {
                    const values = days.map(
                      (day) => d.points.find((p) => p.assessedOn === day)?.level ?? null,
                    );
                    return (
                      <li key={d.key} className="min-w-0">
                        <h4 className="text-sm font-medium text-slate-800">{d.name}</h4>
                        <LineChart
                          width={cell}
                          label={`${d.name}: ${d.points.map((p) => `level ${p.level} on ${formatDay(p.assessedOn)}`).join(", ") || "not scored"}.`}
                          x={x}
                          series={[{ label: d.name, color: currentColor, values }]}
                          xTitle="Assessed on"
                          yTitle="Level"
                          yMax={data.levels.length}
                          formatX={formatAxisDay}
                          formatY={(v) => (Number.isInteger(v) ? String(v) : "")}
                        />
                      </li>
                    );
                  })}
                </ul>
              );
            }}
          </ChartFrame>
        </div>
      )}
    </SectionCard>
  );
}

function TopGaps({ data }: { data: ScorecardData }) {
  const { slug } = useWorkspace();
  const today = todayIso();
  return (
    <SectionCard
      id="gaps"
      title="Top gaps"
      description="The dimensions furthest from their target, overdue ones first among equals, with the initiatives that close them."
    >
      {data.topGaps.length === 0 ? (
        <p className="text-sm text-slate-600">
          No open gaps: every dimension with a target has reached it, or no targets are set yet.
        </p>
      ) : (
        <ol className={cx("divide-y divide-slate-100", section)} aria-label="Top gaps">
          {data.topGaps.map((gap) => (
            <li key={gap.dimensionKey} className="py-3 first:pt-0 last:pb-0">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-medium text-slate-900">{gap.name}</h3>
                <p className="text-sm text-slate-700">
                  <span className="sr-only">From level </span>
                  {levelText(data, gap.current)} <span aria-hidden="true">→</span>
                  <span className="sr-only"> to target level </span> {levelText(data, gap.target)}
                </p>
              </div>
              <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                {gap.targetDate ? <>Target date {formatDay(gap.targetDate)}</> : "No target date"}
                {gap.overdue && <OverdueBadge />}
              </p>
              {gap.initiatives.length === 0 ? (
                <p className="mt-2 text-sm text-slate-500">No initiative on this gap yet.</p>
              ) : (
                <ul className="mt-2 space-y-1.5" aria-label={`Initiatives on ${gap.name}`}>
                  {gap.initiatives.map((initiative) => (
                    <li key={initiative.id} className="flex flex-wrap items-center gap-2 text-sm">
                      <StatusBadge status={initiative.status} />
                      <span className="text-slate-800">{initiative.title}</span>
                      {initiative.owner && <span className="text-slate-500">· {initiative.owner.name}</span>}
                      {initiative.dueDate && (
                        <span className="text-slate-500">· due {formatDay(initiative.dueDate)}</span>
                      )}
                      {isOverdue(initiative.dueDate, initiative.status, today) && <OverdueBadge />}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      <p className="text-sm print:hidden">
        <Link href={`/w/${slug}/maturity/initiatives`} className="text-brand-700 underline">
          All initiatives
        </Link>
      </p>
    </SectionCard>
  );
}

function ValueTrend({ data }: { data: ScorecardData }) {
  const { slug } = useWorkspace();
  const fits = data.valueTrend;
  const latest = fits.at(-1);
  const before = fits.at(-2);
  return (
    <SectionCard
      id="value-trend"
      title="Customer value"
      description="Customers valued and their total predicted value, one point per day: the last fit of the customer value model that day, on the same time axis as the maturity trend."
    >
      {!latest ? (
        <p className="text-sm text-slate-600">
          No customer value fit yet.{" "}
          <Link href={`/w/${slug}/value`} className="text-brand-700 underline print:no-underline">
            Fit the model
          </Link>{" "}
          to follow the value of the customer base beside the maturity.
        </p>
      ) : (
        <div className={cx("space-y-4", section)}>
          <dl className="flex flex-wrap gap-x-8 gap-y-3">
            <div>
              <dt className="text-xs text-slate-500">Customers</dt>
              <dd className="text-2xl font-semibold tabular-nums">{formatCount(latest.customers)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Predicted value</dt>
              <dd className="text-2xl font-semibold tabular-nums">{formatMoney(latest.predictedValue)}</dd>
            </div>
          </dl>
          <p className="text-xs text-slate-500">
            Fitted {formatDay(latest.fittedAt)}
            {before && (
              <>
                {" "}
                · previous fit {formatDay(before.fittedAt)}: {formatCount(before.customers)} customers,{" "}
                {formatMoney(before.predictedValue)}
              </>
            )}
          </p>
          {fits.length >= 2 && (
            <ChartFrame
              id="value-chart"
              title="Predicted value by day"
              data={{
                caption: "Customers and predicted value by day (the last fit of each day)",
                columns: [
                  { label: "Fitted" },
                  { label: "Customers", align: "right" },
                  { label: "Predicted value", align: "right" },
                ],
                rows: fits.map((fit) => ({
                  key: fit.fittedAt,
                  cells: [
                    formatDay(fit.fittedAt),
                    formatCount(fit.customers),
                    formatMoney(fit.predictedValue),
                  ],
                })),
              }}
            >
              {(width) => (
                <LineChart
                  width={width}
                  label={`Predicted value by day: ${fits.map((f) => `${formatDay(f.fittedAt)} ${formatMoney(f.predictedValue)}`).join(", ")}.`}
                  x={fits.map((f) => dayNumber(f.fittedAt))}
                  series={[
                    {
                      label: "Predicted value",
                      color: currentColor,
                      values: fits.map((f) => f.predictedValue),
                    },
                  ]}
                  xTitle="Fitted on"
                  yTitle="Predicted value"
                  xDomain={trendDays(data)}
                  formatX={formatAxisDay}
                  formatY={formatCompact}
                />
              )}
            </ChartFrame>
          )}
        </div>
      )}
      <JourneyLiftList lifts={data.journeyLift} />
    </SectionCard>
  );
}

function BusinessUnits({ data }: { data: ScorecardData }) {
  const { rows, dimensions } = data.businessUnits;
  const assessed = rows.filter((r) => r.assessedOn !== null);
  const levelCount = Math.max(
    data.levels.length,
    ...assessed.flatMap((r) => Object.values(r.levels).filter((v): v is number => v !== null)),
  );
  return (
    <SectionCard
      id="business-units"
      title="Business units"
      description="The latest final assessment of each workspace you belong to, dimension by dimension."
    >
      {assessed.length === 0 ? (
        <p className="text-sm text-slate-600">None of your workspaces has a final assessment yet.</p>
      ) : (
        <div className={section}>
          <ChartFrame
            id="units-heatmap"
            title="Levels by business unit"
            legend={
              <ColorScaleLegend
                title="Level"
                ticks={Array.from({ length: levelCount }, (_, i) => i / Math.max(1, levelCount - 1))}
                format={(t) => String(levelOfCell(t, levelCount))}
              />
            }
            data={{
              caption: "Levels of each business unit by dimension",
              columns: [
                { label: "Business unit" },
                { label: "Assessed on" },
                { label: "Index", align: "right" },
                ...dimensions.map((d) => ({ label: d.name, align: "right" as const })),
              ],
              rows: rows.map((row) => ({
                key: row.workspaceId,
                cells: [
                  row.name,
                  row.assessedOn ? formatDay(row.assessedOn) : "Not assessed",
                  row.index ?? "—",
                  ...dimensions.map((d) => row.levels[d.key] ?? "—"),
                ],
              })),
            }}
          >
            {(width) => (
              <Heatmap
                width={width}
                label={`Levels of ${rows.length} business units on ${dimensions.length} dimensions: ${rows
                  .map((row) => `${row.name}${row.index === null ? " not assessed" : ` index ${row.index}`}`)
                  .join("; ")}.`}
                columns={dimensions.map((_, i) => i)}
                rows={rows.map((_, i) => i)}
                values={heatmapCells(rows, dimensions, levelCount)}
                xTitle="Dimension"
                yTitle="Business unit"
                formatColumn={(i) => shortDimension(dimensions[i]?.name ?? "")}
                formatRow={(i) => rows[rows.length - 1 - i]?.name ?? ""}
                formatValue={(t) => String(levelOfCell(t, levelCount))}
              />
            )}
          </ChartFrame>
        </div>
      )}
    </SectionCard>
  );
}

/** A column heading short enough to sit under a heatmap cell: the name up to its first "and" or comma. */
function shortDimension(name: string) {
  const short = name.split(/,| and /)[0]!.trim();
  return short.length > 16 ? `${short.slice(0, 15)}…` : short;
}

"use client";

import { ChartFrame } from "~/app/_components/charts/chart-frame";
import { channelLabels } from "../../../_components/channels";
import { formatCount, formatPercent } from "../../../_components/format";
import { formatDuration, outOfOrderText, type FunnelRow } from "./analytics-figures";

const goalText = (goal: FunnelRow["goal"]) =>
  goal ? `${goal.event}${goal.channel ? ` on ${channelLabels[goal.channel]}` : ""}` : "no goal set";

/** The step into a stage in words: "Browse: 201 of 328 went on (61%), 127 dropped off, median 2.4 days". */
function stepText(row: FunnelRow, previous: FunnelRow): string {
  const step = row.fromPrevious;
  if (!step || step.converted === null) {
    const without = [previous, row].filter((r) => r.goal === null).map((r) => r.name);
    return `On to ${row.name}: not measured, ${without.join(" and ")} ${without.length === 1 ? "has" : "have"} no goal.`;
  }
  if (step.conversion === null)
    return `On to ${row.name}: nobody reached ${previous.name}, so nobody could go on.`;
  const parts = [
    `On to ${row.name}: ${formatCount(step.converted)} of ${formatCount(step.reached ?? 0)} went on (${formatPercent(step.conversion)})`,
    `${formatCount(step.dropOff ?? 0)} dropped off`,
  ];
  if (step.medianHours !== null) parts.push(`median ${formatDuration(step.medianHours)} between them`);
  return `${parts.join(", ")}.`;
}

/**
 * One bar per stage, as long as the share of members who reached it, with the
 * step from the stage before written between the bars. The bars are a picture
 * of the table behind "Show the numbers".
 */
export function Funnel({ rows, members }: { rows: FunnelRow[]; members: number }) {
  const measured = rows.filter((r) => r.reached !== null);
  const summary =
    measured.length === 0
      ? "No stage has a goal, so no stage can be counted."
      : `Members who reached each stage: ${measured
          .map((r) => `${r.name} ${formatCount(r.reached!)}`)
          .join(", ")}, of ${formatCount(members)} members.`;

  return (
    <ChartFrame
      id="journey-funnel"
      title="Funnel"
      description="A member reaches a stage with its goal event in the window, after reaching the stage before it, so no stage counts more than the one before. Members who did a stage's goal out of order are named under it, not counted."
      data={{
        caption: "Members per stage, conversion, drop-off and time from the stage before",
        columns: [
          { label: "Stage" },
          { label: "Goal event" },
          { label: "Reached", align: "right" },
          { label: "Of members", align: "right" },
          { label: "From previous", align: "right" },
          { label: "Dropped off", align: "right" },
          { label: "Median time", align: "right" },
          { label: "Did the goal out of order", align: "right" },
        ],
        rows: rows.map((row) => {
          const step = row.fromPrevious;
          return {
            key: row.stageId,
            cells: [
              row.name,
              goalText(row.goal),
              row.reached === null ? "no goal set" : formatCount(row.reached),
              row.share === null ? "—" : formatPercent(row.share),
              step?.conversion == null ? "—" : formatPercent(step.conversion),
              step?.dropOff == null ? "—" : formatCount(step.dropOff),
              step?.medianHours == null ? "—" : formatDuration(step.medianHours),
              row.outOfOrder ? formatCount(row.outOfOrder) : "—",
            ],
          };
        }),
      }}
    >
      {() => (
        <div role="img" aria-label={summary} className="space-y-1">
          {rows.map((row, i) => (
            <div key={row.stageId} className="space-y-1">
              {i > 0 && (
                <p className="pl-3 text-xs text-slate-500">
                  <span aria-hidden="true">↓ </span>
                  {stepText(row, rows[i - 1]!)}
                </p>
              )}
              {/* Narrow: name and count, the bar beneath them; from sm: name, bar, count in one row. */}
              <div className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 text-sm sm:grid-cols-[minmax(7rem,14rem)_minmax(0,1fr)_7rem] sm:gap-y-3">
                <span className="min-w-0">
                  <span className="block truncate font-medium text-slate-900">{row.name}</span>
                  <span className="block truncate text-xs text-slate-500">{goalText(row.goal)}</span>
                </span>
                {row.reached === null ? (
                  <span className="col-span-2 h-6 w-full rounded border border-dashed border-slate-300 bg-slate-50 sm:col-span-1 sm:col-start-2 sm:row-start-1" />
                ) : (
                  <span className="col-span-2 h-6 w-full overflow-hidden rounded bg-slate-100 sm:col-span-1 sm:col-start-2 sm:row-start-1">
                    <span
                      className="bg-brand-600 block h-full rounded"
                      style={{ width: `${Math.max(row.reached > 0 ? 1 : 0, (row.share ?? 0) * 100)}%` }}
                    />
                  </span>
                )}
                <span className="col-start-2 row-start-1 text-right tabular-nums sm:col-start-3">
                  {row.reached === null ? (
                    <span className="text-slate-500">no goal set</span>
                  ) : (
                    <>
                      {formatCount(row.reached)}
                      <span className="block text-xs text-slate-500">
                        {row.share === null ? "—" : `${formatPercent(row.share)} of members`}
                      </span>
                    </>
                  )}
                </span>
              </div>
              {outOfOrderText(row) && <p className="pl-3 text-xs text-slate-500">{outOfOrderText(row)}</p>}
            </div>
          ))}
        </div>
      )}
    </ChartFrame>
  );
}

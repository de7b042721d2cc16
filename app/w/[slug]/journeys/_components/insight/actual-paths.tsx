import { DataTable } from "~/app/_components/ui";
import { ChannelBadge, channelLabels } from "../../../_components/channels";
import { formatCount, formatPercent } from "../../../_components/format";
import type { designedSequence, PathRow } from "./analytics-figures";

/**
 * The designed order of the stages beside the most common orders in which
 * members actually reached them, each step with the channel it happened on.
 */
export function ActualPaths({
  designed,
  rows,
  distinct,
  noStage,
  members,
}: {
  designed: ReturnType<typeof designedSequence>;
  rows: PathRow[];
  distinct: number;
  noStage: number;
  members: number;
}) {
  return (
    <section aria-labelledby="journey-paths-heading" className="space-y-3">
      <div>
        <h3 id="journey-paths-heading" className="font-medium text-slate-900">
          Designed path vs actual paths
        </h3>
        <p className="mt-0.5 text-sm text-slate-600">
          The order in which members first did each stage's goal, in order or not, with the channel of each
          goal event.
        </p>
      </div>
      <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
        <p className="font-medium text-slate-800">Designed</p>
        <ol aria-label="Designed order of the stages" className="mt-1 flex flex-wrap items-center gap-1">
          {designed.map((stage, i) => (
            <li key={stage.stageId} className="flex items-center gap-1">
              {i > 0 && (
                <span aria-hidden="true" className="text-slate-400">
                  →
                </span>
              )}
              <span className={stage.hasGoal ? "text-slate-900" : "text-slate-500 italic"}>
                {stage.name}
                {!stage.hasGoal && " (no goal set)"}
              </span>
            </li>
          ))}
        </ol>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No member reached any stage in the window.</p>
      ) : (
        <DataTable
          caption="The most common actual paths"
          variant="boxed"
          columns={[
            { label: "Actual path" },
            { label: "Members", align: "right" },
            { label: "Of members", align: "right" },
            { label: "Design" },
          ]}
        >
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className="border-t border-slate-100 align-top">
                <td className="px-3 py-2">
                  <ol
                    aria-label={row.steps
                      .map((s) => `${s.name} on ${channelLabels[s.channel]}`)
                      .join(", then ")}
                    className="flex flex-wrap items-center gap-1"
                  >
                    {row.steps.map((step, i) => (
                      <li key={`${step.stageId}-${i}`} className="flex items-center gap-1">
                        {i > 0 && (
                          <span aria-hidden="true" className="text-slate-400">
                            →
                          </span>
                        )}
                        <span className="text-slate-900">{step.name}</span>
                        <ChannelBadge channel={step.channel} />
                      </li>
                    ))}
                  </ol>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(row.members)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatPercent(row.share)}</td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {row.followsDesign ? (
                    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
                      ✓ follows the design
                    </span>
                  ) : (
                    <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                      ≠ differs from the design
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <p className="text-sm text-slate-600">
        {formatCount(distinct)} different {distinct === 1 ? "path" : "paths"}
        {rows.length < distinct ? `, the ${rows.length} most common shown` : ""}; {formatCount(noStage)} of{" "}
        {formatCount(members)} members did no stage's goal.
      </p>
    </section>
  );
}

"use client";

import { ChartFrame } from "~/app/_components/charts/chart-frame";
import { cx } from "~/app/_components/ui";
import type { Channel } from "~/db/enums";
import { ChannelBadge, channelLabels, channelStyles } from "../../../_components/channels";
import { formatCount, formatPercent } from "../../../_components/format";
import type { ChannelMatchRow } from "./analytics-figures";

type Action = NonNullable<ChannelMatchRow["action"]>;

/** "Email Opened 120, Email Clicked 40": members per delivery or reaction event that any had. */
function deliveriesText(action: Action): string {
  const seen = action.deliveries.filter((d) => d.members > 0);
  return seen.length === 0
    ? "none delivered, opened or clicked"
    : seen.map((d) => `${d.event} ${formatCount(d.members)}`).join(", ");
}

/** "180 of 258 who reached Order Completed (web) (70%)": a message's reach among those it was for. */
function deliveredText(row: ChannelMatchRow, action: Action): string {
  const of = action.reachedStage ?? 0;
  return `${formatCount(action.acted)} of ${formatCount(of)} who reached ${row.stageName}${of > 0 ? ` (${formatPercent(action.acted / of)})` : ""}`;
}

/** "10 on Email (designed), 35 on Web, 5 on App". */
function breakdownText(row: ChannelMatchRow): string {
  if (!row.action) return "cannot be measured: no action event and no stage goal";
  if (row.action.measure === "delivery") return `a message, not an action: ${deliveriesText(row.action)}`;
  if (row.action.acted === 0) return "nobody acted";
  const parts = row.action.parts.map(
    (p) => `${formatCount(p.members)} on ${channelLabels[p.channel]}${p.designed ? " (designed)" : ""}`,
  );
  if (!row.action.parts.some((p) => p.designed))
    parts.unshift(`0 on ${channelLabels[row.channel]} (designed)`);
  return parts.join(", ");
}

/**
 * Per touchpoint, on which channel the members who acted did so: the designed
 * channel (first, outlined) against the others, each in its channel's colour
 * and named in the text beside it. Seed 001's email reader who buys on the web
 * shows here as an email touchpoint answered mostly on Web.
 */
export function ChannelMatch({ rows }: { rows: ChannelMatchRow[] }) {
  const used = [...new Set(rows.flatMap((r) => r.action?.parts.map((p) => p.channel) ?? []))];
  return (
    <ChartFrame
      id="journey-channel-match"
      title="Designed channel vs actual channel"
      description="For each touchpoint, the members who acted by channel: with an action event, the channel of their first one; without, the members who reached its stage, by the channel of the event that reached it. An email without an action event of its own (an order confirmation) asks for no action: it is measured by its delivery, open and click events after its stage was reached."
      legend={<ChannelLegend channels={used} />}
      data={{
        caption: "Members who acted on each touchpoint, on its designed channel and on others",
        columns: [
          { label: "Touchpoint" },
          { label: "Stage" },
          { label: "Designed channel" },
          { label: "Action event" },
          { label: "Acted", align: "right" },
          { label: "On designed channel", align: "right" },
          { label: "On other channels", align: "right" },
          { label: "By channel" },
        ],
        rows: rows.map((row) => ({
          key: row.touchpointId,
          cells: [
            row.title,
            row.stageName,
            channelLabels[row.channel],
            row.action?.event ?? "—",
            row.action ? formatCount(row.action.acted) : "—",
            row.action ? share(row.action.onDesignedChannel, row.action.acted) : "—",
            row.action ? share(row.action.onOtherChannels, row.action.acted) : "—",
            breakdownText(row),
          ],
        })),
      }}
    >
      {() =>
        rows.length === 0 ? (
          <p className="text-sm text-slate-600">This design has no touchpoints yet.</p>
        ) : (
          <ul className="space-y-3">
            {rows.map((row) => (
              <li key={row.touchpointId} className="space-y-1 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-slate-900">{row.title}</span>
                  <span className="text-slate-500">{row.stageName}</span>
                  <ChannelBadge channel={row.channel} />
                </div>
                {row.action?.measure === "delivery" ? (
                  <DeliveredMessage row={row} action={row.action} />
                ) : row.action && row.action.acted > 0 ? (
                  <>
                    <div aria-hidden="true" className="flex h-5 w-full overflow-hidden rounded bg-slate-100">
                      {row.action.parts.map((part) => (
                        <span
                          key={part.channel}
                          className={cx(
                            "block h-full",
                            channelStyles[part.channel].bar,
                            part.designed && "ring-2 ring-slate-900 ring-inset",
                          )}
                          style={{ width: `${part.share * 100}%` }}
                        />
                      ))}
                    </div>
                    <p className="text-slate-700">
                      <span className="font-medium">
                        {formatPercent(row.action.onDesignedChannel / row.action.acted)} on the designed
                        channel
                      </span>{" "}
                      of {formatCount(row.action.acted)} who acted on “{row.action.event}”:{" "}
                      {breakdownText(row)}.
                    </p>
                  </>
                ) : (
                  <p className="text-slate-600">
                    {row.action
                      ? `Nobody acted on “${row.action.event}” in the window.`
                      : "Cannot be measured: give the touchpoint an action event or its stage a goal."}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )
      }
    </ChartFrame>
  );
}

/** A message measured by its deliveries: the share of the stage's members it reached, and how. */
function DeliveredMessage({ row, action }: { row: ChannelMatchRow; action: Action }) {
  const of = action.reachedStage ?? 0;
  return (
    <>
      <div aria-hidden="true" className="flex h-5 w-full overflow-hidden rounded bg-slate-100">
        <span
          className={cx("block h-full", channelStyles[row.channel].bar, "ring-2 ring-slate-900 ring-inset")}
          style={{ width: `${of > 0 ? (action.acted / of) * 100 : 0}%` }}
        />
      </div>
      <p className="text-slate-700">
        <span className="font-medium">A message, measured by its deliveries:</span>{" "}
        {deliveredText(row, action)} had it delivered, opened or clicked on {channelLabels[row.channel]} after
        reaching that stage ({deliveriesText(action)}).
      </p>
    </>
  );
}

const share = (part: number, whole: number) =>
  `${formatCount(part)}${whole > 0 ? ` (${formatPercent(part / whole)})` : ""}`;

function ChannelLegend({ channels }: { channels: Channel[] }) {
  if (channels.length === 0) return null;
  return (
    <ul aria-label="Channels" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
      {channels.map((channel) => (
        <li key={channel} className="flex items-center gap-1.5">
          <span aria-hidden="true" className={cx("h-3 w-3 rounded-sm", channelStyles[channel].bar)} />
          {channelLabels[channel]}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <span
          aria-hidden="true"
          className="h-3 w-3 rounded-sm bg-slate-200 ring-2 ring-slate-900 ring-inset"
        />
        outlined: the designed channel
      </li>
    </ul>
  );
}

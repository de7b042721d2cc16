"use client";

import Link from "next/link";
import { XAxis, YAxis, type Plot } from "~/app/_components/charts/axes";
import { ChartFrame, ChartSvg } from "~/app/_components/charts/chart-frame";
import { HoverReadout } from "~/app/_components/charts/hover-readout";
import { linear, niceMax, niceTicks, seriesColors } from "~/app/_components/charts/scale";
import { EmptyState, SectionCard } from "~/app/_components/ui";
import { ChannelBadge, channelLabels, channelStyles } from "./channels";
import { formatCompact, formatCount, formatDay, formatPercent } from "./format";
import type { DashboardSummary } from "./dashboard-summary-type";

// Events per day as a small bar chart with a hover readout, and the same
// window's events by channel.

type Activity = DashboardSummary["activity"];

const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const dayLabel = (day: string) => shortDay.format(Date.parse(`${day}T00:00:00Z`));

function EventsPerDayChart({ width, days }: { width: number; days: Activity["days"] }) {
  const height = width < 480 ? 150 : 170;
  const top = niceMax(Math.max(0, ...days.map((d) => d.events)), 3);
  const yTicks = niceTicks(0, top, 3);
  const left = 44;
  const plot: Plot = { left, top: 8, width: Math.max(40, width - left - 8), height: height - 8 - 28 };
  const slot = plot.width / days.length;
  const py = linear(0, top, plot.top + plot.height, plot.top);
  const xOf = (i: number) => plot.left + slot * (i + 0.5);
  // A label every week or so, as many as fit.
  const every = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(plot.width / 64))));
  const total = days.reduce((sum, d) => sum + d.events, 0);
  return (
    <ChartSvg
      label={`Events per day from ${formatDay(days[0]!.day)} to ${formatDay(days.at(-1)!.day)}: ${formatCount(total)} in all, at most ${formatCount(Math.max(...days.map((d) => d.events)))} on one day.`}
      width={width}
      height={height}
    >
      <YAxis plot={plot} ticks={yTicks} y={py} format={formatCompact} title="" />
      <XAxis
        plot={plot}
        ticks={days.flatMap((d, i) => (i % every === 0 ? [{ x: xOf(i), label: dayLabel(d.day) }] : []))}
        title=""
      />
      {days.map((d, i) => (
        <rect
          key={d.day}
          x={plot.left + slot * i + Math.min(1, slot * 0.15)}
          width={Math.max(1, slot - 2 * Math.min(1, slot * 0.15))}
          y={py(d.events)}
          height={plot.top + plot.height - py(d.events)}
          fill={seriesColors.blue}
        />
      ))}
      <HoverReadout
        plot={plot}
        slots={days.map((d, i) => ({
          x: xOf(i),
          title: formatDay(d.day),
          lines: [{ label: "Events", value: formatCount(d.events), color: seriesColors.blue }],
        }))}
      />
    </ChartSvg>
  );
}

export function DashboardActivity({ slug, activity }: { slug: string; activity: Activity }) {
  return (
    <SectionCard
      id="dashboard-activity"
      title="Activity"
      description={`Events received for the last ${activity.days.length} days, by the day they happened (UTC).`}
      aside={
        <Link
          href={`/w/${slug}/customers`}
          className="text-brand-700 text-sm whitespace-nowrap hover:underline"
        >
          Customers
        </Link>
      }
    >
      {activity.total === 0 ? (
        <EmptyState title="No events in the last 30 days">
          Events arrive through the API, the browser and mobile SDKs, or an import.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <ChartFrame
            id="dashboard-events"
            title={`${formatCount(activity.total)} events`}
            description="Per day; point at a bar for its count."
            data={{
              caption: "Events per day",
              columns: [{ label: "Day" }, { label: "Events", align: "right" }],
              rows: activity.days.map((d) => ({
                key: d.day,
                cells: [formatDay(d.day), formatCount(d.events)],
              })),
            }}
          >
            {(width) => <EventsPerDayChart width={width} days={activity.days} />}
          </ChartFrame>
          <ChannelMixList channels={activity.channels} />
        </div>
      )}
    </SectionCard>
  );
}

function ChannelMixList({ channels }: { channels: Activity["channels"] }) {
  return (
    <section aria-labelledby="dashboard-channels-heading" className="min-w-0">
      <h3 id="dashboard-channels-heading" className="font-medium text-slate-900">
        Channel mix
      </h3>
      <p className="mt-0.5 mb-3 text-sm text-slate-600">The same events by channel.</p>
      <ul className="space-y-2" data-testid="dashboard-channel-mix">
        {channels.map((row) => (
          <li
            key={row.channel}
            className="grid grid-cols-[6rem_minmax(0,1fr)_5rem] items-center gap-3 text-sm"
          >
            <ChannelBadge channel={row.channel} />
            <span aria-hidden="true" className="h-2.5 w-full overflow-hidden rounded-full bg-slate-100">
              <span
                className={`block h-full rounded-full ${channelStyles[row.channel].bar}`}
                style={{ width: `${Math.max(1, row.share * 100)}%` }}
              />
            </span>
            <span className="text-right tabular-nums">
              <span className="sr-only">{channelLabels[row.channel]}: </span>
              {formatPercent(row.share)}
              <span className="block text-xs text-slate-500">{formatCount(row.count)}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

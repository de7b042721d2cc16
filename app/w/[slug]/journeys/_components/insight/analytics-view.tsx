"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Alert, Button, controlProps, EmptyState, Field } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { JourneyAnalytics } from "~/server/journeys/analytics";
import type { JourneyDesign } from "~/server/journeys/design";
import type { TouchpointSends } from "~/server/journeys/run/sends";
import { ProgressBar } from "../../../_components/progress-bar";
import { formatCount, formatPercent } from "../../../_components/format";
import { overlayFromAnalytics, type JourneyOverlay } from "../overlay";
import { ActualPaths } from "./actual-paths";
import { channelMatchRows, designedSequence, emptyReason, funnelRows, pathRows } from "./analytics-figures";
import {
  defaultWindow,
  describeRange,
  presetAsCustom,
  presetDays,
  windowRange,
  type PresetDays,
  type WindowChoice,
} from "./analytics-window";
import { ChannelMatch } from "./channel-match";
import { Funnel } from "./funnel";
import { JourneySends } from "./journey-sends";

type Source = "draft" | number;

/**
 * How the journey's segment actually moved through it over a window: the
 * funnel of stages, the channels members acted on per touchpoint, and the
 * most common actual paths beside the designed one. "Show on the map" hands
 * the figures to the grid and the canvas as an overlay.
 */
export function JourneyAnalyticsView({
  workspaceId,
  journeyId,
  design,
  onOverlay,
}: {
  workspaceId: string;
  journeyId: string;
  design: JourneyDesign;
  onOverlay: (overlay: JourneyOverlay | null) => void;
}) {
  const trpc = useTRPC();
  const [choice, setChoice] = useState<WindowChoice>(defaultWindow);
  const [source, setSource] = useState<Source>("draft");
  const [onMap, setOnMap] = useState(false);
  // Taken once: "the last 90 days" should not move while the view is open.
  const [now] = useState(() => new Date());
  const range = windowRange(choice, now);

  const journey = useQuery(trpc.journey.get.queryOptions({ workspaceId, id: journeyId }));
  const versions = useQuery(trpc.journey.versions.queryOptions({ workspaceId, id: journeyId }));
  const version = useQuery(
    trpc.journey.version.queryOptions(
      source === "draft" ? skipToken : { workspaceId, id: journeyId, version: source },
    ),
  );
  const analytics = useQuery({
    ...trpc.journey.analytics.queryOptions(
      range.ok ? { workspaceId, id: journeyId, from: range.from, to: range.to, source } : skipToken,
    ),
    retry: false,
  });
  const measuredDesign = source === "draft" ? design : version.data?.design;

  // The overlay follows the figures; it is taken off the map when switched off or when the view closes.
  const onOverlayRef = useRef(onOverlay);
  useEffect(() => {
    onOverlayRef.current = onOverlay;
  });
  const data = analytics.data;
  useEffect(() => {
    onOverlayRef.current(onMap && data ? overlayFromAnalytics(data, design) : null);
  }, [onMap, data, design]);
  useEffect(() => () => onOverlayRef.current(null), []);

  const segment = journey.data?.segment;

  return (
    <section aria-labelledby="journey-analytics-heading" className="space-y-5">
      <div>
        <h2 id="journey-analytics-heading" className="text-lg font-semibold text-slate-900">
          Analytics
        </h2>
        <p className="text-sm text-slate-600">
          How the members of {segment ? `“${segment.name}”` : "the segment"} moved through this journey,
          measured on their events.
        </p>
      </div>

      <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
        <WindowPicker
          choice={choice}
          now={now}
          onChange={setChoice}
          error={range.ok ? undefined : range.error}
        />
        <div className="w-56">
          <Field id="analytics-source" label="Design">
            <select
              {...controlProps("analytics-source")}
              value={String(source)}
              onChange={(event) =>
                setSource(event.target.value === "draft" ? "draft" : Number(event.target.value))
              }
            >
              {/* Viewers are shown the latest published version where editors see the draft. */}
              <option value="draft">
                {journey.data && !journey.data.canEdit ? "Latest published version" : "Draft"}
              </option>
              {[...(versions.data ?? [])]
                .sort((a, b) => b.version - a.version)
                .map((v) => (
                  <option key={v.version} value={String(v.version)}>
                    Version {v.version}
                  </option>
                ))}
            </select>
          </Field>
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm font-medium text-slate-800">
          <input
            type="checkbox"
            className="accent-brand-600 h-4 w-4"
            checked={onMap}
            onChange={(event) => setOnMap(event.target.checked)}
          />
          Show on the map
        </label>
      </div>
      {onMap && data && (
        <p className="text-xs text-slate-500" role="status">
          The map shows these figures on its stages, arrows and touchpoints.
        </p>
      )}

      {!range.ok ? null : analytics.isPending || (source !== "draft" && version.isPending) ? (
        <Loading members={segment?.memberCount} range={range} />
      ) : analytics.error || !data ? (
        <div className="space-y-3">
          <Alert>Could not compute the analytics: {errorMessage(analytics.error)}</Alert>
          <Button variant="secondary" onClick={() => void analytics.refetch()}>
            Retry
          </Button>
        </div>
      ) : !measuredDesign ? (
        <div className="space-y-3">
          <Alert>
            Could not load version {source}: {errorMessage(version.error)}
          </Alert>
          <Button variant="secondary" onClick={() => void version.refetch()}>
            Retry
          </Button>
        </div>
      ) : (
        <Figures analytics={data} design={measuredDesign} />
      )}
    </section>
  );
}

function WindowPicker({
  choice,
  now,
  onChange,
  error,
}: {
  choice: WindowChoice;
  now: Date;
  onChange: (choice: WindowChoice) => void;
  error?: string;
}) {
  const id = useId();
  // A custom window starts from the last preset, so switching to it changes nothing until a date does.
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const current = choice.kind === "custom" ? "custom" : String(choice.days);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">Window</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {[...presetDays.map((days) => String(days)), "custom"].map((value) => (
          <label key={value} className="flex items-center gap-1.5">
            <input
              type="radio"
              name={`${id}-window`}
              className="accent-brand-600"
              value={value}
              checked={current === value}
              onChange={() => {
                if (value !== "custom") {
                  onChange({ kind: "last", days: Number(value) as PresetDays });
                  return;
                }
                const dates = custom ?? presetAsCustom(choice.kind === "last" ? choice.days : 90, now);
                setCustom(dates);
                onChange({ kind: "custom", ...dates });
              }}
            />
            {value === "custom" ? "Custom" : `Last ${value} days`}
          </label>
        ))}
      </div>
      {choice.kind === "custom" && (
        <div className="flex flex-wrap gap-3">
          {(["from", "to"] as const).map((end) => (
            <div key={end} className="w-40">
              <Field id={`${id}-${end}`} label={end === "from" ? "First day" : "Last day"}>
                <input
                  type="date"
                  {...controlProps(`${id}-${end}`, { error })}
                  value={choice[end]}
                  onChange={(event) => {
                    const dates = { from: choice.from, to: choice.to, [end]: event.target.value };
                    setCustom(dates);
                    onChange({ kind: "custom", ...dates });
                  }}
                />
              </Field>
            </div>
          ))}
        </div>
      )}
      {error && (
        <p id={`${id}-to-error`} className="text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Counting can take a few seconds on a large segment: say what is being counted and for how long. */
function Loading({ members, range }: { members: number | undefined; range: { from: string; to: string } }) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div role="status" className="space-y-2 rounded-md border border-slate-200 p-4">
      <p className="text-sm text-slate-800">
        Reading the events of{" "}
        {members === undefined ? "the segment's members" : `${formatCount(members)} members`} for{" "}
        {describeRange(range.from, range.to)}…
        {seconds >= 2 && <span className="text-slate-500"> {seconds} s</span>}
      </p>
      <ProgressBar label="Computing the analytics" max={1} />
    </div>
  );
}

function Figures({
  analytics,
  design,
}: {
  analytics: JourneyAnalytics & { sends: TouchpointSends[] | null };
  design: JourneyDesign;
}) {
  const reason = emptyReason(analytics);
  const range = {
    from: analytics.window.from.toISOString().slice(0, 10),
    to: analytics.window.to.toISOString().slice(0, 10),
  };
  if (reason === "noMembers") {
    return (
      <EmptyState title="The segment has no members">
        Nobody is in the journey&rsquo;s segment at its last refresh, so there is nobody to measure.
      </EmptyState>
    );
  }
  if (reason === "noEvents") {
    return (
      <EmptyState title="No events in this window">
        None of the {formatCount(analytics.members)} members has an event in{" "}
        {describeRange(range.from, range.to)}. Choose another window.
      </EmptyState>
    );
  }
  // Every stage is reached after the first one with a goal, so whoever reached a stage reached that one.
  const reachedAny = analytics.stages.find((s) => s.reached !== null)?.reached ?? 0;
  return (
    <div className="space-y-8">
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Figure label="Members" value={formatCount(analytics.members)} />
        <Figure
          label="With events in the window"
          value={formatCount(analytics.membersWithEvents)}
          note={formatPercent(analytics.membersWithEvents / analytics.members)}
        />
        <Figure
          label="Reached a stage"
          value={formatCount(reachedAny)}
          note={formatPercent(reachedAny / analytics.members)}
        />
        <Figure label="Window" value={describeRange(range.from, range.to)} small />
      </dl>
      <Funnel rows={funnelRows(analytics, design)} members={analytics.members} />
      {analytics.sends && <JourneySends rows={analytics.sends} design={design} />}
      <ChannelMatch rows={channelMatchRows(analytics, design)} />
      <ActualPaths
        designed={designedSequence(design)}
        rows={pathRows(analytics, design)}
        distinct={analytics.paths.distinct}
        noStage={analytics.paths.noStage}
        members={analytics.members}
      />
    </div>
  );
}

function Figure({
  label,
  value,
  note,
  small,
}: {
  label: string;
  value: string;
  note?: string;
  small?: boolean;
}) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className={small ? "text-sm text-slate-800" : "text-lg font-semibold text-slate-900 tabular-nums"}>
        {value}
        {note && <span className="ml-1 text-sm font-normal text-slate-500">{note}</span>}
      </dd>
    </div>
  );
}

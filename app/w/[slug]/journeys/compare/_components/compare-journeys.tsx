"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { QueryView } from "~/app/_components/query-view";
import {
  Alert,
  Card,
  controlProps,
  cx,
  DataTable,
  Field,
  LoadError,
  LoadingRows,
  Options,
} from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { Channel } from "~/db/enums";
import { MAX_EMOTION, MIN_EMOTION, type JourneyDesign, type Stage } from "~/server/journeys/design";
import { ChannelBadge, channelLabels, channelStyles, formatCount } from "../../../_components/channels";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatPercent } from "../../../_components/format";
import { funnelRows, outOfOrderText, type FunnelRow } from "../../_components/insight/analytics-figures";
import {
  describeRange,
  presetDays,
  windowRange,
  type PresetDays,
} from "../../_components/insight/analytics-window";
import { alignStages, compareChannelMix, emotionLabel, touchpointsByChannel } from "./compare";

type Listed = { id: string; name: string; segment: { id: string; name: string } };

/** The compare page's body: every journey to pick from, or why there is nothing to compare yet. */
export function CompareJourneys({ a, b }: { a?: string; b?: string }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const list = useQuery(trpc.journey.list.queryOptions({ workspaceId }));
  return (
    <QueryView
      query={list}
      what="the journeys"
      isEmpty={(journeys) => journeys.length < 2}
      empty={{
        title: "Fewer than two journeys",
        body: (
          <>
            Comparing needs two journeys, e.g. one for loyal weekly shoppers and one for casual holiday
            shoppers.{" "}
            <Link href={`/w/${slug}/journeys`} className="text-brand-700 underline hover:no-underline">
              Go to the journeys
            </Link>
          </>
        ),
      }}
    >
      {(journeys) => <Comparison journeys={journeys} a={a} b={b} />}
    </QueryView>
  );
}

/** The first pick: the one asked for, else the first; the second: asked for, else one for another segment. */
function initialPair(journeys: Listed[], a?: string, b?: string): { a: string; b: string } {
  const first = journeys.find((j) => j.id === a) ?? journeys[0]!;
  const second =
    journeys.find((j) => j.id === b && j.id !== first.id) ??
    journeys.find((j) => j.id !== first.id && j.segment.id !== first.segment.id) ??
    journeys.find((j) => j.id !== first.id)!;
  return { a: first.id, b: second.id };
}

function Comparison({ journeys, a, b }: { journeys: Listed[]; a?: string; b?: string }) {
  const id = useId();
  const [pair, setPair] = useState(() => initialPair(journeys, a, b));
  const choose = (side: "a" | "b", journeyId: string) => {
    const next = { ...pair, [side]: journeyId };
    setPair(next);
    // The URL follows the choice, so the comparison can be shared or reloaded.
    window.history.replaceState(null, "", `?a=${encodeURIComponent(next.a)}&b=${encodeURIComponent(next.b)}`);
  };
  const label = (j: Listed) => `${j.name} (${j.segment.name})`;

  return (
    <div className="space-y-6">
      <Card className="grid gap-4 p-4 sm:grid-cols-2 sm:px-6">
        <Field id={`${id}-a`} label="Journey A">
          <select {...controlProps(`${id}-a`)} value={pair.a} onChange={(e) => choose("a", e.target.value)}>
            <Options items={journeys} value={(j) => j.id} label={label} />
          </select>
        </Field>
        <Field id={`${id}-b`} label="Journey B">
          <select {...controlProps(`${id}-b`)} value={pair.b} onChange={(e) => choose("b", e.target.value)}>
            <Options items={journeys} value={(j) => j.id} label={label} />
          </select>
        </Field>
      </Card>
      <SideBySide a={pair.a} b={pair.b} />
    </div>
  );
}

/** Each journey's figures over its own segment's members: counted per stage, or why they are missing. */
type Figures =
  | { state: "loading" }
  | { state: "failed"; error: string }
  | { state: "ready"; rows: FunnelRow[]; members: number };

function SideBySide({ a, b }: { a: string; b: string }) {
  const trpc = useTRPC();
  const id = useId();
  const { id: workspaceId } = useWorkspace();
  const [days, setDays] = useState<PresetDays>(90);
  // Taken once, so "the last 90 days" does not move while the page is open.
  const [now] = useState(() => new Date());
  const range = windowRange({ kind: "last", days }, now);
  const first = useQuery(trpc.journey.get.queryOptions({ workspaceId, id: a }));
  const second = useQuery(trpc.journey.get.queryOptions({ workspaceId, id: b }));
  // Asked for once the designs are shown: the counting takes seconds, and one batch would hold the designs back.
  const loaded = first.data !== undefined && second.data !== undefined;
  const analyticsFor = (journeyId: string) =>
    trpc.journey.analytics.queryOptions(
      range.ok && loaded
        ? { workspaceId, id: journeyId, from: range.from, to: range.to, source: "draft" }
        : skipToken,
    );
  const firstFigures = useQuery({ ...analyticsFor(a), retry: false });
  const secondFigures = useQuery({ ...analyticsFor(b), retry: false });

  if (first.isPending || second.isPending) return <LoadingRows rows={6} label="Loading the journeys" />;
  if (!first.data || !second.data) {
    const failed = first.data ? second : first;
    return (
      <LoadError
        what="the journey"
        error={errorMessage(failed.error)}
        onRetry={() => void failed.refetch()}
      />
    );
  }
  const figures = (query: typeof firstFigures, design: JourneyDesign): Figures =>
    query.data
      ? { state: "ready", rows: funnelRows(query.data, design), members: query.data.members }
      : query.error
        ? { state: "failed", error: errorMessage(query.error) }
        : { state: "loading" };
  const journeys = [first.data, second.data] as const;
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-2">
        {journeys.map((journey, i) => (
          <JourneyHeader key={i} side={i === 0 ? "A" : "B"} journey={journey} />
        ))}
      </div>
      <StagesSideBySide
        names={[first.data.name, second.data.name]}
        a={first.data.draft}
        b={second.data.draft}
        figures={[figures(firstFigures, first.data.draft), figures(secondFigures, second.data.draft)]}
        windowPicker={
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <label htmlFor={`${id}-days`}>Reached in the</label>
            <select
              id={`${id}-days`}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
              value={days}
              onChange={(e) => setDays(Number(e.target.value) as PresetDays)}
            >
              {presetDays.map((d) => (
                <option key={d} value={d}>
                  last {d} days
                </option>
              ))}
            </select>
            {range.ok && (
              <span className="text-xs text-slate-500">{describeRange(range.from, range.to)}</span>
            )}
          </div>
        }
      />
      <ChannelMixTable
        names={[first.data.name, second.data.name]}
        a={first.data.draft}
        b={second.data.draft}
      />
    </div>
  );
}

/** A stage's real figures: how many members reached it, and how many went on to it from the stage before. */
function StageFigures({ figures, position }: { figures: Figures; position: number }) {
  if (figures.state === "loading") return <p className="text-xs text-slate-500">Counting the members…</p>;
  if (figures.state === "failed") return null;
  const row = figures.rows[position];
  if (!row) return null;
  if (row.reached === null)
    return <p className="text-xs text-slate-500">Not measured: the stage has no goal.</p>;
  const step = row.fromPrevious;
  const outOfOrder = outOfOrderText(row);
  return (
    <div className="space-y-0.5 text-xs">
      <p className="text-sky-900">
        <span className="font-semibold tabular-nums">{formatCount(row.reached)}</span> reached
        {row.share !== null && ` (${formatPercent(row.share)} of members)`}
        {step?.conversion != null && `, ${formatPercent(step.conversion)} from the stage before`}
      </p>
      {outOfOrder && <p className="text-slate-500">{outOfOrder}</p>}
    </div>
  );
}

function JourneyHeader({
  side,
  journey,
}: {
  side: "A" | "B";
  journey: {
    id: string;
    name: string;
    description: string | null;
    segment: { id: string; name: string; memberCount: number };
    publishedVersion: number | null;
    hasUnpublishedChanges: boolean;
  };
}) {
  const { slug } = useWorkspace();
  return (
    <Card className="p-4 sm:px-6">
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Journey {side}</p>
      <h2 className="mt-1 text-lg font-semibold text-slate-900">
        <Link href={`/w/${slug}/journeys/${journey.id}`} className="hover:text-brand-700 hover:underline">
          {journey.name}
        </Link>
      </h2>
      <p className="text-sm text-slate-700">
        For{" "}
        <Link href={`/w/${slug}/segments/${journey.segment.id}`} className="font-medium hover:underline">
          {journey.segment.name}
        </Link>{" "}
        · {formatCount(journey.segment.memberCount)}{" "}
        {journey.segment.memberCount === 1 ? "member" : "members"}
      </p>
      <p className="mt-1 text-xs text-slate-500">
        {journey.publishedVersion === null
          ? "Draft, never published"
          : `Published version ${journey.publishedVersion}${journey.hasUnpublishedChanges ? ", with unpublished changes shown here" : ""}`}
      </p>
      {journey.description && <p className="mt-2 text-sm text-slate-600">{journey.description}</p>}
    </Card>
  );
}

function EmotionScale({ score, differs }: { score: number; differs: boolean }) {
  const steps = Array.from({ length: MAX_EMOTION - MIN_EMOTION + 1 }, (_, i) => MIN_EMOTION + i);
  return (
    <div className="flex items-center gap-2">
      <span aria-hidden="true" className="flex gap-0.5">
        {steps.map((step) => (
          <span
            key={step}
            className={cx(
              "h-2.5 w-2.5 rounded-full",
              step === score
                ? score < 0
                  ? "bg-rose-500"
                  : score > 0
                    ? "bg-emerald-500"
                    : "bg-slate-500"
                : "bg-slate-200",
            )}
          />
        ))}
      </span>
      <span className={cx("text-xs", differs ? "font-semibold text-slate-900" : "text-slate-600")}>
        {emotionLabel(score)} ({score > 0 ? `+${score}` : score})
      </span>
    </div>
  );
}

function StageCell({
  stage,
  other,
  figures,
  position,
}: {
  stage: Stage | null;
  other: Stage | null;
  figures: Figures;
  position: number;
}) {
  if (!stage) return <p className="text-sm text-slate-500 italic">No stage at this position</p>;
  const otherChannels = new Set<Channel>(other?.touchpoints.map((t) => t.channel) ?? []);
  const groups = touchpointsByChannel(stage);
  return (
    <div className="space-y-2">
      <p className="font-medium text-slate-900">{stage.name}</p>
      <p className="text-xs">
        <span className="text-slate-500">Goal: </span>
        {stage.goal ? (
          <span className="text-slate-800">
            {stage.goal.event}
            {stage.goal.channel && ` on ${channelLabels[stage.goal.channel]}`}
          </span>
        ) : (
          <span className="font-medium text-amber-800">none set</span>
        )}
      </p>
      {stage.customerGoal && (
        <p className="text-xs text-slate-600">
          <span className="text-slate-500">Customer wants: </span>
          {stage.customerGoal}
        </p>
      )}
      <StageFigures figures={figures} position={position} />
      <EmotionScale score={stage.emotion} differs={other !== null && other.emotion !== stage.emotion} />
      {groups.length === 0 ? (
        <p className="text-xs text-slate-500">No touchpoints</p>
      ) : (
        <ul className="space-y-1">
          {groups.map((group) => (
            <li key={group.channel} className="flex flex-wrap items-baseline gap-1.5 text-xs text-slate-700">
              <ChannelBadge channel={group.channel} />
              {other && !otherChannels.has(group.channel) && (
                <span className="rounded bg-slate-900 px-1 text-[10px] font-semibold text-white uppercase">
                  only here
                </span>
              )}
              <span>{group.titles.join(", ")}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function StagesSideBySide({
  names,
  a,
  b,
  figures,
  windowPicker,
}: {
  names: readonly [string, string];
  a: JourneyDesign;
  b: JourneyDesign;
  figures: readonly [Figures, Figures];
  windowPicker: React.ReactNode;
}) {
  const failed = figures.flatMap((f, i) =>
    f.state === "failed" ? [`Could not count the members of ${names[i]}: ${f.error}`] : [],
  );
  return (
    <Card className="p-4 sm:px-6">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold text-slate-900">Stages side by side</h2>
        {windowPicker}
      </div>
      {failed.map((message) => (
        <div key={message} className="mb-3">
          <Alert>{message}</Alert>
        </div>
      ))}
      <DataTable
        caption="Stages side by side, by position"
        columns={[{ label: "Position" }, { label: `A: ${names[0]}` }, { label: `B: ${names[1]}` }]}
      >
        <tbody className="divide-y divide-slate-100 align-top">
          {alignStages(a, b).map((row) => (
            <tr key={row.position}>
              <th
                scope="row"
                className="py-3 pr-4 pl-4 text-xs font-medium whitespace-nowrap text-slate-500 sm:pl-0"
              >
                Stage {row.position + 1}
              </th>
              <td className="w-[45%] py-3 pr-4">
                <StageCell stage={row.a} other={row.b} figures={figures[0]} position={row.position} />
              </td>
              <td className="w-[45%] py-3 sm:pr-0">
                <StageCell stage={row.b} other={row.a} figures={figures[1]} position={row.position} />
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </Card>
  );
}

function Bar({ value, largest, channel }: { value: number; largest: number; channel: Channel }) {
  return (
    <div className="flex items-center gap-2">
      <span className="w-6 text-right tabular-nums">{value}</span>
      <span aria-hidden="true" className="h-2 flex-1 rounded bg-slate-100">
        <span
          className={cx("block h-2 rounded", channelStyles[channel].bar)}
          style={{ width: `${largest > 0 ? (value / largest) * 100 : 0}%` }}
        />
      </span>
    </div>
  );
}

function ChannelMixTable({
  names,
  a,
  b,
}: {
  names: readonly [string, string];
  a: JourneyDesign;
  b: JourneyDesign;
}) {
  const rows = compareChannelMix(a, b);
  const largest = Math.max(0, ...rows.flatMap((r) => [r.a, r.b]));
  const total = (side: "a" | "b") => rows.reduce((sum, r) => sum + r[side], 0);
  return (
    <Card className="p-4 sm:px-6">
      <h2 className="mb-3 text-lg font-semibold text-slate-900">Channel mix</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">Neither journey has touchpoints yet.</p>
      ) : (
        <DataTable
          caption="Touchpoints per channel in each journey"
          columns={[{ label: "Channel" }, { label: `A: ${names[0]}` }, { label: `B: ${names[1]}` }]}
        >
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.channel}>
                <th scope="row" className="py-2 pr-4 pl-4 text-left font-normal sm:pl-0">
                  <ChannelBadge channel={row.channel} />
                </th>
                <td className="w-[40%] py-2 pr-4">
                  <Bar value={row.a} largest={largest} channel={row.channel} />
                </td>
                <td className="w-[40%] py-2 sm:pr-0">
                  <Bar value={row.b} largest={largest} channel={row.channel} />
                </td>
              </tr>
            ))}
            <tr className="font-medium">
              <th scope="row" className="py-2 pr-4 pl-4 text-left sm:pl-0">
                All channels
              </th>
              <td className="py-2 pr-4 tabular-nums">
                <span className="inline-block w-6 text-right">{total("a")}</span>
              </td>
              <td className="py-2 tabular-nums sm:pr-0">
                <span className="inline-block w-6 text-right">{total("b")}</span>
              </td>
            </tr>
          </tbody>
        </DataTable>
      )}
    </Card>
  );
}

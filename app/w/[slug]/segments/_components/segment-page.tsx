"use client";

import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { parseAsStringLiteral, useQueryState } from "nuqs";
import { Suspense, useEffect, useRef, useState } from "react";
import { ChartFrame } from "~/app/_components/charts/chart-frame";
import { LineChart } from "~/app/_components/charts/line-chart";
import { seriesColors } from "~/app/_components/charts/scale";
import { LoadMore, QueryView } from "~/app/_components/query-view";
import {
  DangerConfirm,
  Alert,
  Button,
  ButtonLink,
  buttonClass,
  Card,
  controlProps,
  DataTable,
  EmptyState,
  Field,
  LoadingRows,
  SectionCard,
} from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { segmentChanges } from "~/db/enums";
import type { AppRouter } from "~/server/root";
import { ChannelBadge, channelLabels, channelStyles } from "../../_components/channels";
import { CustomerList } from "../../_components/customer-list";
import { ProgressBar } from "../../_components/progress-bar";
import { useWorkspace } from "../../_components/workspace-context";
import { SegmentJourneys } from "./segment-journeys";
import { formatDateTime, relativeTime } from "../../_components/dates";
import { formatCompact, formatCount, formatDay, formatMoney, formatPercent } from "../../_components/format";
import { rfmGroupInfo } from "../../_components/rfm-groups";
import { RuleBuilder } from "./rule-builder";
import { scheduleLabels } from "./schedule";
import { RefreshingBadge } from "./segment-list";

const DAY = 24 * 3600 * 1000;

function isActive(status: string | undefined) {
  return status === "queued" || status === "running";
}

/** /segments/[id]: what the segment is, its size over time, who entered and left, and its members. */
export function SegmentPage({ id, canEdit }: { id: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const segment = useQuery({
    ...trpc.segment.get.queryOptions({ workspaceId, id }),
    retry: false,
    // Poll while the refresh or the history's reconstruction is queued or running, so progress moves and the result appears.
    refetchInterval: (query) =>
      isActive(query.state.data?.refresh?.status) || isActive(query.state.data?.history?.status)
        ? 1500
        : false,
  });
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));

  // A finished refresh changes the size history, the changes and the members.
  const refreshedAt = segment.data?.refreshedAt?.getTime();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void queryClient.invalidateQueries({ queryKey: trpc.segment.sizeHistory.queryKey({ workspaceId, id }) });
    void queryClient.invalidateQueries({ queryKey: trpc.segment.changes.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.customer.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.segment.list.pathKey() });
  }, [refreshedAt, queryClient, trpc, workspaceId, id]);

  // The reconstruction commits its days a few at a time: the trend grows as it goes.
  const historyDone = segment.data?.history?.progress.done;
  const historyStatus = segment.data?.history?.status;
  useEffect(() => {
    if (historyDone === undefined && historyStatus === undefined) return;
    void queryClient.invalidateQueries({ queryKey: trpc.segment.sizeHistory.queryKey({ workspaceId, id }) });
  }, [historyDone, historyStatus, queryClient, trpc, workspaceId, id]);

  if (segment.isPending) return <LoadingRows rows={8} label="Loading the segment" />;
  if (!segment.data) {
    return (
      <div className="space-y-3">
        <Alert>{errorMessage(segment.error)}</Alert>
        <ButtonLink href={`/w/${slug}/segments`} variant="secondary">
          Back to segments
        </ButtonLink>
      </div>
    );
  }
  const data = segment.data;
  const refreshing = isActive(data.refresh?.status);
  const exportHref = `/api/segments/export?workspaceId=${encodeURIComponent(workspaceId)}&segmentId=${encodeURIComponent(id)}`;

  return (
    <div className="space-y-6">
      <Header segment={data} canEdit={canEdit} refreshing={refreshing} />

      {data.refresh && refreshing && (
        <Card className="space-y-2 p-4" aria-label="Refresh progress">
          <p className="text-sm font-medium text-slate-800">
            {data.refresh.status === "queued" ? "Refresh queued…" : "Refreshing the members…"}
            {data.refresh.progress.message && (
              <span className="font-normal text-slate-600"> {data.refresh.progress.message}</span>
            )}
          </p>
          <ProgressBar
            label="Refresh progress"
            value={data.refresh.progress.total ? data.refresh.progress.done : undefined}
            max={data.refresh.progress.total ?? 1}
          />
        </Card>
      )}
      {data.refresh?.status === "failed" && (
        <Alert>
          The last refresh failed{data.refresh.error ? `: ${data.refresh.error}` : "."} The members shown are
          from the refresh before it{canEdit ? "; try “Refresh now”." : "."}
        </Alert>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <SectionCard
          id="segment-size"
          title="Size"
          description={
            data.refreshedAt
              ? `Members at the last refresh, ${formatDateTime(data.refreshedAt)}.`
              : "Not computed yet: the first refresh is on its way."
          }
        >
          <p className="text-3xl font-semibold text-slate-900 tabular-nums" data-testid="member-count">
            {data.refreshedAt ? formatCount(data.memberCount) : "—"}{" "}
            <span className="text-base font-normal text-slate-600">
              {data.memberCount === 1 ? "member" : "members"}
            </span>
          </p>
          <SizeTrend id={id} history={data.history} canEdit={canEdit} />
        </SectionCard>
        <SectionCard id="segment-rule" title="Rule" description="Customers who match this rule are members.">
          <RuleBuilder value={data.rule} onChange={() => undefined} readOnly segments={segments.data ?? []} />
          {data.usedBy.length > 0 && (
            <p className="text-sm text-slate-600">
              Used by:{" "}
              {data.usedBy.map((s, i) => (
                <span key={s.id}>
                  {i > 0 && ", "}
                  <Link href={`/w/${slug}/segments/${s.id}`} className="text-brand-700 hover:underline">
                    {s.name}
                  </Link>
                </span>
              ))}
            </p>
          )}
        </SectionCard>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <ChannelMix stats={data.stats} />
        <ValueSummary stats={data.stats} segmentId={id} />
      </div>

      <SegmentJourneys segmentId={id} canEdit={canEdit} />

      <Changes id={id} />

      <section aria-labelledby="members-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id="members-heading" className="text-lg font-semibold text-slate-900">
              Members
            </h2>
            <p className="text-sm text-slate-600">
              The customers in the segment at its last refresh; filter and sort them like the customer list.
            </p>
          </div>
          <a href={exportHref} download className={buttonClass("secondary")}>
            Export CSV
          </a>
        </div>
        <Suspense fallback={<LoadingRows rows={8} label="Loading the members" />}>
          <CustomerList segmentId={id} />
        </Suspense>
      </section>
    </div>
  );
}

type Segment = inferRouterOutputs<AppRouter>["segment"]["get"];

function Header({
  segment,
  canEdit,
  refreshing,
}: {
  segment: Segment;
  canEdit: boolean;
  refreshing: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const refresh = useMutation(
    trpc.segment.refresh.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({
          queryKey: trpc.segment.get.queryKey({ workspaceId, id: segment.id }),
        }),
    }),
  );
  const remove = useMutation(
    trpc.segment.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.segment.list.pathKey() });
        router.push(`/w/${slug}/segments`);
      },
    }),
  );

  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href={`/w/${slug}/segments`} className="text-brand-700 hover:underline">
          Segments
        </Link>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight text-slate-900">
            {segment.name}
            {refreshing && <RefreshingBadge />}
          </h1>
          {segment.description && (
            <p className="mt-1 max-w-3xl text-sm text-slate-600">{segment.description}</p>
          )}
          <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
            <div className="flex gap-1">
              <dt className="text-slate-500">Owner</dt>
              <dd className="text-slate-800">
                {segment.owner ? (segment.owner.name ?? segment.owner.email) : "—"}
              </dd>
            </div>
            <div className="flex gap-1">
              <dt className="text-slate-500">Schedule</dt>
              <dd className="text-slate-800">{scheduleLabels[segment.schedule]}</dd>
            </div>
            <div className="flex gap-1">
              <dt className="text-slate-500">Refreshed</dt>
              <dd className="text-slate-800">
                {segment.refreshedAt ? (
                  <time
                    dateTime={segment.refreshedAt.toISOString()}
                    title={formatDateTime(segment.refreshedAt)}
                  >
                    {relativeTime(segment.refreshedAt)}
                  </time>
                ) : (
                  "never"
                )}
              </dd>
            </div>
            {segment.nextRefreshAt && segment.schedule !== "off" && (
              <div className="flex gap-1">
                <dt className="text-slate-500">Next</dt>
                <dd className="text-slate-800">
                  <time
                    dateTime={segment.nextRefreshAt.toISOString()}
                    title={formatDateTime(segment.nextRefreshAt)}
                  >
                    {relativeTime(segment.nextRefreshAt)}
                  </time>
                </dd>
              </div>
            )}
          </dl>
        </div>
        {canEdit && (
          <div className="flex flex-wrap items-center gap-2">
            <ButtonLink href={`/w/${slug}/segments/${segment.id}/edit`} variant="secondary">
              Edit
            </ButtonLink>
            <Button
              variant="secondary"
              disabled={refreshing || refresh.isPending}
              onClick={() => refresh.mutate({ workspaceId, id: segment.id })}
            >
              {refreshing ? "Refreshing…" : "Refresh now"}
            </Button>
            <Button variant="danger" onClick={() => setConfirming(true)} disabled={confirming}>
              Delete
            </Button>
          </div>
        )}
      </header>
      {refresh.error && (
        <div className="mt-3">
          <Alert>Could not start a refresh: {errorMessage(refresh.error)}</Alert>
        </div>
      )}
      {confirming && (
        <DangerConfirm
          className="mt-4"
          title={`Delete “${segment.name}”?`}
          error={remove.error ? errorMessage(remove.error) : null}
          pending={remove.isPending}
          confirmLabel="Delete segment"
          pendingLabel="Deleting…"
          onConfirm={() => remove.mutate({ workspaceId, id: segment.id })}
          onCancel={() => {
            setConfirming(false);
            remove.reset();
          }}
        >
          Its members, history and size over time are deleted with it. This cannot be undone.
          {segment.usedBy.length > 0 &&
            ` Other segments refer to it (${segment.usedBy.map((s) => s.name).join(", ")}): change them first.`}
        </DangerConfirm>
      )}
    </div>
  );
}

const axisMonth = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const axisDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** Day-axis labels short enough for a half-width card: months over a long span, days over a short one. */
function axisDay(spanDays: number) {
  const format = spanDays > 60 ? axisMonth : axisDate;
  return (day: number) => format.format(day * DAY);
}

/** How the reconstruction of the size history from the events is doing, and a way to start it again. */
function HistoryStatus({
  id,
  history,
  canEdit,
  reconstructed,
}: {
  id: string;
  history: Segment["history"];
  canEdit: boolean;
  reconstructed: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const start = useMutation(
    trpc.segment.reconstructHistory.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.segment.get.queryKey({ workspaceId, id }) }),
    }),
  );
  const active = isActive(history?.status);
  if (active) {
    return (
      <div className="space-y-2" aria-label="History progress">
        <p className="text-sm text-slate-700">
          {history!.status === "queued"
            ? "Reconstructing the size history from the events: queued…"
            : "Reconstructing the size history from the events…"}
          {history!.progress.message && <span className="text-slate-600"> {history!.progress.message}.</span>}
        </p>
        <ProgressBar
          label="History progress"
          value={history!.progress.total ? history!.progress.done : undefined}
          max={history!.progress.total ?? 1}
        />
      </div>
    );
  }
  const failed = history?.status === "failed";
  // Offered where no reconstruction has run (a segment older than it) or one did not finish.
  const offer = canEdit && (history === null || failed || history.status === "cancelled");
  return (
    <div className="space-y-2">
      {failed && (
        <Alert>Reconstructing the size history failed{history.error ? `: ${history.error}` : "."}</Alert>
      )}
      {history?.status === "succeeded" && history.progress.message && !reconstructed && (
        <p className="text-sm text-slate-600">{history.progress.message}</p>
      )}
      {offer && (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            variant="secondary"
            disabled={start.isPending}
            onClick={() => start.mutate({ workspaceId, id })}
          >
            {start.isPending ? "Starting…" : "Reconstruct history"}
          </Button>
          <span className="text-sm text-slate-600">
            Evaluates the rule on each earlier day, up to a year back, from the events history.
          </span>
        </div>
      )}
      {start.error && <Alert>Could not start the reconstruction: {errorMessage(start.error)}</Alert>}
    </div>
  );
}

function SizeTrend({ id, history, canEdit }: { id: string; history: Segment["history"]; canEdit: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const sizes = useQuery({
    ...trpc.segment.sizeHistory.queryOptions({ workspaceId, id }),
    placeholderData: keepPreviousData,
  });
  const reconstructed = sizes.data?.some((point) => point.reconstructed) ?? false;
  return (
    <div className="space-y-3">
      <QueryView
        query={sizes}
        what="the size history"
        isEmpty={(data) => data.length === 0}
        empty={{ title: "No history yet", body: "The size is recorded at each refresh, one point a day." }}
      >
        {(data) => {
          const x = data.map((point) => Math.round(Date.parse(`${point.day}T00:00:00Z`) / DAY));
          const last = data[data.length - 1]!;
          const rebuilt = data.filter((point) => point.reconstructed);
          const lastRebuilt = rebuilt[rebuilt.length - 1];
          const summary = `Members per day over ${data.length} ${data.length === 1 ? "day" : "days"}, from ${formatCount(data[0]!.size)} on ${formatDay(data[0]!.day)} to ${formatCount(last.size)} on ${formatDay(last.day)}.`;
          const description = lastRebuilt
            ? `Members at the end of each day. Up to ${formatDay(lastRebuilt.day)} (shaded) reconstructed from the events history: the rule as of each day, with traits and value figures as they are now. Later days recorded at each refresh or change.`
            : "Members at the end of each day with a refresh or a change.";
          return (
            <ChartFrame
              id="size-chart"
              title="Size over time"
              description={description}
              data={{
                caption: "Members, entered and left per day",
                columns: [
                  { label: "Day" },
                  { label: "Members", align: "right" },
                  { label: "Entered", align: "right" },
                  { label: "Left", align: "right" },
                  { label: "Source" },
                ],
                rows: [...data].reverse().map((point) => ({
                  key: point.day,
                  cells: [
                    formatDay(point.day),
                    formatCount(point.size),
                    formatCount(point.entered),
                    formatCount(point.left),
                    point.reconstructed ? "Reconstructed" : "Recorded",
                  ],
                })),
              }}
            >
              {(width) =>
                data.length < 2 ? (
                  <p className="text-sm text-slate-600">
                    One day so far ({formatDay(last.day)}: {formatCount(last.size)} members).{" "}
                    {isActive(history?.status)
                      ? "The earlier days appear as they are reconstructed from the events."
                      : "The trend appears after refreshes on more days."}
                  </p>
                ) : (
                  <LineChart
                    width={width}
                    label={summary}
                    x={x}
                    series={[{ label: "Members", color: seriesColors.blue, values: data.map((p) => p.size) }]}
                    xTitle="Day"
                    yTitle="Members"
                    formatX={axisDay(x[x.length - 1]! - x[0]!)}
                    formatY={formatCompact}
                    region={
                      rebuilt.length > 1
                        ? {
                            from: x[data.indexOf(rebuilt[0]!)]!,
                            to: x[data.indexOf(lastRebuilt!)]!,
                            label: "Reconstructed",
                          }
                        : undefined
                    }
                  />
                )
              }
            </ChartFrame>
          );
        }}
      </QueryView>
      <HistoryStatus id={id} history={history} canEdit={canEdit} reconstructed={reconstructed} />
    </div>
  );
}

const changeFilters = [
  { value: "", label: "Entered and left" },
  { value: "entered", label: "Entered only" },
  { value: "left", label: "Left only" },
] as const;

function Changes({ id }: { id: string }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  // In the URL (nuqs) like the member list's filters beside it; absent: both.
  const [changeParam, setChangeParam] = useQueryState(
    "change",
    parseAsStringLiteral(segmentChanges).withOptions({ history: "push" }),
  );
  const change = changeParam ?? "";
  const changes = useInfiniteQuery(
    trpc.segment.changes.infiniteQueryOptions(
      { workspaceId, id, change: change || undefined },
      { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData },
    ),
  );
  const rows = changes.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <SectionCard
      id="segment-changes"
      title="Activity"
      description="Who entered and left the segment, and when, newest first."
      aside={
        <div className="w-44">
          <Field id="changes-filter" label="Show">
            <select
              {...controlProps("changes-filter")}
              value={change}
              onChange={(event) => void setChangeParam((event.target.value || null) as typeof changeParam)}
            >
              {changeFilters.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
      }
    >
      <QueryView
        query={changes}
        what="the activity"
        loadingRows={4}
        isEmpty={() => rows.length === 0}
        empty={{ title: "No changes yet", body: "Entries appear as customers enter or leave the segment." }}
      >
        {() => (
          <>
            <DataTable
              caption="Customers who entered or left the segment"
              variant="boxed"
              boxClassName="max-h-96"
              columns={[{ label: "Customer" }, { label: "Change" }, { label: "When" }]}
            >
              <tbody className={changes.isPlaceholderData ? "opacity-60" : undefined}>
                {rows.map((row, i) => (
                  <tr
                    key={`${row.customerId}-${row.at.getTime()}-${i}`}
                    className="border-t border-slate-100"
                  >
                    <td className="px-3 py-2">
                      <Link
                        href={`/w/${slug}/customers/${row.customerId}`}
                        className="text-brand-700 font-medium hover:underline"
                      >
                        {row.name || row.email || "Unnamed profile"}
                      </Link>
                      {row.name && row.email && (
                        <span className="block text-xs text-slate-500">{row.email}</span>
                      )}
                    </td>
                    <td className="px-3 py-2">
                      <span
                        className={
                          row.change === "entered"
                            ? "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800"
                            : "rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800"
                        }
                      >
                        {row.change === "entered" ? "Entered" : "Left"}
                      </span>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <time dateTime={row.at.toISOString()} title={formatDateTime(row.at)}>
                        {relativeTime(row.at)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
            <LoadMore
              query={changes}
              what="changes"
              shown={`${formatCount(rows.length)} ${rows.length === 1 ? "change" : "changes"} shown${changes.hasNextPage ? "" : ", all of them"}.`}
            />
          </>
        )}
      </QueryView>
    </SectionCard>
  );
}

function ChannelMix({ stats }: { stats: Segment["stats"] }) {
  const mix = stats?.channelMix ?? [];
  return (
    <SectionCard id="segment-channels" title="Channel mix" description="The members' events by channel.">
      {mix.length === 0 ? (
        <EmptyState title="No channel activity">
          {stats ? "The members have no events." : "Computed at the first refresh."}
        </EmptyState>
      ) : (
        <ul className="space-y-2">
          {mix.map((row) => (
            <li
              key={row.channel}
              className="grid grid-cols-[6rem_minmax(0,1fr)_6rem] items-center gap-3 text-sm"
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
                <span className="block text-xs text-slate-500">{formatCount(row.events)} events</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </SectionCard>
  );
}

function ValueSummary({ stats, segmentId }: { stats: Segment["stats"]; segmentId: string }) {
  const { slug } = useWorkspace();
  const value = stats?.value ?? null;
  const largest = Math.max(1, ...(value?.groups.map((g) => g.customers) ?? []));
  return (
    <SectionCard
      id="segment-value"
      title="Value"
      description="The members' value from the latest model fit."
      aside={
        value ? (
          <Link
            href={`/w/${slug}/value/portfolio?segment=${segmentId}`}
            className="text-brand-700 shrink-0 text-sm font-medium hover:underline"
          >
            Portfolio of this segment
          </Link>
        ) : undefined
      }
    >
      {!value ? (
        <EmptyState title="No value figures">
          {stats ? (
            <>
              The workspace has no value model fit yet.{" "}
              <Link href={`/w/${slug}/value`} className="text-brand-700 underline">
                Fit one
              </Link>
              .
            </>
          ) : (
            "Computed at the first refresh."
          )}
        </EmptyState>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-slate-500">Scored members</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatCount(value.scored)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Predicted value</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatMoney(value.totalClv)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Mean per member</dt>
              <dd className="text-lg font-semibold tabular-nums">
                {value.meanClv === null ? "—" : formatMoney(value.meanClv)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Mean P(alive)</dt>
              <dd className="text-lg font-semibold tabular-nums">
                {value.meanPAlive === null ? "—" : formatPercent(value.meanPAlive)}
              </dd>
            </div>
          </dl>
          {value.groups.length > 0 && (
            <div>
              <h3 className="text-sm font-medium text-slate-800">Members by RFM group</h3>
              <ul className="mt-2 space-y-1.5">
                {value.groups.map((g) => (
                  <li
                    key={g.group}
                    className="grid grid-cols-[8rem_minmax(0,1fr)_4rem] items-center gap-3 text-sm"
                  >
                    <span className="truncate">{rfmGroupInfo[g.group].label}</span>
                    <span
                      aria-hidden="true"
                      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
                    >
                      <span
                        className="block h-full rounded-full"
                        style={{
                          width: `${(100 * g.customers) / largest}%`,
                          backgroundColor: rfmGroupInfo[g.group].color,
                        }}
                      />
                    </span>
                    <span className="text-right tabular-nums">{formatCount(g.customers)}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </SectionCard>
  );
}

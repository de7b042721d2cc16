"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Alert, Button, Field, controlProps, cx } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { Channel, EventType } from "~/db/enums";
import { useWorkspace } from "../../../_components/workspace-context";
import {
  ChannelBadge,
  channelLabels,
  channelStyles,
  eventTypeLabels,
  formatCount,
  formatMoney,
} from "../../../_components/channels";
import { EventPanel } from "./event-panel";
import { noTimelineFilters, useTimelineFilters, type TimelineFilters } from "./timeline-filters";

const ROW_HEIGHT = 64;
/** Start loading the next page this many rows before the end. */
const PREFETCH_ROWS = 15;

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

function localDay(value: string, addDays = 0) {
  const [year, month, day] = value.split("-").map(Number);
  return new Date(year!, month! - 1, day! + addDays);
}

export function Timeline({
  customerId,
  eventCount,
  channels,
  eventNames,
  headerAction,
}: {
  customerId: string;
  eventCount: number;
  /** The channels this customer has events on, most used first. */
  channels: Channel[];
  eventNames: { event: string; count: number }[];
  /** Beside the heading: the switch to the lanes. */
  headerAction?: ReactNode;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const [filters, setFilters] = useTimelineFilters();
  const [selected, setSelected] = useState<{ id: number; index: number } | null>(null);
  const listApi = useRef<EventListApi | null>(null);

  const rangeError =
    filters.from && filters.to && filters.from > filters.to
      ? "The end date comes before the start date"
      : undefined;
  const timeline = useInfiniteQuery(
    trpc.customer.timeline.infiniteQueryOptions(
      {
        workspaceId,
        customerId,
        channels: filters.channels.length > 0 ? filters.channels : undefined,
        types: filters.type ? [filters.type] : undefined,
        events: filters.event ? [filters.event] : undefined,
        from: filters.from ? localDay(filters.from) : undefined,
        // The end date is inclusive: up to the start of the next day.
        to: filters.to ? localDay(filters.to, 1) : undefined,
      },
      { getNextPageParam: (last) => last.nextCursor, enabled: !rangeError },
    ),
  );
  const rows = timeline.data?.pages.flatMap((page) => page.events) ?? [];

  const changeFilters = (patch: Partial<TimelineFilters>) => {
    setFilters(patch);
    setSelected(null);
  };
  const toggleChannel = (channel: Channel) =>
    changeFilters({
      channels: filters.channels.includes(channel)
        ? filters.channels.filter((c) => c !== channel)
        : [...filters.channels, channel],
    });
  const filtered =
    filters.channels.length > 0 ||
    filters.type !== "" ||
    filters.event !== "" ||
    filters.from !== "" ||
    filters.to !== "";

  return (
    <section
      aria-labelledby="timeline-heading"
      className="rounded-lg border border-slate-200 bg-white shadow-sm"
    >
      <div className="border-b border-slate-200 px-4 py-3 sm:px-6">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="timeline-heading" className="text-lg font-semibold text-slate-900">
            Timeline
          </h2>
          {headerAction}
        </div>
        <p className="mt-1 text-sm text-slate-500">
          {formatCount(eventCount)} {eventCount === 1 ? "event" : "events"} across every channel, newest first
        </p>

        <div className="mt-3 space-y-3">
          {channels.length > 1 && (
            <fieldset className="flex flex-wrap items-center gap-2">
              <legend className="sr-only">Channels (none picked shows every channel)</legend>
              <span aria-hidden="true" className="mr-1 text-sm font-medium text-slate-700">
                Channels
              </span>
              {channels.map((channel) => {
                const on = filters.channels.includes(channel);
                return (
                  <button
                    key={channel}
                    type="button"
                    aria-pressed={on}
                    onClick={() => toggleChannel(channel)}
                    className={cx(
                      "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-sm",
                      on
                        ? "border-brand-600 bg-brand-50 text-brand-700 font-medium"
                        : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
                    )}
                  >
                    <span
                      aria-hidden="true"
                      className={cx("h-2 w-2 rounded-full", channelStyles[channel].dot)}
                    />
                    {channelLabels[channel]}
                  </button>
                );
              })}
            </fieldset>
          )}
          <div className="flex flex-wrap items-start gap-3">
            <div className="w-36">
              <Field id="timeline-type" label="Kind">
                <select
                  {...controlProps("timeline-type")}
                  value={filters.type}
                  onChange={(event) => changeFilters({ type: event.target.value as EventType | "" })}
                >
                  <option value="">Every kind</option>
                  {(Object.keys(eventTypeLabels) as EventType[]).map((type) => (
                    <option key={type} value={type}>
                      {eventTypeLabels[type]}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="w-44">
              <Field id="timeline-event" label="Event">
                <select
                  {...controlProps("timeline-event")}
                  value={filters.event}
                  onChange={(event) => changeFilters({ event: event.target.value })}
                >
                  <option value="">Every event</option>
                  {eventNames.map((name) => (
                    <option key={name.event} value={name.event}>
                      {name.event} ({formatCount(name.count)})
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="w-36">
              <Field id="timeline-from" label="From">
                <input
                  {...controlProps("timeline-from")}
                  type="date"
                  value={filters.from}
                  max={filters.to || undefined}
                  onChange={(event) => changeFilters({ from: event.target.value })}
                />
              </Field>
            </div>
            <div className="w-36">
              <Field id="timeline-to" label="To" error={rangeError}>
                <input
                  {...controlProps("timeline-to", { error: rangeError })}
                  type="date"
                  value={filters.to}
                  min={filters.from || undefined}
                  onChange={(event) => changeFilters({ to: event.target.value })}
                />
              </Field>
            </div>
            {filtered && (
              <Button variant="ghost" className="mt-6" onClick={() => changeFilters(noTimelineFilters)}>
                Clear filters
              </Button>
            )}
          </div>
        </div>
      </div>

      <div className="p-4 sm:px-6">
        {rangeError ? (
          <Alert tone="info">Pick an end date on or after the start date to see events.</Alert>
        ) : (
          <QueryView
            query={timeline}
            what="the timeline"
            loadingRows={8}
            isEmpty={() => rows.length === 0}
            empty={
              filtered
                ? {
                    title: "No events match these filters",
                    body: "Pick more channels or kinds, or widen the dates.",
                  }
                : { title: "No events yet", body: "Events from every channel appear here as they arrive." }
            }
          >
            {() => (
              <EventList
                // A new list per filter: it starts at the top with a fresh virtualizer.
                key={JSON.stringify(filters)}
                apiRef={listApi}
                rows={rows}
                filtered={filtered}
                selectedId={selected?.id}
                onSelect={(id, index) => setSelected({ id, index })}
                hasNextPage={timeline.hasNextPage}
                isFetchingNextPage={timeline.isFetchingNextPage}
                fetchNextPageError={timeline.isFetchNextPageError ? errorMessage(timeline.error) : undefined}
                fetchNextPage={() => void timeline.fetchNextPage()}
              />
            )}
          </QueryView>
        )}
      </div>

      {selected && (
        <EventPanel
          eventId={selected.id}
          onClose={() => {
            const index = selected.index;
            setSelected(null);
            listApi.current?.focusRow(index);
          }}
        />
      )}
    </section>
  );
}

type TimelineRow = {
  id: number;
  type: EventType;
  channel: Channel;
  timestamp: Date;
  amount: number | null;
  summary: string;
};

interface EventListApi {
  focusRow(index: number): void;
}

/**
 * The events as a virtualized list: only the rows on screen are in the page.
 * One tab stop (roving); arrow keys, Page Up/Down, Home and End move between
 * rows; Enter opens one. The next page loads before the end comes into view.
 */
function EventList({
  apiRef,
  rows,
  filtered,
  selectedId,
  onSelect,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPageError,
  fetchNextPage,
}: {
  apiRef: RefObject<EventListApi | null>;
  rows: TimelineRow[];
  filtered: boolean;
  selectedId: number | undefined;
  onSelect: (id: number, index: number) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPageError: string | undefined;
  fetchNextPage: () => void;
}) {
  const [activeIndex, setActiveIndex] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | null>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; nothing memoises the virtualizer.
  const virtualizer = useVirtualizer({
    count: rows.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastItem = items.at(-1);

  useEffect(() => {
    if (!lastItem || !hasNextPage || isFetchingNextPage || fetchNextPageError) return;
    if (lastItem.index >= rows.length - PREFETCH_ROWS) fetchNextPage();
  }, [lastItem, rows.length, hasNextPage, isFetchingNextPage, fetchNextPageError, fetchNextPage]);

  // Keyboard focus moves to a row once the virtualizer has rendered it.
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const button = scrollRef.current?.querySelector<HTMLButtonElement>(
      `[data-index="${pendingFocus.current}"]`,
    );
    if (button) {
      button.focus();
      pendingFocus.current = null;
    }
  });

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(index, rows.length - 1));
    setActiveIndex(target);
    pendingFocus.current = target;
    virtualizer.scrollToIndex(target, { align: "auto" });
  };
  useEffect(() => {
    apiRef.current = { focusRow };
  });

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const page = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 5) / ROW_HEIGHT) - 1,
    );
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: rows.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    focusRow(next);
  };

  // The tab stop: the active row, or the first on screen when the active one has scrolled away.
  const renderedIndexes = items.map((item) => item.index).filter((index) => index < rows.length);
  const tabStop = renderedIndexes.includes(activeIndex) ? activeIndex : renderedIndexes[0];

  return (
    <>
      <div
        ref={scrollRef}
        className="max-h-[max(20rem,calc(100vh-20rem))] overflow-y-auto rounded-md border border-slate-200"
      >
        <ul
          aria-label={`Events${filtered ? " matching the filters" : ""}, newest first. Arrow keys move between them.`}
          aria-busy={isFetchingNextPage}
          onKeyDown={onKeyDown}
          className="relative w-full"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const row = rows[item.index];
            const style = { height: item.size, transform: `translateY(${item.start}px)` };
            if (!row) {
              return (
                <li key="more" className="absolute top-0 left-0 w-full" style={style}>
                  <div className="flex h-full items-center justify-center text-sm text-slate-500">
                    {fetchNextPageError ? (
                      <Button variant="secondary" onClick={fetchNextPage}>
                        Could not load more ({fetchNextPageError}). Try again
                      </Button>
                    ) : (
                      "Loading older events…"
                    )}
                  </div>
                </li>
              );
            }
            const isSelected = selectedId === row.id;
            return (
              <li
                key={row.id}
                className="absolute top-0 left-0 w-full"
                style={style}
                aria-setsize={hasNextPage ? -1 : rows.length}
                aria-posinset={item.index + 1}
              >
                <button
                  type="button"
                  data-index={item.index}
                  tabIndex={item.index === tabStop ? 0 : -1}
                  aria-current={isSelected ? "true" : undefined}
                  onFocus={() => setActiveIndex(item.index)}
                  onClick={() => {
                    setActiveIndex(item.index);
                    onSelect(row.id, item.index);
                  }}
                  className={cx(
                    "flex h-full w-full items-center gap-3 border-b border-l-4 border-b-slate-100 px-3 text-left text-sm focus-visible:outline-offset-[-2px]",
                    channelStyles[row.channel].strip,
                    isSelected ? "bg-brand-50" : "hover:bg-slate-50",
                  )}
                >
                  <span className="w-24 shrink-0 tabular-nums">
                    <time dateTime={row.timestamp.toISOString()} className="block text-slate-900">
                      {dayFormat.format(row.timestamp)}
                    </time>
                    <span className="block text-xs text-slate-600">{timeFormat.format(row.timestamp)}</span>
                  </span>
                  <ChannelBadge channel={row.channel} className="w-24 shrink-0 justify-center" />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium text-slate-900">{row.summary}</span>
                    <span className="block truncate text-xs text-slate-600">{eventTypeLabels[row.type]}</span>
                  </span>
                  {row.amount !== null && (
                    <span className="shrink-0 font-medium text-slate-900 tabular-nums">
                      {formatMoney(row.amount)}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
      <p aria-live="polite" className="mt-2 text-sm text-slate-500">
        {formatCount(rows.length)} {rows.length === 1 ? "event" : "events"} loaded
        {hasNextPage
          ? "; older ones load as you scroll."
          : filtered
            ? ", all that match."
            : ", the whole history."}
      </p>
    </>
  );
}

"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";
import { Alert, Button, LoadError, LoadingRows, cx } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { channels as channelOrder, type Channel } from "~/db/enums";
import { formatDateTime } from "../../../_components/dates";
import {
  channelLabels,
  channelStyles,
  eventTypeLabels,
  formatCount,
  formatMoney,
} from "../../../_components/channels";
import { useWorkspace } from "../../../_components/workspace-context";
import { EventPanel } from "./event-panel";
import {
  axisTicks,
  fetchWindow,
  fitDomain,
  labelledPositions,
  maxBucketsFor,
  pan,
  presets,
  timeScale,
  withSpan,
  zoom,
  type Domain,
} from "./lane-scale";

const LANE_HEIGHT = 56;
const LABEL_WIDTH = 112;
/** Below this the lanes scroll sideways inside their frame rather than squeezing the axis. */
const MIN_PLOT_WIDTH = 600;
/** An amount label's room on the axis; closer purchases keep the amount in their name only. */
const AMOUNT_LABEL_PX = 64;
/** The procedure accepts ten years either way of today; the fetch stays a day inside that. */
const FETCH_LIMIT_MS = (3650 - 1) * 24 * 3_600_000;

const rangeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });

export interface LaneMerge {
  id: number;
  direction: "absorbed" | "mergedInto";
  otherProfile: { id: string; name: string | null; email: string | null };
  reason: string;
  createdAt: Date;
  undone: boolean;
}

/** One thing on the lanes that can be focused and opened. */
interface Marker {
  key: string;
  lane: Channel | "merges";
  x: number;
  label: string;
  open: () => void;
  node: (props: MarkerProps) => ReactNode;
}

interface MarkerProps {
  tabIndex: number;
  onFocus: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void;
}

/**
 * The customer's history as one lane per channel on a shared time axis. The
 * stretch on screen is fetched with half a view either side (customer.lanes):
 * event by event while sparse, in buckets per channel when dense; a bucket
 * opens by zooming into it, an event in the details panel. One tab stop for
 * the markers (roving): arrow keys move between them in time order.
 */
export function ChannelLanes({
  customerId,
  slug,
  channels,
  merges,
  firstSeenAt,
  lastSeenAt,
  headerAction,
}: {
  customerId: string;
  slug: string;
  /** The channels the customer has events on. */
  channels: Channel[];
  merges: LaneMerge[];
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  headerAction: ReactNode;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const [domain, setDomain] = useState<Domain>(() => fitDomain(firstSeenAt, lastSeenAt, new Date()));
  const [width, setWidth] = useState(0);
  const [selectedEvent, setSelectedEvent] = useState<{ id: number; key: string } | null>(null);
  const [selectedMerge, setSelectedMerge] = useState<LaneMerge | null>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const markerRefs = useRef(new Map<string, HTMLButtonElement>());
  const drag = useRef<{ x: number; domain: Domain } | null>(null);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(plot);
    return () => observer.disconnect();
  }, []);

  // Ctrl + wheel (and a trackpad pinch, which the browser reports as one) zooms around the
  // pointer, about a fifth per notch of a mouse wheel (deltaY 100); a sideways or Shift + wheel
  // moves in time; a plain wheel keeps scrolling the page.
  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    const onWheel = (event: WheelEvent) => {
      const box = plot.getBoundingClientRect();
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        const focus = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
        setDomain((d) => zoom(d, Math.exp(event.deltaY * 0.002), focus));
      } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        event.preventDefault();
        const delta = Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : event.deltaY;
        setDomain((d) => pan(d, delta / box.width));
      }
    };
    plot.addEventListener("wheel", onWheel, { passive: false });
    return () => plot.removeEventListener("wheel", onWheel);
  }, []);

  const now = Date.now();
  const fetched = fetchWindow(domain);
  const range = {
    from: Math.max(fetched.from, now - FETCH_LIMIT_MS),
    to: Math.min(fetched.to, now + FETCH_LIMIT_MS),
  };
  // Rounded, so zooming within one fetched stretch does not ask for it again with one bucket more.
  const maxBuckets = Math.min(2000, Math.max(50, Math.round(maxBucketsFor(range, domain, width) / 50) * 50));
  const lanes = useQuery({
    ...trpc.customer.lanes.queryOptions({
      workspaceId,
      customerId,
      from: new Date(range.from),
      to: new Date(range.to),
      maxBuckets,
    }),
    enabled: width > 0 && range.from < range.to,
    placeholderData: keepPreviousData,
  });

  const laneChannels = channelOrder.filter((channel) => channels.includes(channel));
  const scale = timeScale(domain, width);
  // Nothing is placed before the plot is measured: the server has no width (and no time zone of the viewer's).
  const visible = (x: number) => width > 0 && x >= -8 && x <= width + 8;
  const data = lanes.data;

  const markers: Marker[] = [];
  const bars: { key: string; lane: Channel; x: number; w: number; h: number }[] = [];
  let inView = 0;
  if (data?.kind === "events") {
    for (const channel of laneChannels) {
      const laneEvents = data.events.filter((e) => e.channel === channel);
      const xs = laneEvents.map((e) => scale(e.timestamp));
      const purchases = laneEvents.map((e, i) => ({ x: xs[i]!, amount: e.amount }));
      const labelled = labelledPositions(
        purchases.filter((p) => p.amount !== null).map((p) => p.x),
        AMOUNT_LABEL_PX,
      );
      let purchaseIndex = 0;
      laneEvents.forEach((event, i) => {
        const x = xs[i]!;
        const showAmount = event.amount !== null && labelled[purchaseIndex++] === true;
        if (!visible(x)) return;
        inView++;
        const key = `e${event.id}`;
        const label = `${channelLabels[channel]}: ${event.summary}${
          event.amount !== null ? `, ${formatMoney(event.amount)}` : ""
        }, ${eventTypeLabels[event.type]}, ${formatDateTime(event.timestamp)}`;
        const open = () => {
          setSelectedMerge(null);
          setSelectedEvent({ id: event.id, key });
        };
        markers.push({
          key,
          lane: channel,
          x,
          label,
          open,
          node: (props) => (
            <button
              type="button"
              aria-label={label}
              title={label}
              aria-current={selectedEvent?.id === event.id ? "true" : undefined}
              onClick={open}
              {...props}
              className={cx(
                "absolute top-[62%] flex -translate-x-1/2 -translate-y-1/2 items-center justify-center p-1",
                // Purchases on top of what they overlap, then identifies: the moments that matter most.
                event.amount !== null ? "z-10" : event.type === "identify" ? "z-[5]" : undefined,
              )}
            >
              <span
                aria-hidden="true"
                className={cx(
                  "block ring-white",
                  channelStyles[channel].dot,
                  event.type === "identify"
                    ? "h-3 w-3 rotate-45 ring-2 outline outline-1 outline-slate-900"
                    : event.amount !== null
                      ? "h-3.5 w-3.5 rounded-sm ring-2 outline outline-1 outline-slate-900"
                      : "h-2.5 w-2.5 rounded-full ring-1",
                  selectedEvent?.id === event.id && "outline-brand-700 outline-2 outline-offset-2",
                )}
              />
              {showAmount && (
                <span
                  aria-hidden="true"
                  className="absolute bottom-full left-1/2 -translate-x-1/2 rounded bg-white/90 px-1 text-[11px] leading-4 font-semibold whitespace-nowrap text-slate-900 tabular-nums"
                >
                  {formatMoney(event.amount!)}
                </span>
              )}
            </button>
          ),
        });
      });
    }
  } else if (data?.kind === "buckets") {
    const most = Math.max(1, ...data.buckets.map((b) => b.events));
    for (const channel of laneChannels) {
      const laneBuckets = data.buckets.filter((b) => b.channel === channel);
      const withPurchases = laneBuckets.filter((b) => b.purchases > 0);
      const labelled = labelledPositions(
        withPurchases.map((b) => (scale(b.start) + scale(b.end)) / 2),
        AMOUNT_LABEL_PX,
      );
      let purchaseIndex = 0;
      for (const bucket of laneBuckets) {
        const x0 = scale(bucket.start);
        const x1 = scale(bucket.end);
        const showAmount = bucket.purchases > 0 && labelled[purchaseIndex++] === true;
        if (!visible(Math.min(Math.max(x0, 0), width)) || x1 < -8 || x0 > width + 8) continue;
        inView += bucket.events;
        const key = `b${channel}${bucket.start.getTime()}`;
        const h = 6 + 24 * (Math.log1p(bucket.events) / Math.log1p(most));
        bars.push({ key, lane: channel, x: x0, w: Math.max(2, x1 - x0 - 1), h });
        const label = `${channelLabels[channel]}: ${formatCount(bucket.events)} ${
          bucket.events === 1 ? "event" : "events"
        }${
          bucket.purchases > 0
            ? `, ${formatCount(bucket.purchases)} ${bucket.purchases === 1 ? "purchase" : "purchases"} totalling ${formatMoney(bucket.amount)}`
            : ""
        }${bucket.identifies > 0 ? `, ${formatCount(bucket.identifies)} identify` : ""}, ${formatDateTime(
          bucket.start,
        )} to ${formatDateTime(bucket.end)}. Zoom in`;
        const open = () =>
          setDomain(
            withSpan(
              { from: bucket.start.getTime(), to: bucket.end.getTime() },
              (bucket.end.getTime() - bucket.start.getTime()) * 1.5,
            ),
          );
        markers.push({
          key,
          lane: channel,
          x: (x0 + x1) / 2,
          label,
          open,
          node: (props) => (
            <button
              type="button"
              aria-label={label}
              title={label}
              onClick={open}
              {...props}
              className="absolute top-0 bottom-0 -translate-x-1/2"
              style={{ width: Math.max(12, x1 - x0) }}
            >
              {bucket.identifies > 0 && (
                <span
                  aria-hidden="true"
                  className="absolute top-1 left-1/2 block h-2 w-2 -translate-x-1/2 rotate-45 bg-slate-900"
                />
              )}
              {showAmount && (
                <span
                  aria-hidden="true"
                  className="absolute top-0 left-1/2 -translate-x-1/2 rounded bg-white/90 px-1 text-[11px] leading-4 font-semibold whitespace-nowrap text-slate-900 tabular-nums"
                >
                  {formatMoney(bucket.amount)}
                </span>
              )}
            </button>
          ),
        });
      }
    }
  }
  for (const merge of merges) {
    const x = scale(merge.createdAt);
    if (!visible(x)) continue;
    const key = `m${merge.id}`;
    const other = merge.otherProfile.name ?? merge.otherProfile.email ?? "another profile";
    const label = `${merge.direction === "absorbed" ? `Merged ${other} into this profile` : `Merged into ${other}`}${
      merge.undone ? " (undone)" : ""
    }, ${formatDateTime(merge.createdAt)}`;
    const open = () => {
      setSelectedEvent(null);
      setSelectedMerge(merge);
    };
    markers.push({
      key,
      lane: "merges",
      x,
      label,
      open,
      node: (props) => (
        <button
          type="button"
          aria-label={label}
          title={label}
          onClick={open}
          {...props}
          className="absolute top-1/2 -translate-x-1/2 -translate-y-1/2 rounded border border-slate-900 bg-white px-1 text-[11px] leading-4 font-semibold text-slate-900"
        >
          <span aria-hidden="true">{merge.undone ? "⤫" : "⇄"}</span>
        </button>
      ),
    });
  }
  markers.sort((a, b) => a.x - b.x || a.key.localeCompare(b.key));

  const tabStop = markers.some((m) => m.key === activeKey) ? activeKey : (markers[0]?.key ?? null);
  const focusMarker = (index: number) => {
    const marker = markers[Math.max(0, Math.min(index, markers.length - 1))];
    if (!marker) return;
    setActiveKey(marker.key);
    markerRefs.current.get(marker.key)?.focus();
  };
  const onMarkerKey = (index: number) => (event: KeyboardEvent<HTMLButtonElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: markers.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    focusMarker(next);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    // Mouse drags move in time; a finger scrolls the frame sideways as usual.
    if (event.pointerType !== "mouse" || event.button !== 0 || event.target !== event.currentTarget) return;
    drag.current = { x: event.clientX, domain };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current || width === 0) return;
    setDomain(pan(drag.current.domain, (drag.current.x - event.clientX) / width));
  };
  const endDrag = () => {
    drag.current = null;
  };

  const ticks = width > 0 ? axisTicks(domain, width) : [];
  const rows: (Channel | "merges")[] = [...(merges.length > 0 ? (["merges"] as const) : []), ...laneChannels];
  const mergeLines = merges.map((m) => ({ id: m.id, x: scale(m.createdAt) })).filter((m) => visible(m.x));
  const span = `${rangeFormat.format(domain.from)} – ${rangeFormat.format(domain.to)}`;

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
        <div className="mt-3 flex flex-wrap items-center gap-2" role="group" aria-label="Time axis">
          <Button variant="secondary" onClick={() => setDomain((d) => zoom(d, 0.5))} aria-label="Zoom in">
            +
          </Button>
          <Button variant="secondary" onClick={() => setDomain((d) => zoom(d, 2))} aria-label="Zoom out">
            −
          </Button>
          <Button variant="secondary" onClick={() => setDomain((d) => pan(d, -0.5))}>
            ← Earlier
          </Button>
          <Button variant="secondary" onClick={() => setDomain((d) => pan(d, 0.5))}>
            Later →
          </Button>
          <span className="mx-1 hidden h-6 w-px bg-slate-200 sm:block" aria-hidden="true" />
          {presets.map((preset) => (
            <Button
              key={preset.label}
              variant="ghost"
              onClick={() => setDomain((d) => withSpan(d, preset.spanMs))}
              aria-label={`Show a ${preset.label.toLowerCase()}`}
            >
              {preset.label}
            </Button>
          ))}
          <Button
            variant="ghost"
            onClick={() => setDomain(fitDomain(firstSeenAt, lastSeenAt, new Date()))}
            aria-label="Show all of the history"
          >
            All
          </Button>
        </div>
        <p aria-live="polite" className="mt-2 text-sm text-slate-600">
          {width > 0 && <span className="font-medium text-slate-900">{span}</span>}
          {data && (
            <>
              {" · "}
              {formatCount(inView)} {inView === 1 ? "event" : "events"} in view
              {data.kind === "buckets" &&
                `, grouped by ${describeWidth(data.widthMs)} (pick a bar to zoom in)`}
            </>
          )}
          {lanes.isFetching && data && " · updating…"}
        </p>
      </div>

      <div className="p-4 sm:px-6">
        {laneChannels.length === 0 ? (
          <Alert tone="info">No events yet: lanes appear for each channel the customer uses.</Alert>
        ) : (
          <>
            <div className="overflow-x-auto rounded-md border border-slate-200" data-testid="lanes-frame">
              <div style={{ minWidth: LABEL_WIDTH + MIN_PLOT_WIDTH }} className="relative">
                <div className="flex">
                  <div
                    style={{ width: LABEL_WIDTH }}
                    className="sticky left-0 z-20 shrink-0 border-r border-slate-200 bg-white"
                  >
                    {rows.map((row) => (
                      <div
                        key={row}
                        style={{ height: LANE_HEIGHT }}
                        className="flex items-center gap-2 border-b border-slate-100 px-3 text-sm font-medium text-slate-800"
                      >
                        {row === "merges" ? (
                          <>
                            <span aria-hidden="true" className="text-xs">
                              ⇄
                            </span>
                            Merges
                          </>
                        ) : (
                          <>
                            <span
                              aria-hidden="true"
                              className={cx("h-2.5 w-2.5 shrink-0 rounded-full", channelStyles[row].dot)}
                            />
                            {channelLabels[row]}
                          </>
                        )}
                      </div>
                    ))}
                    <div className="h-7" />
                  </div>
                  <div
                    ref={plotRef}
                    className="relative min-w-0 flex-1 cursor-grab touch-pan-x overflow-hidden select-none active:cursor-grabbing"
                    onPointerDown={onPointerDown}
                    onPointerMove={onPointerMove}
                    onPointerUp={endDrag}
                    onPointerCancel={endDrag}
                  >
                    {ticks.map((tick) => (
                      <div
                        key={tick.at.getTime()}
                        aria-hidden="true"
                        className="pointer-events-none absolute top-0 bottom-7 w-px bg-slate-100"
                        style={{ left: tick.x }}
                      />
                    ))}
                    {mergeLines.map((line) => (
                      <div
                        key={line.id}
                        aria-hidden="true"
                        className="pointer-events-none absolute top-0 bottom-7 border-l border-dashed border-slate-500"
                        style={{ left: line.x }}
                      />
                    ))}
                    <div
                      role="group"
                      aria-label="Events on the lanes, oldest first. Arrow keys move between them."
                    >
                      {rows.map((row) => (
                        <div
                          key={row}
                          role="group"
                          aria-label={row === "merges" ? "Merges" : `${channelLabels[row]} lane`}
                          className="pointer-events-none relative border-b border-slate-100"
                          style={{ height: LANE_HEIGHT }}
                        >
                          {bars
                            .filter((bar) => bar.lane === row)
                            .map((bar) => (
                              <span
                                key={bar.key}
                                aria-hidden="true"
                                className={cx(
                                  "absolute bottom-1 rounded-sm opacity-80",
                                  channelStyles[row as Channel].bar,
                                )}
                                style={{ left: bar.x, width: bar.w, height: bar.h }}
                              />
                            ))}
                          {markers.map((marker, index) =>
                            marker.lane === row ? (
                              <span
                                key={marker.key}
                                ref={(node) => {
                                  const button = node?.querySelector("button");
                                  if (button) markerRefs.current.set(marker.key, button);
                                  else markerRefs.current.delete(marker.key);
                                }}
                                className="pointer-events-auto absolute top-0 bottom-0"
                                style={{ left: marker.x }}
                              >
                                {marker.node({
                                  tabIndex: marker.key === tabStop ? 0 : -1,
                                  onFocus: () => setActiveKey(marker.key),
                                  onKeyDown: onMarkerKey(index),
                                })}
                              </span>
                            ) : null,
                          )}
                        </div>
                      ))}
                    </div>
                    <div aria-hidden="true" className="relative h-7">
                      {ticks.map((tick) => (
                        <span
                          key={tick.at.getTime()}
                          className="absolute top-1 -translate-x-1/2 text-xs whitespace-nowrap text-slate-600"
                          style={{ left: tick.x }}
                        >
                          {tick.label}
                        </span>
                      ))}
                    </div>
                    {lanes.isPending && (
                      <div className="absolute inset-0 bg-white/80 p-3">
                        <LoadingRows rows={3} label="Loading the lanes" />
                      </div>
                    )}
                  </div>
                </div>
              </div>
            </div>
            {lanes.isError && !data && (
              <div className="mt-3">
                <LoadError
                  what="the lanes"
                  error={errorMessage(lanes.error)}
                  onRetry={() => void lanes.refetch()}
                />
              </div>
            )}
            <p className="mt-2 text-xs text-slate-600">
              <span aria-hidden="true">●</span> event · <span aria-hidden="true">■</span> purchase with its
              amount · <span aria-hidden="true">◆</span> identify · <span aria-hidden="true">⇄</span> merge.
              Drag or Shift + wheel to move in time, Ctrl + wheel or pinch to zoom; arrow keys move between
              events.
            </p>
          </>
        )}
        {selectedMerge && (
          <MergeDetails merge={selectedMerge} slug={slug} onClose={() => setSelectedMerge(null)} />
        )}
      </div>

      {selectedEvent && (
        <EventPanel
          eventId={selectedEvent.id}
          onClose={() => {
            const key = selectedEvent.key;
            setSelectedEvent(null);
            markerRefs.current.get(key)?.focus();
          }}
        />
      )}
    </section>
  );
}

function describeWidth(widthMs: number) {
  const hours = widthMs / 3_600_000;
  if (hours < 24) return hours === 1 ? "hour" : `${hours} hours`;
  const days = hours / 24;
  if (days === 1) return "day";
  if (days === 7) return "week";
  if (days === 365) return "year";
  return `${days} days`;
}

function MergeDetails({ merge, slug, onClose }: { merge: LaneMerge; slug: string; onClose: () => void }) {
  const other = merge.otherProfile.name ?? merge.otherProfile.email ?? merge.otherProfile.id;
  return (
    <div
      role="region"
      aria-label="Merge details"
      className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p className="text-slate-900">
          {merge.direction === "absorbed" ? "Merged " : "This profile was merged into "}
          <Link
            href={`/w/${slug}/customers/${merge.otherProfile.id}`}
            className="text-brand-700 font-medium hover:underline"
          >
            {other}
          </Link>
          {merge.direction === "absorbed" && " into this profile"} on {formatDateTime(merge.createdAt)}
          {merge.undone && " (since undone)"}.
        </p>
        <Button variant="ghost" onClick={onClose}>
          Close <span className="sr-only">merge details</span>
        </Button>
      </div>
      <p className="mt-1 text-slate-600">Reason: {merge.reason}</p>
    </div>
  );
}

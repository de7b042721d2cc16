import { scaleTime } from "d3-scale";

// The time axis of the channel lanes: what stretch is on screen, how zooming
// and panning move it, which stretch to fetch for it, and where ticks and
// markers go. Pure, so the arithmetic is tested without a browser.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The narrowest view: a few hours, so a busy day still spreads out. */
export const MIN_SPAN_MS = 6 * HOUR;
/** The widest view: ten years. */
export const MAX_SPAN_MS = 3650 * DAY;

export interface Domain {
  from: number;
  to: number;
}

export const presets = [
  { label: "Day", spanMs: DAY },
  { label: "Week", spanMs: 7 * DAY },
  { label: "Month", spanMs: 30 * DAY },
  { label: "Year", spanMs: 365 * DAY },
] as const;

function clampSpan(span: number) {
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, span));
}

/** The customer's whole history with a little room either side; a week before now when there is none. */
export function fitDomain(first: Date | null, last: Date | null, now: Date): Domain {
  if (!first || !last) return { from: now.getTime() - 7 * DAY, to: now.getTime() + DAY / 4 };
  const span = clampSpan(last.getTime() - first.getTime());
  const middle = (first.getTime() + last.getTime()) / 2;
  const padded = clampSpan(span * 1.04);
  return { from: middle - padded / 2, to: middle + padded / 2 };
}

/**
 * Zooms by `factor` (above 1 shows more time, below 1 less) keeping the instant
 * at `focus` (0 = left edge, 1 = right edge) where it is on screen.
 */
export function zoom(domain: Domain, factor: number, focus = 0.5): Domain {
  const span = domain.to - domain.from;
  const next = clampSpan(span * factor);
  const at = domain.from + span * focus;
  return { from: at - next * focus, to: at - next * focus + next };
}

/** Shows `spanMs` of time centred where the view is centred now. */
export function withSpan(domain: Domain, spanMs: number): Domain {
  return zoom(domain, spanMs / (domain.to - domain.from));
}

/** Moves the view by a share of its width (negative: earlier). */
export function pan(domain: Domain, share: number): Domain {
  const shift = (domain.to - domain.from) * share;
  return { from: domain.from + shift, to: domain.to + shift };
}

/**
 * The stretch to fetch for a view: the view and half its width either side,
 * snapped outward to a grid whose step is a power of two hours, so small pans
 * and zooms ask for the same stretch again (and hit the cache) instead of a
 * slightly different one each time.
 */
export function fetchWindow(domain: Domain): Domain {
  const span = domain.to - domain.from;
  const step = HOUR * 2 ** Math.max(0, Math.ceil(Math.log2(span / 4 / HOUR)));
  return {
    from: Math.floor((domain.from - span / 2) / step) * step,
    to: Math.ceil((domain.to + span / 2) / step) * step,
  };
}

/** Buckets the fetched stretch has room for when it is dense: one per `pxPerBucket` pixels. */
export function maxBucketsFor(window: Domain, view: Domain, widthPx: number, pxPerBucket = 8) {
  const pixels = (widthPx * (window.to - window.from)) / (view.to - view.from);
  return Math.min(2000, Math.max(10, Math.floor(pixels / pxPerBucket)));
}

/** The view as a d3 time scale onto [0, widthPx]. */
export function timeScale(domain: Domain, widthPx: number) {
  return scaleTime()
    .domain([new Date(domain.from), new Date(domain.to)])
    .range([0, widthPx]);
}

/** Ticks with d3's calendar-aware intervals and labels, about one per 110 pixels. */
export function axisTicks(domain: Domain, widthPx: number) {
  const scale = timeScale(domain, widthPx);
  const ticks = scale.ticks(Math.max(2, Math.floor(widthPx / 110)));
  const format = scale.tickFormat();
  return ticks.map((tick) => ({ at: tick, x: scale(tick), label: format(tick) }));
}

/**
 * Which markers in one lane have room for their amount label: sorted by x, a
 * label takes `labelPx` pixels and the next one must start past it.
 */
export function labelledPositions(xs: number[], labelPx: number): boolean[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const shown = new Array<boolean>(xs.length).fill(false);
  let freeFrom = -Infinity;
  for (const { x, i } of order) {
    if (x - labelPx / 2 >= freeFrom) {
      shown[i] = true;
      freeFrom = x + labelPx / 2;
    }
  }
  return shown;
}

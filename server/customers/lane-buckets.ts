// How the channel-lanes timeline groups a dense stretch of a customer's events:
// into buckets of one of a few calendar-like widths, aligned to the Unix epoch
// (UTC), so the same bucket covers the same instants whatever range is asked
// for and a zoomed view lines up with the wider one. Pure: the server groups
// with it and the page labels the buckets with it.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The widths a bucket can have, narrowest first. */
export const BUCKET_WIDTHS_MS = [
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  365 * DAY,
] as const;

/**
 * The narrowest width that splits [from, to) into at most `maxBuckets` buckets;
 * the widest one when none does (a span of more than `maxBuckets` years).
 */
export function bucketWidthFor(spanMs: number, maxBuckets: number): number {
  if (!(spanMs > 0) || !(maxBuckets >= 1)) throw new RangeError("The span and bucket count must be positive");
  return BUCKET_WIDTHS_MS.find((width) => spanMs / width <= maxBuckets) ?? BUCKET_WIDTHS_MS.at(-1)!;
}

/** The bucket an instant falls in: the number of whole widths since the epoch. */
export function bucketIndex(at: Date | number, widthMs: number): number {
  return Math.floor(+at / widthMs);
}

/** The instants a bucket covers: [start, end). */
export function bucketSpan(index: number, widthMs: number): { start: Date; end: Date } {
  return { start: new Date(index * widthMs), end: new Date((index + 1) * widthMs) };
}

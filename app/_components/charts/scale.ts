import { scaleLinear } from "d3-scale";

// Scales, ticks and colours for the hand-written SVG charts: positions and
// ticks from d3-scale, colours chosen for colour-vision deficiencies.

/** A linear map from [d0, d1] to [r0, r1]; an empty domain maps everything to r0. */
export function linear(d0: number, d1: number, r0: number, r1: number) {
  return scaleLinear()
    .domain([d0, d1 === d0 ? d0 + 1 : d1])
    .range([r0, r1]);
}

/**
 * Round tick values (1, 2 or 5 × 10ⁿ apart) covering [min, max], `count`
 * intervals at most: callers size `count` by how many labels fit, and
 * d3's ticks(count) may return twice as many.
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (max <= min) return [min];
  const scale = scaleLinear().domain([min, max]);
  for (let asked = Math.max(1, Math.floor(count)); asked > 1; asked--) {
    const ticks = scale.ticks(asked);
    if (ticks.length <= count + 1) return ticks;
  }
  return scale.ticks(1);
}

/** The smallest round number at or above `max` that the ticks end on. */
export function niceMax(max: number, count: number) {
  if (!(max > 0)) return 1;
  return scaleLinear().domain([0, max]).nice(count).domain()[1]!;
}

/**
 * Okabe & Ito's palette, which stays distinct for the common colour-vision deficiencies.
 * Both reach 3:1 against white, as non-text graphics must.
 */
export const seriesColors = {
  blue: "#0072B2",
  vermillion: "#D55E00",
} as const;

// Viridis (perceptually uniform, readable with colour-vision deficiencies and in grey).
const viridis: [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

function viridisRgb(t: number): [number, number, number] {
  const clamped = Math.min(1, Math.max(0, t));
  const position = clamped * (viridis.length - 1);
  const i = Math.min(viridis.length - 2, Math.floor(position));
  const f = position - i;
  const a = viridis[i]!;
  const b = viridis[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

/** The colour of t in 0..1 on the viridis scale. */
export function viridisColor(t: number) {
  const [r, g, b] = viridisRgb(t);
  return `rgb(${r} ${g} ${b})`;
}

/** Black or white, whichever reads better on the viridis colour of t. */
export function viridisTextColor(t: number) {
  const [r, g, b] = viridisRgb(t).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05).
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000000" : "#ffffff";
}

/** Gradient stops of the viridis scale, for a legend. */
export const viridisStops = viridis.map(([r, g, b], i) => ({
  offset: i / (viridis.length - 1),
  color: `rgb(${r} ${g} ${b})`,
}));

function relativeLuminance(hex: string) {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white text, whichever contrasts more with a #rrggbb background. */
export function textColorOn(hex: string) {
  const luminance = relativeLuminance(hex);
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000000" : "#ffffff";
}

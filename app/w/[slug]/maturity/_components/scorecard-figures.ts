// The arithmetic of the scorecard's pictures, kept pure so it can be tested
// without a browser: where a level sits on the radar, the words for a change
// of the index, and the level an index stands for.

export interface RadarGeometry {
  /** Centre of the radar. */
  cx: number;
  cy: number;
  /** Radius of the outermost ring (the model's top level). */
  radius: number;
  /** Number of levels in the model; level 0 would be the centre. */
  levels: number;
}

/** The angle of axis i of n: the first points straight up, the rest follow clockwise. */
export function axisAngle(i: number, n: number): number {
  return -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
}

/** The point of a level on axis i of n. */
export function radarPoint(g: RadarGeometry, i: number, n: number, level: number): { x: number; y: number } {
  const r = (g.radius * level) / g.levels;
  const angle = axisAngle(i, n);
  return { x: g.cx + r * Math.cos(angle), y: g.cy + r * Math.sin(angle) };
}

const fmt = (value: number) => value.toFixed(1);

/**
 * The outline of one series on the radar. Lines join neighbouring axes that
 * both have a value; a missing value breaks the outline rather than pulling it
 * to the centre (an unscored dimension is not level 0). A series with every
 * value present is closed.
 */
export function radarPath(g: RadarGeometry, values: readonly (number | null)[]): string {
  const n = values.length;
  if (n === 0) return "";
  if (values.every((v) => v !== null)) {
    const points = values.map((v, i) => radarPoint(g, i, n, v!));
    return `${points.map((p, i) => `${i === 0 ? "M" : "L"}${fmt(p.x)} ${fmt(p.y)}`).join("")}Z`;
  }
  let d = "";
  values.forEach((value, i) => {
    const next = values[(i + 1) % n];
    // Only from the last axis back to the first when there are more than two axes, so nothing is drawn twice.
    if (value === null || next === null || next === undefined || (i === n - 1 && n < 3)) return;
    const a = radarPoint(g, i, n, value);
    const b = radarPoint(g, (i + 1) % n, n, next);
    d += `M${fmt(a.x)} ${fmt(a.y)}L${fmt(b.x)} ${fmt(b.y)}`;
  });
  return d;
}

/** Splits a label into lines of at most about `width` characters, at spaces; a longer word keeps its own line. */
export function wrapLabel(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * The level an index stands for: the index is the mean position between the
 * lowest level (0) and the top one (100), so 0-100 maps back onto the levels and
 * a level is reached only when the index reaches it.
 */
export function levelOfIndex(index: number, levelCount: number): number {
  const position = 1 + (Math.min(100, Math.max(0, index)) / 100) * (levelCount - 1);
  // A hair of tolerance: 25.0 with 5 levels is exactly level 2, whatever the float says.
  return Math.min(levelCount, Math.floor(position + 1e-9));
}

/** A change as a sign and number for the eye, and as words for a screen reader. */
export function changeWords(delta: number | null, unit: string, since: string) {
  if (delta === null) return null;
  const size = Math.abs(delta).toLocaleString("en-GB", { maximumFractionDigits: 1 });
  if (delta === 0) return { text: `±0 ${unit}`, spoken: `no change since ${since}`, direction: 0 as const };
  return delta > 0
    ? { text: `▲ ${size} ${unit}`, spoken: `up ${size} ${unit} since ${since}`, direction: 1 as const }
    : { text: `▼ ${size} ${unit}`, spoken: `down ${size} ${unit} since ${since}`, direction: -1 as const };
}

/** "YYYY-MM-DD" as a day number (days since 1970-01-01, UTC), for a time axis. */
export function dayNumber(isoDay: string): number {
  return Math.round(Date.parse(`${isoDay.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/** A day number back to "YYYY-MM-DD". */
export function isoDayOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Today in UTC as YYYY-MM-DD, the day the server's gaps use too. */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A due date that has passed on work that is not done. */
export function isOverdue(dueDate: string | null, status: string, today: string): boolean {
  return dueDate !== null && status !== "done" && dueDate < today;
}

/**
 * The heatmap's cells: each unit's level per column as 0..1 of the way from
 * the lowest level to the top one (null where the unit did not score it). The
 * first unit is the top row, so rows are listed bottom-up as the heatmap draws them.
 */
export function heatmapCells(
  rows: readonly { levels: Readonly<Record<string, number | null>> }[],
  columns: readonly { key: string }[],
  levelCount: number,
): (number | null)[][] {
  const span = Math.max(1, levelCount - 1);
  return [...rows].reverse().map((row) =>
    columns.map((column) => {
      const level = row.levels[column.key];
      return level === null || level === undefined ? null : Math.min(1, Math.max(0, (level - 1) / span));
    }),
  );
}

/** The level written in a heatmap cell, back from its 0..1 value. */
export function levelOfCell(value: number, levelCount: number): number {
  return Math.round(1 + value * Math.max(1, levelCount - 1));
}

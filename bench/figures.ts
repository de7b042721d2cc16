// The figures a benchmark reports to `npm run bench` (bench/run.ts). Each
// benchmark still prints its own detail; recordFigure also appends one JSON
// line per figure to the file named by BENCH_FIGURES, which the runner reads
// after each run to build its table. Without BENCH_FIGURES it only prints.

import { appendFileSync } from "node:fs";

export type Unit = "ms" | "s" | "%" | "rows/s";

export interface Figure {
  /** Stable key the runner groups runs by, e.g. "timeline.p95". */
  key: string;
  /** What is measured, as the table shows it. */
  label: string;
  value: number;
  unit: Unit;
  /** The target: below (`<`) or at least (`>=`) this value. */
  target: { op: "<" | ">="; value: number };
  /** The same-run figure this one is divided by or compared with (raw COPY, bare SQL, a no-op request). */
  baseline?: { label: string; value: number; unit: Unit };
}

export const FIGURES_ENV = "BENCH_FIGURES";

export function isMet(figure: Pick<Figure, "value" | "target">) {
  return figure.target.op === "<" ? figure.value < figure.target.value : figure.value >= figure.target.value;
}

export function formatValue(value: number, unit: Unit) {
  if (!Number.isFinite(value)) return "—";
  if (unit === "rows/s") return `${Math.round(value).toLocaleString("en")} rows/s`;
  if (unit === "%") return `${value.toFixed(1)} %`;
  const digits = unit === "s" ? (value < 10 ? 2 : 1) : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

export function recordFigure(figure: Figure) {
  const target = `${figure.target.op} ${formatValue(figure.target.value, figure.unit)}`;
  console.log(
    `figure ${figure.key}: ${formatValue(figure.value, figure.unit)} (target ${target}: ${isMet(figure) ? "met" : "NOT met"})`,
  );
  const file = process.env[FIGURES_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
}

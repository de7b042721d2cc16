"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { cx, ScrollBox, type Column } from "../ui";

// The frame every chart shares: a titled figure, a legend, the drawing sized to
// the space it has (so its text stays legible on a phone), and the numbers as a
// table behind "Show the numbers" for anyone who cannot or would rather not read
// the picture. The drawing is one role="img" with a summary as its label.

/** The width of an element, kept up to date as it resizes; `fallback` until it is measured. */
export function useWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      const measured = entries[0]?.contentRect.width;
      if (measured) setWidth(Math.floor(measured));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width ?? fallback] as const;
}

export interface ChartData {
  caption: string;
  columns: Column[];
  rows: { key: string; cells: ReactNode[] }[];
}

export function ChartFrame({
  id,
  title,
  description,
  legend,
  data,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  legend?: ReactNode;
  data: ChartData;
  /** Draws the chart at the given width in CSS pixels. */
  children: (width: number) => ReactNode;
}) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  return (
    <figure aria-labelledby={`${id}-title`} className="min-w-0 space-y-3">
      <figcaption>
        <h3 id={`${id}-title`} className="font-medium text-slate-900">
          {title}
        </h3>
        {description && <p className="mt-0.5 text-sm text-slate-600">{description}</p>}
      </figcaption>
      {legend}
      <div ref={ref} className="w-full">
        {children(width)}
      </div>
      <details className="group text-sm">
        <summary className="text-brand-700 w-fit cursor-pointer rounded hover:underline">
          Show the numbers<span className="sr-only"> of “{title}”</span>
        </summary>
        <ScrollBox
          labelledBy={`${id}-caption`}
          className="mt-2 max-h-72 overflow-auto rounded-md border border-slate-200"
        >
          <table className="w-full text-left text-sm">
            <caption id={`${id}-caption`} className="sr-only">
              {data.caption}
            </caption>
            <thead className="sticky top-0 bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                {data.columns.map((column) => (
                  <th
                    key={column.label}
                    scope="col"
                    className={cx("px-3 py-2 font-medium", column.align === "right" && "text-right")}
                  >
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.key} className="border-t border-slate-100">
                  {row.cells.map((cell, i) =>
                    i === 0 ? (
                      <th
                        key={i}
                        scope="row"
                        className="px-3 py-1.5 font-medium whitespace-nowrap text-slate-700"
                      >
                        {cell}
                      </th>
                    ) : (
                      <td
                        key={i}
                        className={cx(
                          "px-3 py-1.5 whitespace-nowrap",
                          data.columns[i]?.align === "right" && "text-right tabular-nums",
                        )}
                      >
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      </details>
    </figure>
  );
}

export type LegendMark =
  | { kind: "line"; color: string; dash?: string }
  | { kind: "box"; color: string; hatch?: boolean }
  | { kind: "area"; color: string };

/** A legend: a small sample of each mark and its name. */
export function Legend({ items }: { items: { label: string; mark: LegendMark }[] }) {
  const hatchId = `legend-hatch-${useId().replace(/[^\w-]/g, "")}`;
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-700">
      {items.map((item, index) => (
        <li key={item.label} className="flex items-center gap-2">
          <svg aria-hidden="true" width="24" height="12" viewBox="0 0 24 12" className="shrink-0">
            {item.mark.kind === "line" ? (
              <line
                x1="1"
                x2="23"
                y1="6"
                y2="6"
                stroke={item.mark.color}
                strokeWidth="2.5"
                strokeDasharray={item.mark.dash}
              />
            ) : (
              <>
                {item.mark.kind === "box" && item.mark.hatch && (
                  <defs>
                    <pattern
                      id={`${hatchId}-${index}`}
                      width="6"
                      height="6"
                      patternUnits="userSpaceOnUse"
                      patternTransform="rotate(45)"
                    >
                      <line
                        x1="0"
                        y1="0"
                        x2="0"
                        y2="6"
                        stroke="#ffffff"
                        strokeWidth="2"
                        strokeOpacity="0.7"
                      />
                    </pattern>
                  </defs>
                )}
                <rect
                  x="4"
                  y="0.5"
                  width="16"
                  height="11"
                  rx="1.5"
                  fill={item.mark.color}
                  stroke={item.mark.kind === "area" ? "#94a3b8" : "none"}
                />
                {item.mark.kind === "box" && item.mark.hatch && (
                  <rect x="4" y="0.5" width="16" height="11" rx="1.5" fill={`url(#${hatchId}-${index})`} />
                )}
              </>
            )}
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** The outer <svg> of a chart: one image with a summary as its name. */
export function ChartSvg({
  label,
  width,
  height,
  children,
}: {
  label: string;
  width: number;
  height: number;
  children: ReactNode;
}) {
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="block max-w-full overflow-visible font-sans text-slate-600"
      fontSize={12}
    >
      {children}
    </svg>
  );
}

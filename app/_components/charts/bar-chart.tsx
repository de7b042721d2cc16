import { useId } from "react";
import { leftMargin, XAxis, YAxis, type Plot } from "./axes";
import { ChartSvg } from "./chart-frame";
import { HoverReadout } from "./hover-readout";
import { linear, niceMax, niceTicks } from "./scale";

export interface BarSeries {
  label: string;
  color: string;
  /** Stripes drawn over the colour, so series differ by more than hue. */
  pattern?: "hatch";
  values: number[];
}

/** Bars side by side per category, one per series. */
export function GroupedBarChart({
  width,
  label,
  categories,
  series,
  xTitle,
  yTitle,
  formatY,
}: {
  width: number;
  label: string;
  categories: string[];
  series: BarSeries[];
  xTitle: string;
  yTitle: string;
  formatY: (value: number) => string;
}) {
  const narrow = width < 480;
  const height = narrow ? 240 : 300;
  const yTop = niceMax(Math.max(0, ...series.flatMap((s) => s.values)), 5);
  const yTicks = niceTicks(0, yTop, narrow ? 4 : 5);
  const left = leftMargin(yTicks.map(formatY));
  const plot: Plot = { left, top: 12, width: Math.max(40, width - left - 12), height: height - 12 - 48 };
  const py = linear(0, yTop, plot.top + plot.height, plot.top);
  const band = plot.width / Math.max(1, categories.length);
  const gap = Math.min(16, band * 0.25);
  const barWidth = (band - gap) / Math.max(1, series.length);
  const base = plot.top + plot.height;
  const hatchId = `hatch-${useId().replace(/[^\w-]/g, "")}`;

  return (
    <ChartSvg label={label} width={width} height={height}>
      <defs>
        <pattern
          id={hatchId}
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" strokeWidth="2" strokeOpacity="0.7" />
        </pattern>
      </defs>
      <YAxis plot={plot} ticks={yTicks} y={py} format={formatY} title={yTitle} />
      {categories.map((category, c) =>
        series.map((s, k) => {
          const value = s.values[c] ?? 0;
          const x = plot.left + c * band + gap / 2 + k * barWidth;
          const y = py(value);
          return (
            <g key={`${category}-${s.label}`}>
              <rect x={x} y={y} width={Math.max(1, barWidth - 1)} height={base - y} fill={s.color} />
              {s.pattern === "hatch" && (
                <rect
                  x={x}
                  y={y}
                  width={Math.max(1, barWidth - 1)}
                  height={base - y}
                  fill={`url(#${hatchId})`}
                />
              )}
            </g>
          );
        }),
      )}
      <XAxis
        plot={plot}
        ticks={categories.map((category, c) => ({ x: plot.left + (c + 0.5) * band, label: category }))}
        title={xTitle}
      />
      <HoverReadout
        plot={plot}
        slots={categories.map((category, c) => ({
          x: plot.left + (c + 0.5) * band,
          title: category,
          lines: series.map((s) => ({ label: s.label, value: formatY(s.values[c] ?? 0), color: s.color })),
        }))}
      />
    </ChartSvg>
  );
}

import { leftMargin, XAxis, YAxis, type Plot } from "./axes";
import { ChartSvg } from "./chart-frame";
import { HoverReadout } from "./hover-readout";
import { linear, niceMax, niceTicks } from "./scale";

export interface LineSeries {
  label: string;
  color: string;
  /** SVG dash pattern; lines must differ by more than colour. */
  dash?: string;
  /** One value per x; null leaves a gap. */
  values: (number | null)[];
}

/**
 * Lines over a numeric x axis, with an optional shaded region (e.g. a holdout
 * period) and a labelled vertical marker (e.g. the calibration end).
 */
export function LineChart({
  width,
  label,
  x,
  series,
  xTitle,
  yTitle,
  formatX = String,
  formatY,
  region,
  marker,
  yMax,
  xDomain,
}: {
  width: number;
  label: string;
  x: number[];
  series: LineSeries[];
  xTitle: string;
  yTitle: string;
  formatX?: (value: number) => string;
  formatY: (value: number) => string;
  region?: { from: number; to: number; label: string };
  marker?: { x: number; label: string };
  /** The top of the y axis when it is fixed (e.g. the highest level), so small multiples compare. */
  yMax?: number;
  /** An x range to include, so charts side by side share one axis (e.g. days). */
  xDomain?: [number, number];
}) {
  const narrow = width < 480;
  const height = narrow ? 240 : 300;
  const xMin = Math.min(...x, ...(xDomain ? [xDomain[0]] : []));
  const xMax = Math.max(...x, ...(xDomain ? [xDomain[1]] : []));
  const yTop = yMax ?? niceMax(Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0))), 5);
  // A small whole-number scale (maturity levels 1-5) gets a tick per step, so every level is labelled.
  const yTicks =
    yMax !== undefined && Number.isInteger(yMax) && yMax <= 10
      ? Array.from({ length: yMax + 1 }, (_, i) => i)
      : niceTicks(0, yTop, narrow ? 4 : 5);
  const left = leftMargin(yTicks.map(formatY));
  const plot: Plot = { left, top: 22, width: Math.max(40, width - left - 12), height: height - 22 - 48 };
  const px = linear(xMin, xMax, plot.left, plot.left + plot.width);
  const py = linear(0, yTop, plot.top + plot.height, plot.top);
  const xTicks = niceTicks(xMin, xMax, Math.max(2, Math.floor(plot.width / 70))).filter(
    (t) => t >= xMin && t <= xMax,
  );

  const path = (values: (number | null)[]) => {
    let d = "";
    let pen = false;
    values.forEach((value, i) => {
      if (value === null || !Number.isFinite(value)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${px(x[i]!).toFixed(1)} ${py(value).toFixed(1)}`;
      pen = true;
    });
    return d;
  };

  const regionX0 = region ? px(Math.max(xMin, region.from)) : 0;
  const regionX1 = region ? px(Math.min(xMax, region.to)) : 0;
  const markerX = marker ? px(marker.x) : 0;

  return (
    <ChartSvg label={label} width={width} height={height}>
      {region && regionX1 > regionX0 && (
        <g>
          <rect x={regionX0} y={plot.top} width={regionX1 - regionX0} height={plot.height} fill="#f1f5f9" />
          {regionX1 - regionX0 > 56 && (
            <text x={regionX0 + 6} y={plot.top + 14} fill="#475569">
              {region.label}
            </text>
          )}
        </g>
      )}
      <YAxis plot={plot} ticks={yTicks} y={py} format={formatY} title={yTitle} />
      <XAxis plot={plot} ticks={xTicks.map((t) => ({ x: px(t), label: formatX(t) }))} title={xTitle} />
      {marker && (
        <g>
          <line
            x1={markerX}
            x2={markerX}
            y1={plot.top - 6}
            y2={plot.top + plot.height}
            stroke="#334155"
            strokeWidth={1.5}
            strokeDasharray="2 3"
          />
          <text
            x={markerX - 4}
            y={plot.top - 8}
            textAnchor={markerX - plot.left > 110 ? "end" : "start"}
            dx={markerX - plot.left > 110 ? 0 : 8}
            fill="#334155"
          >
            {marker.label}
          </text>
        </g>
      )}
      {series.map((s) => (
        <path
          key={s.label}
          d={path(s.values)}
          fill="none"
          stroke={s.color}
          strokeWidth={2.5}
          strokeDasharray={s.dash}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      ))}
      <HoverReadout
        plot={plot}
        slots={x.map((xValue, i) => ({
          x: px(xValue),
          title: formatX(xValue),
          lines: series.flatMap((s) => {
            const value = s.values[i];
            return value === null || value === undefined || !Number.isFinite(value)
              ? []
              : [{ label: s.label, value: formatY(value), color: s.color }];
          }),
        }))}
      />
    </ChartSvg>
  );
}

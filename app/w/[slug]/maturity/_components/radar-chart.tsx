import { ChartSvg } from "~/app/_components/charts/chart-frame";
import { axisAngle, radarPath, radarPoint, wrapLabel, type RadarGeometry } from "./scorecard-figures";

export interface RadarSeries {
  label: string;
  color: string;
  /** SVG dash pattern: the series differ by more than colour. */
  dash?: string;
  /** A light fill inside the outline (the current levels). */
  fill?: boolean;
  /** One level per axis; null: not scored or no target. */
  values: (number | null)[];
}

const ringColor = "#e2e8f0"; // slate-200
const axisColor = "#94a3b8"; // slate-400
const textColor = "#475569"; // slate-600

/** One axis per dimension, the levels as rings from the centre (level 1 innermost) to the top level. */
export function RadarChart({
  width,
  label,
  axes,
  levels,
  series,
}: {
  width: number;
  label: string;
  axes: string[];
  levels: { level: number; name: string }[];
  series: RadarSeries[];
}) {
  const size = Math.min(width, 560);
  const narrow = size < 420;
  const labelWidth = narrow ? 12 : 18;
  const margin = narrow ? 70 : 100;
  const g: RadarGeometry = {
    cx: size / 2,
    cy: size / 2 - (narrow ? 6 : 0),
    radius: Math.max(40, size / 2 - margin),
    levels: levels.length,
  };
  const height = size - (narrow ? 12 : 0);
  const n = axes.length;

  return (
    <ChartSvg label={label} width={size} height={height}>
      {levels.map(({ level }) => (
        <polygon
          key={level}
          points={axes
            .map((_, i) => radarPoint(g, i, n, level))
            .map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`)
            .join(" ")}
          fill="none"
          stroke={ringColor}
        />
      ))}
      {axes.map((axis, i) => {
        const end = radarPoint(g, i, n, levels.length);
        return <line key={axis} x1={g.cx} y1={g.cy} x2={end.x} y2={end.y} stroke={axisColor} />;
      })}
      {levels.map(({ level }) => {
        const p = radarPoint(g, 0, n, level);
        return (
          <text key={level} x={p.x + 4} y={p.y} dy="0.32em" fontSize={10} fill={textColor}>
            {level}
          </text>
        );
      })}
      {series.map((s) => (
        <g key={s.label}>
          {s.fill && s.values.every((v) => v !== null) && (
            <path d={radarPath(g, s.values)} fill={s.color} fillOpacity={0.12} stroke="none" />
          )}
          <path
            d={radarPath(g, s.values)}
            fill="none"
            stroke={s.color}
            strokeWidth={2.5}
            strokeDasharray={s.dash}
            strokeLinejoin="round"
          />
          {s.values.map((value, i) =>
            value === null ? null : (
              <circle
                key={axes[i]}
                cx={radarPoint(g, i, n, value).x}
                cy={radarPoint(g, i, n, value).y}
                r={3.5}
                fill={s.fill ? s.color : "#ffffff"}
                stroke={s.color}
                strokeWidth={2}
              />
            ),
          )}
        </g>
      ))}
      {axes.map((axis, i) => {
        const angle = axisAngle(i, n);
        const p = radarPoint(g, i, n, levels.length + (narrow ? 0.35 : 0.3));
        const cos = Math.cos(angle);
        const anchor = Math.abs(cos) < 0.2 ? "middle" : cos > 0 ? "start" : "end";
        const lines = wrapLabel(axis, labelWidth);
        // Labels above the centre grow upwards, so they never run into the rings.
        const firstDy =
          Math.sin(angle) < -0.2 ? -(lines.length - 1) * 1.15 : Math.sin(angle) > 0.2 ? 0.7 : 0.32;
        return (
          <text key={axis} x={p.x} y={p.y} textAnchor={anchor} fill={textColor} fontWeight={500}>
            {lines.map((line, k) => (
              <tspan key={k} x={p.x} dy={`${k === 0 ? firstDy : 1.15}em`}>
                {line}
              </tspan>
            ))}
          </text>
        );
      })}
    </ChartSvg>
  );
}

// Axes drawn inside a chart's <svg>: gridlines with tick labels, and axis titles.

const axisColor = "#64748b"; // slate-500: 4.8:1 on white
const gridColor = "#e2e8f0"; // slate-200
const textColor = "#475569"; // slate-600

export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A left axis with horizontal gridlines at the ticks, and its title written upwards. */
export function YAxis({
  plot,
  ticks,
  y,
  format,
  title,
}: {
  plot: Plot;
  ticks: number[];
  y: (value: number) => number;
  format: (value: number) => string;
  title: string;
}) {
  return (
    <g>
      {ticks.map((tick) => (
        <g key={tick}>
          <line
            x1={plot.left}
            x2={plot.left + plot.width}
            y1={y(tick)}
            y2={y(tick)}
            stroke={gridColor}
            strokeWidth={1}
          />
          <text x={plot.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" fill={textColor}>
            {format(tick)}
          </text>
        </g>
      ))}
      <text
        transform={`translate(12 ${plot.top + plot.height / 2}) rotate(-90)`}
        textAnchor="middle"
        fill={textColor}
        fontWeight={500}
      >
        {title}
      </text>
    </g>
  );
}

/** A bottom axis: the baseline, tick marks with labels at given positions, and its title. */
export function XAxis({
  plot,
  ticks,
  title,
}: {
  plot: Plot;
  ticks: { x: number; label: string }[];
  title: string;
}) {
  const base = plot.top + plot.height;
  return (
    <g>
      <line x1={plot.left} x2={plot.left + plot.width} y1={base} y2={base} stroke={axisColor} />
      {ticks.map((tick, i) => (
        <g key={`${tick.label}-${i}`}>
          <line x1={tick.x} x2={tick.x} y1={base} y2={base + 4} stroke={axisColor} />
          <text x={tick.x} y={base + 17} textAnchor="middle" fill={textColor}>
            {tick.label}
          </text>
        </g>
      ))}
      <text
        x={plot.left + plot.width / 2}
        y={base + 36}
        textAnchor="middle"
        fill={textColor}
        fontWeight={500}
      >
        {title}
      </text>
    </g>
  );
}

/** Left margin wide enough for the longest tick label (about 7 px a character at 12 px). */
export function leftMargin(labels: string[]) {
  return 30 + Math.max(2, ...labels.map((label) => label.length)) * 7;
}

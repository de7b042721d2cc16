"use client";

import { useId } from "react";
import { leftMargin, XAxis, type Plot } from "./axes";
import { ChartSvg } from "./chart-frame";
import { viridisColor, viridisStops, viridisTextColor } from "./scale";

/**
 * A grid of cells coloured by a value in 0..1 on the viridis scale, columns
 * along x and rows along y (the first row at the bottom). Values are written
 * in the cells when they fit.
 */
export function Heatmap({
  width,
  label,
  columns,
  rows,
  values,
  xTitle,
  yTitle,
  formatColumn = String,
  formatRow = String,
  formatValue,
}: {
  width: number;
  label: string;
  columns: number[];
  rows: number[];
  /** values[row][column], 0..1; a missing or non-finite value leaves the cell empty. */
  values: (number | null)[][];
  xTitle: string;
  yTitle: string;
  formatColumn?: (value: number) => string;
  formatRow?: (value: number) => string;
  /** The short text written in a cell. */
  formatValue: (value: number) => string;
}) {
  const left = leftMargin(rows.map(formatRow));
  const plotWidth = Math.max(40, width - left - 8);
  const cellWidth = plotWidth / Math.max(1, columns.length);
  const cellHeight = Math.max(14, Math.min(30, 360 / Math.max(1, rows.length)));
  const plot: Plot = { left, top: 8, width: plotWidth, height: cellHeight * rows.length };
  const height = plot.top + plot.height + 48;
  const showValues = cellWidth >= 26 && cellHeight >= 15;
  const valueFont = cellHeight >= 18 && cellWidth >= 30 ? 11 : 10;
  const columnEvery = Math.max(1, Math.ceil(36 / cellWidth));
  const rowEvery = Math.max(1, Math.ceil(14 / cellHeight));
  const cellY = (r: number) => plot.top + (rows.length - 1 - r) * cellHeight;

  return (
    <ChartSvg label={label} width={width} height={height}>
      {rows.map((row, r) => (
        <g key={row}>
          {columns.map((column, c) => {
            const value = values[r]?.[c];
            const x = plot.left + c * cellWidth;
            const y = cellY(r);
            if (value === null || value === undefined || !Number.isFinite(value)) {
              return (
                <rect
                  key={column}
                  x={x}
                  y={y}
                  width={cellWidth}
                  height={cellHeight}
                  fill="#f8fafc"
                  stroke="#ffffff"
                />
              );
            }
            return (
              <g key={column}>
                <rect
                  x={x}
                  y={y}
                  width={cellWidth}
                  height={cellHeight}
                  fill={viridisColor(value)}
                  stroke="#ffffff"
                  strokeWidth={0.5}
                />
                {showValues && (
                  <text
                    x={x + cellWidth / 2}
                    y={y + cellHeight / 2}
                    dy="0.32em"
                    textAnchor="middle"
                    fontSize={valueFont}
                    fill={viridisTextColor(value)}
                  >
                    {formatValue(value)}
                  </text>
                )}
              </g>
            );
          })}
          {r % rowEvery === 0 && (
            <text x={plot.left - 6} y={cellY(r) + cellHeight / 2} dy="0.32em" textAnchor="end" fill="#475569">
              {formatRow(row)}
            </text>
          )}
        </g>
      ))}
      <text
        transform={`translate(12 ${plot.top + plot.height / 2}) rotate(-90)`}
        textAnchor="middle"
        fill="#475569"
        fontWeight={500}
      >
        {yTitle}
      </text>
      <XAxis
        plot={plot}
        ticks={columns
          .map((column, c) => ({ column, c }))
          .filter(({ c }) => c % columnEvery === 0)
          .map(({ column, c }) => ({ x: plot.left + (c + 0.5) * cellWidth, label: formatColumn(column) }))}
        title={xTitle}
      />
    </ChartSvg>
  );
}

/** The legend of a 0..1 viridis scale: a gradient with labelled ticks. */
export function ColorScaleLegend({
  title,
  ticks,
  format,
}: {
  title: string;
  ticks: number[];
  format: (value: number) => string;
}) {
  const gradientId = `scale-${useId().replace(/[^\w-]/g, "")}`;
  const barWidth = 200;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
      <span>{title}</span>
      <svg
        aria-hidden="true"
        width={barWidth + 32}
        height={32}
        viewBox={`0 0 ${barWidth + 32} 32`}
        fontSize={11}
      >
        <defs>
          <linearGradient id={gradientId} x1="0" x2="1" y1="0" y2="0">
            {viridisStops.map((stop) => (
              <stop key={stop.offset} offset={stop.offset} stopColor={stop.color} />
            ))}
          </linearGradient>
        </defs>
        <rect x={16} y={0} width={barWidth} height={12} fill={`url(#${gradientId})`} />
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={16 + tick * barWidth} x2={16 + tick * barWidth} y1={12} y2={16} stroke="#64748b" />
            <text x={16 + tick * barWidth} y={28} textAnchor="middle" fill="#475569">
              {format(tick)}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}

"use client";

import { useState, type PointerEvent } from "react";
import type { Plot } from "./axes";

// The values under the pointer: moving over a chart shows a guide at the
// nearest point along x and a box with that point's values, one line per
// series. A pointer affordance only: the same numbers are in each chart's
// "Show the numbers" table for keyboard and screen-reader users.

export interface ReadoutSlot {
  /** The slot's x in the drawing. */
  x: number;
  title: string;
  lines: { label: string; value: string; color: string }[];
}

const LINE_HEIGHT = 16;
const PADDING = 8;
/** An estimate of a character's width at the charts' 12 px: the box is sized before it is drawn. */
const CHAR_WIDTH = 6.8;

export function HoverReadout({ plot, slots }: { plot: Plot; slots: ReadoutSlot[] }) {
  const [active, setActive] = useState<number | null>(null);
  const onMove = (event: PointerEvent<SVGRectElement>) => {
    const svg = event.currentTarget.ownerSVGElement;
    if (!svg || slots.length === 0) return;
    const bounds = svg.getBoundingClientRect();
    // The drawing may be scaled down to fit (max-width: 100%): back to its own units.
    const x = ((event.clientX - bounds.left) * svg.viewBox.baseVal.width) / bounds.width;
    let nearest = 0;
    for (let i = 1; i < slots.length; i++) {
      if (Math.abs(slots[i]!.x - x) < Math.abs(slots[nearest]!.x - x)) nearest = i;
    }
    setActive(nearest);
  };
  const slot = active === null ? undefined : slots[active];
  return (
    <g aria-hidden="true">
      {slot && <Readout plot={plot} slot={slot} />}
      <rect
        x={plot.left}
        y={plot.top}
        width={plot.width}
        height={plot.height}
        fill="transparent"
        onPointerMove={onMove}
        onPointerLeave={() => setActive(null)}
      />
    </g>
  );
}

function Readout({ plot, slot }: { plot: Plot; slot: ReadoutSlot }) {
  const texts = [slot.title, ...slot.lines.map((line) => `${line.label}: ${line.value}`)];
  const width = Math.ceil(Math.max(...texts.map((text) => text.length)) * CHAR_WIDTH) + 2 * PADDING + 14;
  const height = texts.length * LINE_HEIGHT + PADDING;
  // Beside the guide, on whichever side has room; never above the plot's top.
  const right = slot.x + 10 + width <= plot.left + plot.width;
  const boxX = right ? slot.x + 10 : Math.max(plot.left, slot.x - 10 - width);
  const boxY = plot.top + 4;
  return (
    <g pointerEvents="none">
      <line
        x1={slot.x}
        x2={slot.x}
        y1={plot.top}
        y2={plot.top + plot.height}
        stroke="#334155"
        strokeWidth={1}
      />
      <rect
        x={boxX}
        y={boxY}
        width={width}
        height={height}
        rx={4}
        fill="#ffffff"
        stroke="#cbd5e1"
        filter="drop-shadow(0 1px 2px rgb(0 0 0 / 0.12))"
      />
      <text x={boxX + PADDING} y={boxY + PADDING + 9} fill="#0f172a" fontWeight={600}>
        {slot.title}
      </text>
      {slot.lines.map((line, i) => {
        const y = boxY + PADDING + 9 + (i + 1) * LINE_HEIGHT;
        return (
          <g key={line.label}>
            <rect x={boxX + PADDING} y={y - 8} width={8} height={8} rx={1.5} fill={line.color} />
            <text x={boxX + PADDING + 14} y={y} fill="#334155">
              {line.label}: <tspan fontWeight={600}>{line.value}</tspan>
            </text>
          </g>
        );
      })}
    </g>
  );
}

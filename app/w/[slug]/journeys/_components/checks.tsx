"use client";

import { useState } from "react";
import { cx } from "~/app/_components/ui";
import type { DesignCheck } from "~/server/journeys/checks";
import type { JourneyDesign } from "~/server/journeys/design";

// The design checks (a stage without a goal, two messages at one moment, …)
// beside the item they are about, and as a summary that jumps to each item.

export type CheckTarget = DesignCheck["target"];

/** The id of the grid element that a check (or comment) about `target` focuses. */
export function targetElementId(target: CheckTarget) {
  return target.type === "stage" ? `journey-stage-${target.stageId}` : `journey-tp-${target.touchpointId}`;
}

export function checksFor(checks: readonly DesignCheck[], target: CheckTarget) {
  return checks.filter((c) =>
    c.target.type === "stage"
      ? target.type === "stage" && c.target.stageId === target.stageId
      : target.type === "touchpoint" && c.target.touchpointId === target.touchpointId,
  );
}

function WarningIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 h-3.5 w-3.5 shrink-0 fill-amber-500">
      <path d="M8.3 2.9a2 2 0 0 1 3.4 0l6.4 11.2A2 2 0 0 1 16.4 17H3.6a2 2 0 0 1-1.7-2.9zM10 7a1 1 0 0 0-1 1v3a1 1 0 1 0 2 0V8a1 1 0 0 0-1-1m0 8a1 1 0 1 0 0-2 1 1 0 0 0 0 2" />
    </svg>
  );
}

/** The checks about one stage or touchpoint, shown beside it. */
export function CheckMarkers({ checks }: { checks: readonly DesignCheck[] }) {
  if (checks.length === 0) return null;
  return (
    <div className="space-y-1">
      {checks.map((check) => (
        <p
          key={check.id}
          role="note"
          className="flex gap-1.5 rounded border border-amber-200 bg-amber-50 px-1.5 py-1 text-xs text-amber-900"
        >
          <WarningIcon />
          <span>
            <span className="sr-only">Check: </span>
            {check.message}
          </span>
        </p>
      ))}
    </div>
  );
}

function targetLabel(design: JourneyDesign, target: CheckTarget) {
  for (const stage of design.stages) {
    if (target.type === "stage" && stage.id === target.stageId) return `Stage “${stage.name}”`;
    const touchpoint = stage.touchpoints.find(
      (tp) => target.type === "touchpoint" && tp.id === target.touchpointId,
    );
    if (touchpoint) return `“${touchpoint.title}” in ${stage.name}`;
  }
  return "Journey";
}

/** "3 checks": a list that opens to show each check; choosing one focuses its item. */
export function ChecksSummary({
  checks,
  design,
  onFocus,
}: {
  checks: readonly DesignCheck[];
  design: JourneyDesign;
  onFocus: (target: CheckTarget) => void;
}) {
  const [open, setOpen] = useState(false);
  if (checks.length === 0) {
    return (
      <p className="inline-flex items-center gap-1.5 text-sm text-emerald-800" role="status">
        <span aria-hidden="true" className="h-2 w-2 rounded-full bg-emerald-500" />
        No checks
      </p>
    );
  }
  const label = `${checks.length} ${checks.length === 1 ? "check" : "checks"}`;
  return (
    <div
      className="relative"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpen(false);
        }
      }}
      onBlur={(event) => {
        // Closes when focus leaves the button and its list, as a menu would.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls="journey-checks-list"
        onClick={() => setOpen((o) => !o)}
        className="inline-flex items-center gap-1.5 rounded-md border border-amber-300 bg-amber-50 px-2.5 py-1.5 text-sm font-medium text-amber-900 hover:bg-amber-100"
      >
        <WarningIcon />
        {label}
        <span aria-hidden="true">{open ? "▴" : "▾"}</span>
      </button>
      <ul
        id="journey-checks-list"
        hidden={!open}
        aria-label="Design checks"
        className={cx(
          "absolute right-0 z-20 mt-1 max-h-80 w-96 max-w-[90vw] overflow-y-auto rounded-md border border-slate-200 bg-white p-1 shadow-lg",
        )}
      >
        {checks.map((check) => (
          <li key={check.id}>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                onFocus(check.target);
              }}
              className="block w-full rounded px-2 py-1.5 text-left text-sm hover:bg-slate-50 focus-visible:bg-slate-50"
            >
              <span className="block text-xs font-medium text-slate-500">
                {targetLabel(design, check.target)}
              </span>
              <span className="text-slate-800">{check.message}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

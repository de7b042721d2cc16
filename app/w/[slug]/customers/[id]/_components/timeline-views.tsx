"use client";

import { parseAsStringLiteral, useQueryState } from "nuqs";
import { cx } from "~/app/_components/ui";
import type { Channel } from "~/db/enums";
import { ChannelLanes, type LaneMerge } from "./channel-lanes";
import { Timeline } from "./timeline";

const views = ["lanes", "list"] as const;
const viewLabels = { lanes: "Lanes", list: "List" } as const;

/**
 * The customer's history as channel lanes or as the list, picked with a toggle
 * the URL keeps (?view=list), so a reload or a shared link shows the same view.
 */
export function TimelineViews({
  customerId,
  slug,
  eventCount,
  channels,
  eventNames,
  merges,
  firstSeenAt,
  lastSeenAt,
}: {
  customerId: string;
  slug: string;
  eventCount: number;
  /** The channels this customer has events on, most used first. */
  channels: Channel[];
  eventNames: { event: string; count: number }[];
  merges: LaneMerge[];
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
}) {
  const [view, setView] = useQueryState("view", parseAsStringLiteral(views).withDefault("lanes"));
  const toggle = (
    <div
      role="group"
      aria-label="Timeline view"
      className="inline-flex rounded-md border border-slate-300 p-0.5"
    >
      {views.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={view === option}
          onClick={() => void setView(option === "lanes" ? null : option)}
          className={cx(
            "rounded px-3 py-1 text-sm font-medium",
            view === option ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100",
          )}
        >
          {viewLabels[option]}
        </button>
      ))}
    </div>
  );

  return view === "list" ? (
    <Timeline
      customerId={customerId}
      eventCount={eventCount}
      channels={channels}
      eventNames={eventNames}
      headerAction={toggle}
    />
  ) : (
    <ChannelLanes
      customerId={customerId}
      slug={slug}
      channels={channels}
      merges={merges}
      firstSeenAt={firstSeenAt}
      lastSeenAt={lastSeenAt}
      headerAction={toggle}
    />
  );
}

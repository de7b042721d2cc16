import Link from "next/link";
import { DataTable, EmptyState, SectionCard } from "~/app/_components/ui";
import { formatCount, formatPercent } from "./format";
import type { DashboardSummary } from "./dashboard-summary-type";

// Segments by size with their change: each row links to its segment.

/** Segments shown; the card links to the list for the rest. */
const SHOWN_SEGMENTS = 6;

const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

type SegmentFigure = DashboardSummary["segments"][number];

/** "▲ 12 (3%)", and "since 7 Dec" for a segment whose history starts within the 30 days. */
function SizeChange({ segment }: { segment: SegmentFigure }) {
  const { change, membersBefore: before, since } = segment;
  if (change === null || before === null) return <span className="text-slate-500">—</span>;
  const up = change > 0;
  const sinceText = since && (
    <span className="block text-xs text-slate-500">
      since {shortDay.format(Date.parse(`${since}T00:00:00Z`))}
    </span>
  );
  if (change === 0) return <span className="text-slate-600">±0{sinceText}</span>;
  return (
    <span className={up ? "text-emerald-700" : "text-rose-700"}>
      <span aria-hidden="true">{up ? "▲" : "▼"} </span>
      <span className="sr-only">{up ? "up " : "down "}</span>
      {formatCount(Math.abs(change))}
      {before > 0 && <span className="text-slate-500"> ({formatPercent(Math.abs(change) / before)})</span>}
      {sinceText}
    </span>
  );
}

export function DashboardSegments({
  slug,
  segments,
}: {
  slug: string;
  segments: DashboardSummary["segments"];
}) {
  const shown = segments.slice(0, SHOWN_SEGMENTS);
  return (
    <SectionCard
      id="dashboard-segments"
      title="Segments"
      description="Members now, and the change over the last 30 days (or since the first refresh, for a younger segment)."
      aside={
        <Link
          href={`/w/${slug}/segments`}
          className="text-brand-700 text-sm whitespace-nowrap hover:underline"
        >
          All {segments.length > 0 ? formatCount(segments.length) : ""} segments
        </Link>
      }
    >
      {segments.length === 0 ? (
        <EmptyState title="No segments yet">
          Segments group customers by behaviour, traits and value.
        </EmptyState>
      ) : (
        <DataTable
          caption="Segments by size, with the change over 30 days"
          columns={[
            { label: "Segment" },
            { label: "Members", align: "right" },
            { label: "30 days", align: "right" },
          ]}
        >
          <tbody className="divide-y divide-slate-100" data-testid="dashboard-segments">
            {shown.map((segment) => (
              <tr key={segment.id}>
                <td className="py-2 pr-3 pl-4 sm:pl-0">
                  <Link
                    href={`/w/${slug}/segments/${segment.id}`}
                    className="text-brand-700 font-medium break-words hover:underline"
                  >
                    {segment.name}
                  </Link>
                </td>
                <td className="py-2 pr-3 text-right tabular-nums">
                  {/* Like the segment list: no count before the first refresh. */}
                  {segment.refreshedAt ? formatCount(segment.members) : "—"}
                </td>
                <td className="py-2 pr-4 text-right text-sm whitespace-nowrap tabular-nums sm:pr-0">
                  <SizeChange segment={segment} />
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </SectionCard>
  );
}

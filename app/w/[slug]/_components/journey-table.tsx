"use client";

import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { DataTable } from "~/app/_components/ui";
import type { AppRouter } from "~/server/root";
import { formatDateTime, relativeTime } from "./dates";
import { useWorkspace } from "./workspace-context";

export type JourneySummary = inferRouterOutputs<AppRouter>["journey"]["list"][number];

/** "Draft", or "Published v3", with a badge when the draft has moved on since. */
export function JourneyStatus({
  publishedVersion,
  hasUnpublishedChanges,
}: {
  publishedVersion: number | null;
  hasUnpublishedChanges: boolean;
}) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {publishedVersion === null ? (
        <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
          Draft
        </span>
      ) : (
        <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
          Published v{publishedVersion}
        </span>
      )}
      {publishedVersion !== null && hasUnpublishedChanges && (
        <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
          Unpublished changes
        </span>
      )}
    </span>
  );
}

/** The journeys of one segment as a table: shared by the list and the segment page. */
export function JourneyTable({ journeys, caption }: { journeys: JourneySummary[]; caption: string }) {
  const { slug } = useWorkspace();
  return (
    <DataTable
      caption={caption}
      columns={[{ label: "Journey" }, { label: "Status" }, { label: "Owner" }, { label: "Updated" }]}
    >
      <tbody className="divide-y divide-slate-100">
        {journeys.map((journey) => (
          <tr key={journey.id} className="align-top">
            <td className="py-3 pr-4 pl-4 sm:pl-0">
              <Link
                href={`/w/${slug}/journeys/${journey.id}`}
                className="hover:text-brand-700 font-medium text-slate-900 hover:underline"
              >
                {journey.name}
              </Link>
            </td>
            <td className="py-3 pr-4">
              <JourneyStatus
                publishedVersion={journey.publishedVersion}
                hasUnpublishedChanges={journey.hasUnpublishedChanges}
              />
            </td>
            <td className="py-3 pr-4">
              {journey.owner ? (
                (journey.owner.name ?? journey.owner.email)
              ) : (
                <span className="text-slate-500">—</span>
              )}
            </td>
            <td className="py-3 pr-4 whitespace-nowrap sm:pr-0">
              <time dateTime={journey.updatedAt.toISOString()} title={formatDateTime(journey.updatedAt)}>
                {relativeTime(journey.updatedAt)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "~/app/_components/query-view";
import { SectionCard } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { formatCount, formatPercent } from "./format";
import type { DashboardJourneys as Journeys } from "./dashboard-summary-type";

// Published journeys with their conversion (dashboard.journeys), asked for
// apart from the other figures because it reads the segments' events: the
// rest of the dashboard does not wait for it.

export function DashboardJourneys({ slug, workspaceId }: { slug: string; workspaceId: string }) {
  const trpc = useTRPC();
  const journeys = useQuery(trpc.dashboard.journeys.queryOptions({ workspaceId }));
  return (
    <SectionCard
      id="dashboard-journeys"
      title="Published journeys"
      description="Of the segment's members who reached the journey's first stage with a goal, the share who reached its last, over the last 90 days."
      aside={
        <Link
          href={`/w/${slug}/journeys`}
          className="text-brand-700 text-sm whitespace-nowrap hover:underline"
        >
          All journeys
        </Link>
      }
    >
      <QueryView
        query={journeys}
        what="the journeys' conversion"
        loadingRows={3}
        isEmpty={(data) => data.journeys.length === 0}
        empty={{
          title: "No published journeys",
          body: "A journey counts its segment's customers once a version of it is published.",
        }}
      >
        {(data) => <JourneyRows slug={slug} data={data} />}
      </QueryView>
    </SectionCard>
  );
}

function JourneyRows({ slug, data }: { slug: string; data: Journeys }) {
  const more = data.published - data.journeys.length;
  return (
    <>
      <ul className="divide-y divide-slate-100" data-testid="dashboard-journeys">
        {data.journeys.map((journey) => (
          <li key={journey.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
            <div className="min-w-0">
              <Link
                href={`/w/${slug}/journeys/${journey.id}`}
                className="text-brand-700 font-medium break-words hover:underline"
              >
                {journey.name}
              </Link>
              <p className="text-xs text-slate-500">
                {journey.segment.name} · version {journey.version} · {formatCount(journey.members)} members
              </p>
            </div>
            <Conversion journey={journey} slug={slug} />
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p className="text-sm text-slate-600">
          {formatCount(more)} more published {more === 1 ? "journey" : "journeys"} in{" "}
          <Link href={`/w/${slug}/journeys`} className="text-brand-700 hover:underline">
            the journey list
          </Link>
          .
        </p>
      )}
    </>
  );
}

function Conversion({ journey, slug }: { journey: Journeys["journeys"][number]; slug: string }) {
  if (!journey.computed)
    return (
      <Link href={`/w/${slug}/journeys/${journey.id}`} className="text-brand-700 text-sm hover:underline">
        Large segment: see its analytics
      </Link>
    );
  const conversion = journey.conversion;
  if (conversion === null) return <p className="text-sm text-slate-500">Fewer than two stages with a goal</p>;
  return (
    <p className="text-right text-sm">
      <span className="text-lg font-semibold text-slate-900 tabular-nums">
        {conversion.rate === null ? "—" : formatPercent(conversion.rate)}
      </span>
      <span className="block text-xs text-slate-500">
        {formatCount(conversion.lastStage.reached)} reached {conversion.lastStage.name} of{" "}
        {formatCount(conversion.firstStage.reached)} at {conversion.firstStage.name}
      </span>
    </p>
  );
}

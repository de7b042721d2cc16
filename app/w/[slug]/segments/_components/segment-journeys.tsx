"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "~/app/_components/query-view";
import { SectionCard } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../_components/workspace-context";
import { JourneyTable } from "../../_components/journey-table";

/** The segment page's "Journeys" card: the journeys designed for the segment, and a way to start one. */
export function SegmentJourneys({ segmentId, canEdit }: { segmentId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const journeys = useQuery(trpc.journey.list.queryOptions({ workspaceId, segmentId }));
  return (
    <SectionCard
      id="segment-journeys"
      title="Journeys"
      description="The journeys designed for this segment's customers."
      aside={
        canEdit ? (
          <Link
            href={`/w/${slug}/journeys/new?segment=${segmentId}`}
            className="text-brand-700 shrink-0 text-sm font-medium hover:underline"
          >
            New journey for this segment
          </Link>
        ) : undefined
      }
    >
      <QueryView
        query={journeys}
        what="the journeys"
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "No journeys yet",
          body: "A journey lays out the stages and touchpoints designed for these customers.",
        }}
      >
        {(data) => <JourneyTable journeys={data} caption="Journeys of this segment" />}
      </QueryView>
    </SectionCard>
  );
}

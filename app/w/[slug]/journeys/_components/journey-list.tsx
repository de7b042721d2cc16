"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "~/app/_components/query-view";
import { Card } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../_components/workspace-context";
import { JourneyTable, type JourneySummary } from "../../_components/journey-table";

function groupBySegment(journeys: JourneySummary[]) {
  const groups = new Map<string, { segment: JourneySummary["segment"]; journeys: JourneySummary[] }>();
  for (const journey of journeys) {
    const group = groups.get(journey.segment.id) ?? { segment: journey.segment, journeys: [] };
    group.journeys.push(journey);
    groups.set(journey.segment.id, group);
  }
  return [...groups.values()].sort((a, b) => a.segment.name.localeCompare(b.segment.name));
}

/** Every journey of the workspace, one card per segment; or what a journey is when there is none. */
export function JourneyList({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const list = useQuery(trpc.journey.list.queryOptions({ workspaceId }));
  return (
    <QueryView
      query={list}
      what="the journeys"
      loadingRows={5}
      // The empty state teaches what a journey is, which QueryView's plain one cannot.
      isEmpty={() => false}
      empty={{ title: "No journeys yet" }}
    >
      {(data) =>
        data.length === 0 ? (
          <NoJourneys canEdit={canEdit} />
        ) : (
          <div className="space-y-6">
            {groupBySegment(data).map((group) => (
              <SegmentJourneys
                key={group.segment.id}
                segment={group.segment}
                journeys={group.journeys}
                canEdit={canEdit}
              />
            ))}
          </div>
        )
      }
    </QueryView>
  );
}

function SegmentJourneys({
  segment,
  journeys,
  canEdit,
}: {
  segment: JourneySummary["segment"];
  journeys: JourneySummary[];
  canEdit: boolean;
}) {
  const { slug } = useWorkspace();
  const headingId = `segment-${segment.id}-journeys`;
  return (
    <Card aria-labelledby={headingId} className="p-4 sm:px-6">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-3">
        <h2 id={headingId} className="text-lg font-semibold text-slate-900">
          <span className="sr-only">Segment: </span>
          <Link href={`/w/${slug}/segments/${segment.id}`} className="hover:text-brand-700 hover:underline">
            {segment.name}
          </Link>
        </h2>
        {canEdit && (
          <Link
            href={`/w/${slug}/journeys/new?segment=${segment.id}`}
            className="text-brand-700 text-sm font-medium hover:underline"
          >
            New journey for this segment
          </Link>
        )}
      </div>
      <JourneyTable journeys={journeys} caption={`Journeys of ${segment.name}`} />
    </Card>
  );
}

/** The empty state: what a journey is and where to start. */
function NoJourneys({ canEdit }: { canEdit: boolean }) {
  const { slug } = useWorkspace();
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8">
      <h2 className="text-lg font-semibold text-slate-900">No journeys yet</h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        A journey is the path you design for one segment: its stages (discover, consider, buy, use, stay,
        advocate), and per stage the touchpoints — which channel, what message, when and after what — with the
        customer&apos;s goals, thoughts, emotions, pain points and opportunities. A loyal weekly customer and
        a casual holiday shopper need different journeys, so each belongs to a segment. Once designed, the
        segment&apos;s real customers are drawn on the map: how many reached each stage, and on which channel
        they acted.
      </p>
      {canEdit ? (
        <p className="mt-3 text-sm text-slate-700">
          Start with{" "}
          <Link href={`/w/${slug}/journeys/new`} className="text-brand-700 font-medium underline">
            New journey
          </Link>{" "}
          and pick the segment it is for, or import a journey exported from another workspace.
        </p>
      ) : (
        <p className="mt-3 text-sm text-slate-700">
          Editors and admins design journeys; you can read them here.
        </p>
      )}
    </div>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "~/app/_components/query-view";
import { Alert, PageHeader } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../_components/workspace-context";
import { SegmentEditor } from "./segment-editor";

/** /segments/[id]/edit: the editor prefilled; read-only for viewers. */
export function EditSegment({ id, canEdit }: { id: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const segment = useQuery({ ...trpc.segment.get.queryOptions({ workspaceId, id }), retry: false });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href={`/w/${slug}/segments`} className="text-brand-700 hover:underline">
          Segments
        </Link>
        {segment.data && (
          <>
            {" / "}
            <Link href={`/w/${slug}/segments/${id}`} className="text-brand-700 hover:underline">
              {segment.data.name}
            </Link>
          </>
        )}
      </nav>
      <PageHeader
        title={canEdit ? "Edit segment" : "Segment rule"}
        description={
          canEdit
            ? "Changing the rule recomputes the members when you save; their history keeps who entered and left."
            : undefined
        }
      />
      {!canEdit && (
        <div className="mb-4">
          <Alert tone="info">
            Viewers cannot change segments. This is the segment as it is saved; the count shown is for its
            rule now.
          </Alert>
        </div>
      )}
      <QueryView
        query={segment}
        what="the segment"
        loadingRows={6}
        isEmpty={() => false}
        empty={{ title: "" }}
      >
        {(data) => (
          <SegmentEditor
            key={data.id}
            segmentId={data.id}
            initial={{
              name: data.name,
              description: data.description,
              schedule: data.schedule,
              rule: data.rule,
            }}
            readOnly={!canEdit}
          />
        )}
      </QueryView>
    </>
  );
}

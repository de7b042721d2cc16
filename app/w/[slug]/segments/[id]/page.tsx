import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { foundOrNotFound, loadWorkspace } from "../../workspace";
import { SegmentPage } from "../_components/segment-page";

export const metadata: Metadata = { title: "Segment" };

export default async function SegmentDetailPage({
  params,
}: {
  params: Promise<{ slug: string; id: string }>;
}) {
  const { slug, id } = await params;
  const { workspace, api } = await loadWorkspace(slug);
  await foundOrNotFound(api.segment.get({ workspaceId: workspace.id, id }));
  return (
    <div className="mx-auto max-w-6xl">
      <SegmentPage id={id} canEdit={can(workspace.role, "content:write")} />
    </div>
  );
}

import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { foundOrNotFound, loadWorkspace } from "../../../workspace";
import { EditSegment } from "../../_components/edit-segment";

export const metadata: Metadata = { title: "Edit segment" };

export default async function EditSegmentPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { workspace, api } = await loadWorkspace(slug);
  await foundOrNotFound(api.segment.get({ workspaceId: workspace.id, id }));
  return (
    <div className="mx-auto max-w-6xl">
      <EditSegment id={id} canEdit={can(workspace.role, "content:write")} />
    </div>
  );
}

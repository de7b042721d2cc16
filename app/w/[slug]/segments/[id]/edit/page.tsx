import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../../workspace";
import { EditSegment } from "../../_components/edit-segment";

export const metadata: Metadata = { title: "Edit segment" };

export default async function EditSegmentPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { workspace } = await loadWorkspace(slug);
  return (
    <div className="mx-auto max-w-6xl">
      <EditSegment id={id} canEdit={can(workspace.role, "content:write")} />
    </div>
  );
}

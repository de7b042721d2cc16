import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { SegmentPage } from "../_components/segment-page";

export const metadata: Metadata = { title: "Segment" };

export default async function SegmentDetailPage({
  params,
}: {
  params: Promise<{ slug: string; id: string }>;
}) {
  const { slug, id } = await params;
  const { workspace } = await loadWorkspace(slug);
  return (
    <div className="mx-auto max-w-6xl">
      <SegmentPage id={id} canEdit={can(workspace.role, "content:write")} />
    </div>
  );
}

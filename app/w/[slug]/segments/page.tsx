import type { Metadata } from "next";
import { ButtonLink, PageHeader } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../workspace";
import { SegmentList } from "./_components/segment-list";

export const metadata: Metadata = { title: "Segments" };

export default async function SegmentsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const canEdit = can(workspace.role, "content:write");
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Segments"
        description="Groups of customers defined by behaviour, traits and value — there is no average customer. Each segment's members are kept up to date, with who entered and left and when."
        actions={
          canEdit ? (
            <ButtonLink href={`/w/${workspace.slug}/segments/new`}>New segment</ButtonLink>
          ) : undefined
        }
      />
      <SegmentList canEdit={canEdit} />
    </div>
  );
}

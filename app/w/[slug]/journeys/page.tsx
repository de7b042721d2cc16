import type { Metadata } from "next";
import { ButtonLink, PageHeader } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../workspace";
import { ImportJourneyButton } from "./_components/export/import-journey";
import { JourneyList } from "./_components/journey-list";

export const metadata: Metadata = { title: "Journeys" };

export default async function JourneysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const canEdit = can(workspace.role, "content:write");
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Journeys"
        description="A journey per segment: its stages, the touchpoints of each stage by channel, message and timing, and how the segment's real customers actually moved through it."
        actions={
          <>
            <ButtonLink href={`/w/${workspace.slug}/journeys/compare`} variant="secondary">
              Compare journeys
            </ButtonLink>
            {canEdit && <ImportJourneyButton workspaceId={workspace.id} slug={workspace.slug} />}
            {canEdit && <ButtonLink href={`/w/${workspace.slug}/journeys/new`}>New journey</ButtonLink>}
          </>
        }
      />
      <JourneyList canEdit={canEdit} />
    </div>
  );
}

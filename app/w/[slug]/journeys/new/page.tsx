import type { Metadata } from "next";
import { Alert, PageHeader } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { NewJourney } from "../_components/new-journey";

export const metadata: Metadata = { title: "New journey" };

export default async function NewJourneyPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ segment?: string | string[] }>;
}) {
  const { slug } = await params;
  const { segment } = await searchParams;
  const { workspace } = await loadWorkspace(slug);
  const canEdit = can(workspace.role, "content:write");
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="New journey"
        description="A journey belongs to one segment. It starts with the usual stages — discover, consider, buy, use, stay, advocate — which you can rename, reorder or remove in the editor."
      />
      {canEdit ? (
        <NewJourney segmentId={typeof segment === "string" ? segment : undefined} />
      ) : (
        <Alert tone="info">Viewers cannot create journeys. Editors and admins design them.</Alert>
      )}
    </div>
  );
}

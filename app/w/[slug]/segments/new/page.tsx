import type { Metadata } from "next";
import { Alert, PageHeader } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { NewSegment } from "../_components/new-segment";

export const metadata: Metadata = { title: "New segment" };

export default async function NewSegmentPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ template?: string | string[] }>;
}) {
  const { slug } = await params;
  const { template } = await searchParams;
  const { workspace } = await loadWorkspace(slug);
  const canEdit = can(workspace.role, "content:write");
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="New segment"
        description="Start from a template or from a blank rule. A live count of the matching customers follows every change to the rule."
      />
      {!canEdit && (
        <div className="mb-4">
          <Alert tone="info">
            Viewers cannot create segments. You can try rules here and see how many customers they pick, but
            not save them.
          </Alert>
        </div>
      )}
      <NewSegment template={typeof template === "string" ? template : undefined} canEdit={canEdit} />
    </div>
  );
}

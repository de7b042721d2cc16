import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { foundOrNotFound, loadWorkspace } from "../../../workspace";
import { AssessmentPage } from "../_components/assessment-page";

export const metadata: Metadata = { title: "Maturity assessment" };

export default async function AssessmentDetailPage({
  params,
}: {
  params: Promise<{ slug: string; id: string }>;
}) {
  const { slug, id } = await params;
  const { workspace, api } = await loadWorkspace(slug);
  await foundOrNotFound(api.maturity.assessment.get({ workspaceId: workspace.id, id }));
  return (
    <AssessmentPage
      id={id}
      canEdit={can(workspace.role, "content:write")}
      canRemove={can(workspace.role, "settings:manage")}
    />
  );
}

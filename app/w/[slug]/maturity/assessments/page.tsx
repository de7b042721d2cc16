import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { AssessmentList } from "./_components/assessment-list";

export const metadata: Metadata = { title: "Maturity assessments" };

export default async function AssessmentsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  return <AssessmentList canEdit={can(workspace.role, "content:write")} />;
}

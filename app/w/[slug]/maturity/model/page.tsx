import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { ModelPage } from "./_components/model-page";

export const metadata: Metadata = { title: "Maturity model" };

export default async function MaturityModelPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  return <ModelPage isAdmin={can(workspace.role, "settings:manage")} />;
}

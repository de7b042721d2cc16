import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { Initiatives } from "./_components/initiatives";

export const metadata: Metadata = { title: "Maturity initiatives" };

export default async function InitiativesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  return <Initiatives canEdit={can(workspace.role, "content:write")} />;
}

import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { JourneyEditor } from "../_components/journey-editor";

export const metadata: Metadata = { title: "Journey" };

export default async function JourneyPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { workspace } = await loadWorkspace(slug);
  return <JourneyEditor id={id} canEdit={can(workspace.role, "content:write")} />;
}

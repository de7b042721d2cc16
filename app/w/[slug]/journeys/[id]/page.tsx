import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { JourneyEditor } from "../_components/journey-editor";

type Props = { params: Promise<{ slug: string; id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  const { workspace, api } = await loadWorkspace(slug);
  try {
    const journey = await api.journey.get({ workspaceId: workspace.id, id });
    return { title: journey.name };
  } catch {
    // The page itself says what went wrong; the tab just stays generic.
    return { title: "Journey" };
  }
}

export default async function JourneyPage({ params }: Props) {
  const { slug, id } = await params;
  const { workspace } = await loadWorkspace(slug);
  return <JourneyEditor id={id} canEdit={can(workspace.role, "content:write")} />;
}

import type { Metadata } from "next";
import { cache } from "react";
import { can } from "~/server/permissions";
import { foundOrNotFound, loadWorkspace } from "../../workspace";
import { JourneyEditor } from "../_components/journey-editor";

type Props = { params: Promise<{ slug: string; id: string }> };

/** The journey of the URL; 404 for an unknown id or one of another workspace. Once per request. */
const loadJourney = cache(async (slug: string, id: string) => {
  const { workspace, api } = await loadWorkspace(slug);
  return foundOrNotFound(api.journey.get({ workspaceId: workspace.id, id }));
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  return { title: (await loadJourney(slug, id)).name };
}

export default async function JourneyPage({ params }: Props) {
  const { slug, id } = await params;
  const [{ workspace }] = await Promise.all([loadWorkspace(slug), loadJourney(slug, id)]);
  return <JourneyEditor id={id} canEdit={can(workspace.role, "content:write")} />;
}

import type { Metadata } from "next";
import { cache } from "react";
import { foundOrNotFound, loadWorkspace } from "../../../workspace";
import { JourneyDocument, versionLabel } from "../../_components/print/journey-document";
import { PrintToolbar } from "../../_components/print/print-toolbar";

type Props = {
  params: Promise<{ slug: string; id: string }>;
  searchParams: Promise<{ print?: string }>;
};

/** The journey as its reader may see it: viewers get the latest published version (journey.get). */
const loadJourney = cache(async (slug: string, id: string) => {
  const { workspace, api } = await loadWorkspace(slug);
  return foundOrNotFound(api.journey.get({ workspaceId: workspace.id, id }));
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  const journey = await loadJourney(slug, id);
  // The title is the file name a browser suggests for "Save as PDF".
  return { title: `${journey.name} – ${versionLabel(journey)}` };
}

/** /journeys/[id]/print: the journey as an A4 document; ?print=1 opens the print dialog at once. */
export default async function PrintJourneyPage({ params, searchParams }: Props) {
  const { slug, id } = await params;
  const { print } = await searchParams;
  const [{ workspace, api }, journey] = await Promise.all([loadWorkspace(slug), loadJourney(slug, id)]);
  const segments = await api.segment.list({ workspaceId: workspace.id });
  return (
    <>
      <PrintToolbar backHref={`/w/${workspace.slug}/journeys/${id}`} autoPrint={print === "1"} />
      <JourneyDocument
        journey={{ ...journey, design: journey.draft }}
        segmentNames={new Map(segments.map((s) => [s.id, s.name]))}
        printedAt={new Date()}
      />
    </>
  );
}

import type { Metadata } from "next";
import { ButtonLink, PageHeader } from "~/app/_components/ui";
import { loadWorkspace } from "../../workspace";
import { CompareJourneys } from "./_components/compare-journeys";

export const metadata: Metadata = { title: "Compare journeys" };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function CompareJourneysPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const query = await searchParams;
  const { workspace } = await loadWorkspace(slug);
  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader
        title="Compare journeys"
        description="Two journeys side by side, stage by stage: how the design for one segment differs from the design for another (e.g. loyal weekly shoppers and casual holiday shoppers)."
        actions={
          <ButtonLink variant="secondary" href={`/w/${workspace.slug}/journeys`}>
            All journeys
          </ButtonLink>
        }
      />
      <CompareJourneys a={single(query.a)} b={single(query.b)} />
    </div>
  );
}

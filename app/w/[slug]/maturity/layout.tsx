import { SectionTabs } from "~/app/_components/section-tabs";
import { PageHeader } from "~/app/_components/ui";
import { pillar } from "../pillars";
import { loadWorkspace } from "../workspace";

export default async function MaturityLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const base = `/w/${workspace.slug}/maturity`;
  return (
    <div className="mx-auto max-w-6xl print:max-w-none">
      <PageHeader title="Maturity" description={pillar("maturity").summary} />
      <div className="print:hidden">
        <SectionTabs
          label="Maturity"
          tabs={[
            { href: base, label: "Scorecard" },
            { href: `${base}/assessments`, label: "Assessments" },
            { href: `${base}/initiatives`, label: "Initiatives" },
            { href: `${base}/model`, label: "Model" },
          ]}
          base={base}
        />
      </div>
      <div className="mt-6 print:mt-2">{children}</div>
    </div>
  );
}

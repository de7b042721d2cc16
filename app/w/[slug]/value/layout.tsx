import { SectionTabs } from "~/app/_components/section-tabs";
import { PageHeader } from "~/app/_components/ui";
import { loadWorkspace } from "../workspace";

export default async function ValueLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const base = `/w/${workspace.slug}/value`;
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Customer value"
        description="What each customer is likely to be worth, from their purchase history: the chance they are still a customer, the purchases to expect, their lifetime value and their RFM group. Customers are assets: the portfolio shows where the value sits and how it moves."
      />
      <SectionTabs
        label="Customer value"
        tabs={[
          { href: base, label: "Model fit" },
          { href: `${base}/portfolio`, label: "Portfolio" },
        ]}
        base={base}
      />
      <div className="mt-6">{children}</div>
    </div>
  );
}

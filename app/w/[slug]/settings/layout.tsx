import type { Metadata } from "next";
import { SectionTabs } from "~/app/_components/section-tabs";
import { PageHeader } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../workspace";
import { settingsTabs } from "./tabs";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const base = `/w/${workspace.slug}/settings`;
  const tabs = settingsTabs
    .filter((tab) => !tab.permission || can(workspace.role, tab.permission))
    .map((tab) => ({ href: `${base}${tab.segment}`, label: tab.label }));
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title="Settings"
        description={`Workspace settings, members and history of ${workspace.name}.`}
      />
      <SectionTabs label="Settings" tabs={tabs} base={base} />
      <div className="mt-6">{children}</div>
    </div>
  );
}

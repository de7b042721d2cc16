import type { Metadata } from "next";
import { PageHeader } from "~/app/_components/ui";
import { Dashboard } from "./_components/dashboard";
import { loadWorkspace } from "./workspace";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  return (
    <div className="space-y-6">
      <PageHeader
        title={workspace.name}
        description={workspace.description || "A business unit or brand in Centric."}
      />
      <Dashboard />
    </div>
  );
}

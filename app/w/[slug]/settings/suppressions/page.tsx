import type { Metadata } from "next";
import { Alert } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { SuppressionList } from "./_components/suppression-list";

export const metadata: Metadata = { title: "Suppression list" };

export default async function SuppressionsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  if (!can(workspace.role, "settings:manage")) {
    return (
      <Alert tone="info">
        Only admins keep the suppression list. Your role in {workspace.name} is {workspace.role}; a
        customer&apos;s own subscriptions are on their page.
      </Alert>
    );
  }
  return <SuppressionList />;
}

import type { Metadata } from "next";
import { Alert } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { ChannelRoutes } from "./_components/channel-routes";
import { DestinationsPanel } from "./_components/destinations-panel";
import { FailedMessages } from "./_components/failed-messages";

export const metadata: Metadata = { title: "Destinations" };

export default async function DestinationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  if (!can(workspace.role, "settings:manage")) {
    return (
      <Alert tone="info">
        Only admins set up where messages go. Your role in {workspace.name} is {workspace.role}; the Outbox
        shows the messages kept in Centric.
      </Alert>
    );
  }
  return (
    <div className="space-y-8">
      <DestinationsPanel />
      <ChannelRoutes />
      <FailedMessages />
    </div>
  );
}

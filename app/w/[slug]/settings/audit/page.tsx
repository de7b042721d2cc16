import type { Metadata } from "next";
import { Alert } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { AuditLog } from "./_components/audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  if (!can(workspace.role, "audit:read")) {
    return (
      <Alert tone="info">
        Only admins can read the audit log. Your role in {workspace.name} is {workspace.role}; ask an admin if
        you need to know who changed what.
      </Alert>
    );
  }
  return <AuditLog />;
}

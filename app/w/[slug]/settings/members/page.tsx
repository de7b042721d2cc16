import type { Metadata } from "next";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { AddMemberForm } from "./_components/add-member-form";
import { MembersTable } from "./_components/members-table";
import { PendingInvitations } from "./_components/pending-invitations";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const canManage = can(workspace.role, "members:manage");

  return (
    <div className="space-y-8">
      {canManage ? (
        <AddMemberForm />
      ) : (
        <p className="text-sm text-slate-600">Only admins can add members or change their roles.</p>
      )}
      <MembersTable canManage={canManage} />
      {canManage && <PendingInvitations />}
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, RoleBadge, SectionCard } from "~/app/_components/ui";
import { QueryView } from "~/app/_components/query-view";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDate, relativeTime } from "../../../_components/dates";

export function PendingInvitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const invitations = useQuery(trpc.invitation.list.queryOptions({ workspaceId }));
  const [notice, setNotice] = useState<string>();
  const revoke = useMutation(
    trpc.invitation.revoke.mutationOptions({
      onMutate: () => setNotice(undefined),
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey() });
      },
    }),
  );

  return (
    <SectionCard
      id="invitations"
      title="Pending invitations"
      description="Links that have not been used yet. Revoke one to stop it from working; adding the same email again replaces it."
    >
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {revoke.error && <Alert>{errorMessage(revoke.error)}</Alert>}
      <QueryView
        query={invitations}
        what="the invitations"
        loadingRows={2}
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "No pending invitations",
          body: "Invite someone by email above; their link shows up here until they use it.",
        }}
      >
        {(data) => (
          <ul aria-labelledby="invitations-heading" className="divide-y divide-slate-100">
            {data.map((invitation) => (
              <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-medium break-all text-slate-900">{invitation.email}</span>
                    <RoleBadge role={invitation.role} />
                  </p>
                  <p className="mt-0.5 text-xs text-slate-500">
                    Invited {formatDate(invitation.createdAt)}
                    {invitation.invitedByName ? ` by ${invitation.invitedByName}` : ""} · expires{" "}
                    <time
                      dateTime={invitation.expiresAt.toISOString()}
                      title={formatDate(invitation.expiresAt)}
                    >
                      {relativeTime(invitation.expiresAt)}
                    </time>
                  </p>
                </div>
                <Button
                  variant="danger"
                  disabled={revoke.isPending && revoke.variables.invitationId === invitation.id}
                  onClick={() =>
                    revoke.mutate(
                      { workspaceId, invitationId: invitation.id },
                      { onSuccess: () => setNotice(`The invitation of ${invitation.email} was revoked.`) },
                    )
                  }
                >
                  Revoke<span className="sr-only"> the invitation of {invitation.email}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </SectionCard>
  );
}

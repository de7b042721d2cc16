"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { Role } from "~/db/enums";
import { Alert, Button, DataTable, RoleBadge, SectionCard, Options } from "~/app/_components/ui";
import { QueryView } from "~/app/_components/query-view";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDate } from "../../../_components/dates";
import { roleOptions } from "./role-options";

interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export function MembersTable({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId, name: workspaceName } = useWorkspace();
  const members = useQuery(trpc.member.list.queryOptions({ workspaceId }));
  const [notice, setNotice] = useState<string>();

  return (
    <SectionCard
      id="members"
      title="Members"
      aside={
        members.data && (
          <p className="text-sm text-slate-500">
            {members.data.length} {members.data.length === 1 ? "person" : "people"}
          </p>
        )
      }
    >
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      <QueryView
        query={members}
        what="the members"
        loadingRows={4}
        isEmpty={(data) => data.length === 0}
        empty={{ title: "No members yet", body: "Add someone by email above." }}
      >
        {(data) => (
          <DataTable
            aria-labelledby="members-heading"
            caption={`Members of ${workspaceName}`}
            columns={[
              { label: "Name" },
              { label: "Email" },
              { label: "Role" },
              { label: "Joined" },
              ...(canManage ? [{ label: "Actions", hidden: true, align: "right" as const }] : []),
            ]}
          >
            <tbody>
              {data.map((member) => (
                <MemberRow key={member.userId} member={member} canManage={canManage} onNotice={setNotice} />
              ))}
            </tbody>
          </DataTable>
        )}
      </QueryView>
    </SectionCard>
  );
}

function MemberRow({
  member,
  canManage,
  onNotice,
}: {
  member: Member;
  canManage: boolean;
  onNotice: (message: string | undefined) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { id: workspaceId, userId: currentUserId } = useWorkspace();
  const isSelf = member.userId === currentUserId;
  const [confirming, setConfirming] = useState(false);
  const removeButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  const refreshMembers = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey() });

  const updateRole = useMutation(
    trpc.member.updateRole.mutationOptions({
      onMutate: () => onNotice(undefined),
      onSuccess: async (result) => {
        // Waiting for the refetch keeps the select on the new role until the list agrees.
        await refreshMembers();
        onNotice(`${member.name} is now ${result.role}.`);
        // Your own role decides what this page shows you.
        if (isSelf) router.refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.member.remove.mutationOptions({
      onMutate: () => onNotice(undefined),
      onSuccess: async () => {
        if (isSelf) {
          router.push("/");
          router.refresh();
          return;
        }
        await refreshMembers();
        onNotice(`${member.name} was removed from the workspace.`);
      },
    }),
  );

  useEffect(() => {
    if (confirming) cancelButton.current?.focus();
    else if (wasConfirming.current) removeButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const shownRole = updateRole.isPending ? updateRole.variables.role : member.role;

  const selectId = `role-${member.userId}`;
  const columns = canManage ? 5 : 4;

  return (
    <>
      <tr className="border-t border-slate-100">
        <td className="py-3 pr-4 pl-4 sm:pl-0">
          <span className="font-medium text-slate-900">{member.name}</span>
          {isSelf && <span className="ml-1 text-slate-500">(you)</span>}
        </td>
        <td className="py-3 pr-4 text-slate-700">{member.email}</td>
        <td className="py-3 pr-4">
          {canManage ? (
            <select
              id={selectId}
              aria-label={`Role of ${member.name}`}
              aria-invalid={updateRole.error ? true : undefined}
              aria-describedby={updateRole.error ? `${selectId}-error` : undefined}
              value={shownRole}
              disabled={updateRole.isPending || remove.isPending}
              onChange={(event) => {
                remove.reset();
                setConfirming(false);
                updateRole.mutate({ workspaceId, userId: member.userId, role: event.target.value as Role });
              }}
              className="focus:border-brand-500 focus:ring-brand-500 rounded-md border border-slate-300 bg-white py-1.5 pr-8 pl-2 text-sm focus:ring-1 focus:outline-none aria-invalid:border-red-500"
            >
              <Options items={roleOptions} value={(option) => option.role} label={(option) => option.label} />
            </select>
          ) : (
            <RoleBadge role={member.role} />
          )}
        </td>
        <td className="py-3 pr-4 whitespace-nowrap text-slate-700">
          <time dateTime={member.joinedAt.toISOString()}>{formatDate(member.joinedAt)}</time>
        </td>
        {canManage && (
          <td className="py-3 pr-4 text-right sm:pr-0">
            <Button
              ref={removeButton}
              variant="ghost"
              className="text-red-700 hover:bg-red-50"

              disabled={remove.isPending}
              onClick={() => {
                updateRole.reset();
                remove.reset();
                setConfirming((value) => !value);
              }}
            >
              Remove<span className="sr-only"> {member.name}</span>
            </Button>
          </td>
        )}
      </tr>
      {canManage && (confirming || updateRole.error || remove.error) && (
        <tr>
          <td colSpan={columns} className="px-4 pb-3 sm:px-0">
            {confirming ? (
              <div
                role="group"
                aria-label={`Confirm removing ${member.name}`}
                className="flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2"
                onKeyDown={(event) => {
                  if (event.key === "Escape") setConfirming(false);
                }}
              >
                <p className="min-w-0 flex-1 text-sm text-red-900">
                  {isSelf
                    ? "Remove yourself from this workspace? You lose access to it at once."
                    : `Remove ${member.name} from this workspace? They lose access at once; their past changes stay in the audit log.`}
                </p>
                <div className="flex shrink-0 gap-2">
                  <Button
                    variant="danger"
                    disabled={remove.isPending}
                    onClick={() =>
                      remove.mutate(
                        { workspaceId, userId: member.userId },
                        { onSettled: () => setConfirming(false) },
                      )
                    }
                  >
                    {remove.isPending ? "Removing…" : "Remove"}
                  </Button>
                  <Button
                    ref={cancelButton}
                    variant="secondary"
                    disabled={remove.isPending}
                    onClick={() => setConfirming(false)}
                  >
                    Cancel
                  </Button>
                </div>
              </div>
            ) : (
              <p id={`${selectId}-error`} role="alert" className="text-right text-sm text-red-700">
                {updateRole.error
                  ? `Could not change the role of ${member.name}: ${errorMessage(updateRole.error)}`
                  : `Could not remove ${member.name}: ${errorMessage(remove.error)}`}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

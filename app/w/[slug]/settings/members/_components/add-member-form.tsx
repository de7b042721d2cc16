"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Role } from "~/db/enums";
import { Alert, Button, Card, Field, controlProps, Options } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { InvitationLink } from "./invitation-link";
import { roleOptions } from "./role-options";

export function AddMemberForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId, name: workspaceName } = useWorkspace();
  const [role, setRole] = useState<Role>("viewer");

  const add = useMutation(
    trpc.member.add.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey() });
      },
    }),
  );

  const errors = fieldErrors(add.error);
  const formError = add.error && !errors.email && !errors.role ? errorMessage(add.error) : undefined;
  const selected = roleOptions.find((option) => option.role === role);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const email = String(new FormData(form).get("email") ?? "");
    add.mutate(
      { workspaceId, email, role },
      {
        onSuccess: () => {
          form.reset();
          setRole("viewer");
        },
      },
    );
  }

  return (
    <Card aria-labelledby="add-member-heading" className="p-4 sm:p-6">
      <h2 id="add-member-heading" className="text-lg font-semibold text-slate-900">
        Add member
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Everyone you add gets an invitation link to pass on. They join {workspaceName} when they accept it:
        with their Centric account if they have one, or with a new one.
      </p>
      <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
        {formError && <Alert>{formError}</Alert>}
        <div className="grid gap-4 sm:grid-cols-[minmax(0,3fr)_minmax(0,2fr)_auto] sm:items-start">
          <Field id="member-email" label="Email" error={errors.email}>
            <input
              {...controlProps("member-email", { error: errors.email })}
              name="email"
              type="email"
              autoComplete="off"
              required
            />
          </Field>
          <Field id="member-role" label="Role" error={errors.role}>
            <select
              {...controlProps("member-role", { error: errors.role })}
              name="role"
              value={role}
              onChange={(event) => setRole(event.target.value as Role)}
            >
              <Options items={roleOptions} value={(option) => option.role} label={(option) => option.label} />
            </select>
          </Field>
          <Button type="submit" disabled={add.isPending} className="sm:mt-6">
            {add.isPending ? "Adding…" : "Add member"}
          </Button>
        </div>
        <p id="member-role-description" className="-mt-2 text-xs text-slate-500">
          <span className="font-medium text-slate-700">{selected?.label}:</span> {selected?.description}
        </p>
      </form>

      {add.data && (
        <InvitationLink
          key={add.data.invitePath}
          email={add.data.email}
          role={add.data.role}
          invitePath={add.data.invitePath}
          expiresAt={add.data.expiresAt}
        />
      )}
    </Card>
  );
}

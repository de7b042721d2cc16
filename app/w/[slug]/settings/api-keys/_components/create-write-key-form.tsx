"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Field, controlProps } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";

export function CreateWriteKeyForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId, name: workspaceName } = useWorkspace();
  const create = useMutation(
    trpc.writeKey.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.writeKey.list.queryKey() }),
    }),
  );

  const errors = fieldErrors(create.error);
  const formError = create.error && !errors.name ? errorMessage(create.error) : undefined;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    create.mutate({ workspaceId, name }, { onSuccess: () => form.reset() });
  }

  return (
    <Card aria-labelledby="create-key-heading" className="p-4 sm:p-6">
      <h2 id="create-key-heading" className="text-lg font-semibold text-slate-900">
        Create a write key
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Web sites, apps, stores and other systems send events to {workspaceName} with a write key, as they
        would to Segment. Give each source its own key, so you can revoke one without stopping the others. A
        write key can only add events; it ships inside web pages, so treat it as public.
      </p>
      <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
        {formError && <Alert>{formError}</Alert>}
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
          <Field
            id="write-key-name"
            label="Name"
            hint="Where the key is used, e.g. “Web shop” or “iOS app”."
            error={errors.name}
          >
            <input
              {...controlProps("write-key-name", { error: errors.name, hasHint: true })}
              name="name"
              autoComplete="off"
              required
              maxLength={80}
            />
          </Field>
          <Button type="submit" disabled={create.isPending} className="sm:mt-6">
            {create.isPending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </form>
      {create.data && !create.isPending && (
        <div className="mt-4">
          <Alert tone="success">
            The write key “{create.data.name}” was created. It is at the top of the list below.
          </Alert>
        </div>
      )}
    </Card>
  );
}

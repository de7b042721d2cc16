"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert, Button, Field, controlProps } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";

export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(
    trpc.workspace.create.mutationOptions({
      onSuccess: (workspace) => {
        router.push(`/w/${workspace.slug}`);
        router.refresh();
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const formError =
    create.error && !errors.name && !errors.description ? errorMessage(create.error) : undefined;
  // Stays busy after success until the new workspace's page replaces this one.
  const busy = create.isPending || create.isSuccess;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get("name") ?? ""),
      description: String(form.get("description") ?? ""),
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      {formError && <Alert>{formError}</Alert>}
      <Field
        id="new-workspace-name"
        label="Name"
        hint="For example the business unit or brand: “Northwind Outlet”."
        error={errors.name}
      >
        <input
          {...controlProps("new-workspace-name", { error: errors.name, hasHint: true })}
          name="name"
          required
          maxLength={80}
          autoFocus
        />
      </Field>
      <Field id="new-workspace-description" label="Description (optional)" error={errors.description}>
        <textarea
          {...controlProps("new-workspace-description", { error: errors.description })}
          name="description"
          rows={3}
          maxLength={500}
        />
      </Field>
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? "Creating…" : "Create workspace"}
      </Button>
    </form>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, Field, controlProps } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";

export function GeneralForm({
  workspaceId,
  name,
  description,
}: {
  workspaceId: string;
  name: string;
  description: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.workspace.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        // The header and switcher are server-rendered from the workspace's name.
        router.refresh();
      },
    }),
  );

  const errors = fieldErrors(update.error);
  // The input nests the fields under `data`; accept either key style from the server.
  const nameError = errors["data.name"] ?? errors.name;
  const descriptionError = errors["data.description"] ?? errors.description;
  const formError = update.error && !nameError && !descriptionError ? errorMessage(update.error) : undefined;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSaved(false);
    update.mutate({
      workspaceId,
      data: { name: String(form.get("name") ?? ""), description: String(form.get("description") ?? "") },
    });
  }

  return (
    <form onSubmit={onSubmit} onChange={() => setSaved(false)} className="mt-4 space-y-4" noValidate>
      {formError && <Alert>{formError}</Alert>}
      {saved && <Alert tone="success">Settings saved.</Alert>}
      <Field id="workspace-name" label="Name" error={nameError}>
        <input
          {...controlProps("workspace-name", { error: nameError })}
          name="name"
          defaultValue={name}
          required
          maxLength={80}
        />
      </Field>
      <Field
        id="workspace-description"
        label="Description"
        hint="What this workspace covers: a business unit, brand or market. Up to 500 characters."
        error={descriptionError}
      >
        <textarea
          {...controlProps("workspace-description", { error: descriptionError, hasHint: true })}
          name="description"
          rows={4}
          defaultValue={description}
          maxLength={500}
        />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}

"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { Alert, Card, controlProps, cx, Field, FormActions, inputClass, Options } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { InitiativeLinkKind } from "~/db/enums";
import type { ZInitiativeData } from "~/server/maturity/form-inputs";
import { useWorkspace } from "../../../_components/workspace-context";
import { issuesByPath, issuesFromFieldErrors, issueUnder } from "../../_components/form-issues";
import { initiativeStatuses, statusLabels } from "../../_components/initiative-status";
import {
  initiativeFormOf,
  initiativeFormSchema,
  linkKey,
  type InitiativeFormState,
} from "./initiative-form-state";
import type { Initiative } from "./initiatives";

/**
 * Create or change an initiative. The fields are checked in the browser with the
 * procedures' own schema before anything is sent; problems found there or by the
 * server are shown beside their fields.
 */
export function InitiativeForm({
  initiative,
  dimensions,
  onDone,
  onCancel,
}: {
  initiative?: Initiative;
  dimensions: readonly { key: string; name: string }[];
  onDone: (message: string) => Promise<void> | void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const id = useId();
  const form = useForm<InitiativeFormState, unknown, z.output<typeof ZInitiativeData>>({
    defaultValues: initiativeFormOf(initiative, dimensions),
    resolver: zodResolver(initiativeFormSchema),
    // Problems are checked again at the next save, not at each key.
    reValidateMode: "onSubmit",
  });
  const [owner, links] = useWatch({ control: form.control, name: ["owner", "links"] });
  const members = useQuery(trpc.member.list.queryOptions({ workspaceId }));
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const journeys = useQuery(trpc.journey.list.queryOptions({ workspaceId }));

  const create = useMutation(trpc.maturity.initiative.create.mutationOptions());
  const update = useMutation(trpc.maturity.initiative.update.mutationOptions());
  const save = initiative ? update : create;
  const issues = {
    ...issuesByPath(save.error, initiative ? "data." : ""),
    ...issuesFromFieldErrors(form.formState.errors),
  };
  const fieldIssue = (field: string) => issueUnder(issues, field);
  const unplaced = save.error && Object.keys(issues).length === 0 ? errorMessage(save.error) : null;

  // A dimension key no longer in the model stays selectable for the initiative filed under it.
  const dimensionOptions =
    initiative && !dimensions.some((d) => d.key === initiative.dimensionKey)
      ? [...dimensions, { key: initiative.dimensionKey, name: initiative.dimensionKey }]
      : dimensions;

  const toggleLink = (key: string, on: boolean) =>
    form.setValue("links", on ? [...links, key] : links.filter((k) => k !== key));

  const submit = form.handleSubmit(
    async (data) => {
      try {
        if (initiative) await update.mutateAsync({ workspaceId, id: initiative.id, data });
        else await create.mutateAsync({ workspaceId, ...data });
      } catch {
        return; // Shown beside the fields from save.error.
      }
      await onDone(initiative ? `“${data.title}” was saved.` : `“${data.title}” was added.`);
    },
    // The browser's check found problems: a refusal from an earlier save no longer applies.
    () => save.reset(),
  );

  const titleError = fieldIssue("title");
  return (
    <Card aria-labelledby={`${id}-heading`} className="p-4 sm:p-6">
      <h2 id={`${id}-heading`} className="font-medium text-slate-900">
        {initiative ? `Edit “${initiative.title}”` : "New initiative"}
      </h2>
      <form onSubmit={submit} noValidate className="mt-4 space-y-4">
        <div className="grid gap-4 md:grid-cols-2">
          <Field id={`${id}-title`} label="Title" error={titleError}>
            <input
              {...controlProps(`${id}-title`, { error: titleError })}
              maxLength={200}
              {...form.register("title")}
            />
          </Field>
          <Field id={`${id}-dimension`} label="Dimension" error={fieldIssue("dimensionKey")}>
            <select
              {...controlProps(`${id}-dimension`, { error: fieldIssue("dimensionKey") })}
              {...form.register("dimensionKey")}
            >
              <Options items={dimensionOptions} value={(d) => d.key} label={(d) => d.name} />
            </select>
          </Field>
          <Field id={`${id}-status`} label="Status" error={fieldIssue("status")}>
            <select
              {...controlProps(`${id}-status`, { error: fieldIssue("status") })}
              {...form.register("status")}
            >
              <Options items={initiativeStatuses} value={(s) => s} label={(s) => statusLabels[s]} />
            </select>
          </Field>
          <Field id={`${id}-due`} label="Due date" hint="Optional." error={fieldIssue("dueDate")}>
            <input
              type="date"
              {...controlProps(`${id}-due`, { error: fieldIssue("dueDate"), hasHint: true })}
              {...form.register("dueDate")}
            />
          </Field>
          <Field
            id={`${id}-owner`}
            label="Owner"
            hint={
              members.error ? `The members could not be loaded: ${errorMessage(members.error)}` : undefined
            }
            error={fieldIssue("ownerId")}
          >
            <select
              {...controlProps(`${id}-owner`, {
                error: fieldIssue("ownerId"),
                hasHint: Boolean(members.error),
              })}
              {...form.register("owner")}
            >
              <option value="">Nobody yet</option>
              {initiative?.owner?.id && !members.data?.some((m) => m.userId === initiative.owner?.id) && (
                <option value={initiative.owner.id}>{initiative.owner.name}</option>
              )}
              <Options
                items={members.data ?? []}
                value={(m) => m.userId}
                label={(m) => `${m.name} (${m.email})`}
              />
              <option value="other">Someone without an account…</option>
            </select>
          </Field>
          {owner === "other" && (
            <Field id={`${id}-owner-name`} label="Owner's name" error={fieldIssue("ownerName")}>
              <input
                {...controlProps(`${id}-owner-name`, { error: fieldIssue("ownerName") })}
                maxLength={120}
                placeholder="A person or a team, e.g. Store operations"
                {...form.register("ownerName")}
              />
            </Field>
          )}
        </div>
        <Field
          id={`${id}-description`}
          label="Description"
          hint="Optional: what will be done and how it closes the gap."
          error={fieldIssue("description")}
        >
          <textarea
            {...controlProps(`${id}-description`, { error: fieldIssue("description"), hasHint: true })}
            rows={3}
            {...form.register("description")}
          />
        </Field>
        <fieldset
          className="space-y-2"
          aria-describedby={fieldIssue("links") ? `${id}-links-error` : undefined}
        >
          <legend className="text-sm font-medium text-slate-700">Delivered by</legend>
          <div className="grid gap-4 md:grid-cols-2">
            <LinkPicker
              title="Segments"
              query={segments}
              kind="segment"
              selected={links}
              onToggle={toggleLink}
            />
            <LinkPicker
              title="Journeys"
              query={journeys}
              kind="journey"
              selected={links}
              onToggle={toggleLink}
            />
          </div>
          {fieldIssue("links") && (
            <p id={`${id}-links-error`} className="text-xs text-red-700">
              {fieldIssue("links")}
            </p>
          )}
        </fieldset>
        {unplaced && <Alert>Could not save the initiative: {unplaced}</Alert>}
        <FormActions
          label={initiative ? "Save initiative" : "Add initiative"}
          pendingLabel="Saving…"
          pending={save.isPending}
          onCancel={onCancel}
        />
      </form>
    </Card>
  );
}

function LinkPicker({
  title,
  query,
  kind,
  selected,
  onToggle,
}: {
  title: string;
  query: { isPending: boolean; data?: { id: string; name: string }[]; error: unknown };
  kind: InitiativeLinkKind;
  selected: readonly string[];
  onToggle: (key: string, on: boolean) => void;
}) {
  const id = useId();
  return (
    <div role="group" aria-labelledby={`${id}-title`} className="space-y-1">
      <p id={`${id}-title`} className="text-sm text-slate-600">
        {title}
      </p>
      {query.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : !query.data ? (
        <p className="text-sm text-red-700">
          Could not load the {title.toLowerCase()}: {errorMessage(query.error)}
        </p>
      ) : query.data.length === 0 ? (
        <p className="text-sm text-slate-500">None in this workspace yet.</p>
      ) : (
        <ul className={cx(inputClass, "max-h-44 space-y-1 overflow-y-auto")}>
          {query.data.map((item) => {
            const key = linkKey(kind, item.id);
            return (
              <li key={item.id}>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={selected.includes(key)}
                    onChange={(e) => onToggle(key, e.target.checked)}
                  />
                  {item.name}
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

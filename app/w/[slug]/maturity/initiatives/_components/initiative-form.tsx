"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Alert, Card, controlProps, cx, Field, FormActions, inputClass, Options } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { InitiativeStatus } from "~/db/enums";
import { useWorkspace } from "../../../_components/workspace-context";
import { issuesByPath, issueUnder } from "../../_components/form-issues";
import { initiativeStatuses, statusLabels } from "../../_components/initiative-status";
import type { Initiative } from "./initiatives";

type LinkKind = "segment" | "journey";

interface Draft {
  title: string;
  dimensionKey: string;
  status: InitiativeStatus;
  dueDate: string;
  /** "" nobody, "other" a typed name, else a member's user id. */
  owner: string;
  ownerName: string;
  description: string;
  links: Set<string>;
}

const linkKey = (kind: LinkKind, id: string) => `${kind}:${id}`;

function draftOf(initiative: Initiative | undefined, dimensions: readonly { key: string }[]): Draft {
  return {
    title: initiative?.title ?? "",
    dimensionKey: initiative?.dimensionKey ?? dimensions[0]?.key ?? "",
    status: initiative?.status ?? "planned",
    dueDate: initiative?.dueDate ?? "",
    owner: initiative?.owner ? (initiative.owner.id ?? "other") : "",
    ownerName: initiative?.owner && !initiative.owner.id ? initiative.owner.name : "",
    description: initiative?.description ?? "",
    links: new Set(initiative?.links.map((l) => linkKey(l.kind, l.targetId)) ?? []),
  };
}

/** Create or change an initiative; problems the server finds are shown beside their fields. */
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
  const [draft, setDraft] = useState(() => draftOf(initiative, dimensions));
  const [titleMissing, setTitleMissing] = useState(false);
  const members = useQuery(trpc.member.list.queryOptions({ workspaceId }));
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const journeys = useQuery(trpc.journey.list.queryOptions({ workspaceId }));

  const create = useMutation(trpc.maturity.initiative.create.mutationOptions());
  const update = useMutation(trpc.maturity.initiative.update.mutationOptions());
  const save = initiative ? update : create;
  const issues = issuesByPath(save.error, initiative ? "data." : "");
  const fieldIssue = (field: string) => issueUnder(issues, field);
  const unplaced = save.error && Object.keys(issues).length === 0 ? errorMessage(save.error) : null;

  // A dimension key no longer in the model stays selectable for the initiative filed under it.
  const dimensionOptions =
    initiative && !dimensions.some((d) => d.key === initiative.dimensionKey)
      ? [...dimensions, { key: initiative.dimensionKey, name: initiative.dimensionKey }]
      : dimensions;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggleLink = (key: string, on: boolean) =>
    setDraft((d) => {
      const links = new Set(d.links);
      if (on) links.add(key);
      else links.delete(key);
      return { ...d, links };
    });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft.title.trim()) {
      setTitleMissing(true);
      document.getElementById(`${id}-title`)?.focus();
      return;
    }
    setTitleMissing(false);
    const data = {
      title: draft.title,
      dimensionKey: draft.dimensionKey,
      status: draft.status,
      dueDate: draft.dueDate || null,
      description: draft.description,
      ownerId: draft.owner && draft.owner !== "other" ? draft.owner : null,
      ownerName: draft.owner === "other" ? draft.ownerName : null,
      links: [...draft.links].map((key) => {
        const [kind, targetId] = key.split(":") as [LinkKind, string];
        return { kind, targetId };
      }),
    };
    try {
      if (initiative) await update.mutateAsync({ workspaceId, id: initiative.id, data });
      else await create.mutateAsync({ workspaceId, ...data });
    } catch {
      return; // Shown beside the fields from save.error.
    }
    await onDone(initiative ? `“${data.title.trim()}” was saved.` : `“${data.title.trim()}” was added.`);
  }

  const titleError = titleMissing ? "Give the initiative a title" : fieldIssue("title");
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
              value={draft.title}
              maxLength={200}
              onChange={(e) => set("title", e.target.value)}
            />
          </Field>
          <Field id={`${id}-dimension`} label="Dimension" error={fieldIssue("dimensionKey")}>
            <select
              {...controlProps(`${id}-dimension`, { error: fieldIssue("dimensionKey") })}
              value={draft.dimensionKey}
              onChange={(e) => set("dimensionKey", e.target.value)}
            >
              <Options items={dimensionOptions} value={(d) => d.key} label={(d) => d.name} />
            </select>
          </Field>
          <Field id={`${id}-status`} label="Status" error={fieldIssue("status")}>
            <select
              {...controlProps(`${id}-status`, { error: fieldIssue("status") })}
              value={draft.status}
              onChange={(e) => set("status", e.target.value as InitiativeStatus)}
            >
              <Options items={initiativeStatuses} value={(s) => s} label={(s) => statusLabels[s]} />
            </select>
          </Field>
          <Field id={`${id}-due`} label="Due date" hint="Optional." error={fieldIssue("dueDate")}>
            <input
              type="date"
              {...controlProps(`${id}-due`, { error: fieldIssue("dueDate"), hasHint: true })}
              value={draft.dueDate}
              onChange={(e) => set("dueDate", e.target.value)}
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
              value={draft.owner}
              onChange={(e) => set("owner", e.target.value)}
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
          {draft.owner === "other" && (
            <Field id={`${id}-owner-name`} label="Owner's name" error={fieldIssue("ownerName")}>
              <input
                {...controlProps(`${id}-owner-name`, { error: fieldIssue("ownerName") })}
                value={draft.ownerName}
                maxLength={120}
                placeholder="A person or a team, e.g. Store operations"
                onChange={(e) => set("ownerName", e.target.value)}
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
            value={draft.description}
            onChange={(e) => set("description", e.target.value)}
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
              selected={draft.links}
              onToggle={toggleLink}
            />
            <LinkPicker
              title="Journeys"
              query={journeys}
              kind="journey"
              selected={draft.links}
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
  kind: LinkKind;
  selected: Set<string>;
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
                    checked={selected.has(key)}
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

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Alert, Button, Card, controlProps, Field, FormActions } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { MAX_DIMENSIONS, validateModel, type MaturityModel } from "~/server/maturity/model";
import { useWorkspace } from "../../../_components/workspace-context";
import { issuesByPath, issueUnder } from "../../_components/form-issues";
import { draftOf, emptyDimension, toDefinition, type DraftDimension, type ModelDraft } from "./draft";

/**
 * Edits a custom model and saves it as its next version: rename it, reword the
 * levels, add, remove and reword dimensions. The model is checked in the browser
 * with the server's own rules before it is sent; each problem is shown beside
 * its field and listed above the Save button.
 */
export function ModelEditor({
  modelId,
  model,
  onSaved,
  onCancel,
}: {
  modelId: string;
  model: MaturityModel;
  onSaved: (version: number) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const id = useId();
  const [draft, setDraft] = useState<ModelDraft>(() => draftOf(model));
  const [localIssues, setLocalIssues] = useState<Record<string, string>>({});
  const queryClient = useQueryClient();
  const save = useMutation(trpc.maturity.model.saveVersion.mutationOptions());
  const issues = { ...issuesByPath(save.error), ...localIssues };
  // The server names paths in the definition; "definition" itself is the whole model.
  const issueAt = (path: string) => issues[path];
  const issueIn = (path: string) => issueUnder(issues, path);

  const update = (change: (d: ModelDraft) => ModelDraft) => setDraft((d) => change(d));
  const setDimension = (index: number, change: (d: DraftDimension) => DraftDimension) =>
    update((d) => ({ ...d, dimensions: d.dimensions.map((x, i) => (i === index ? change(x) : x)) }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const definition = toDefinition(draft);
    const checked = validateModel(definition);
    if (!checked.ok) {
      const found: Record<string, string> = {};
      for (const issue of checked.issues) found[issue.path] ??= issue.message;
      setLocalIssues(found);
      save.reset();
      return;
    }
    setLocalIssues({});
    try {
      const saved = await save.mutateAsync({ workspaceId, modelId, definition });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.maturity.model.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.maturity.model.versions.queryKey() }),
      ]);
      onSaved(saved.version);
    } catch {
      // Shown beside the fields and in the list from save.error.
    }
  }

  const issueList = Object.entries(issues);
  const unplaced = save.error && issueList.length === 0 ? errorMessage(save.error) : null;

  return (
    <Card aria-labelledby={`${id}-heading`} className="p-4 sm:p-6">
      <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
        Edit “{model.name}”
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Saving creates version {model.version + 1}; assessments made with version {model.version} keep it.
      </p>
      <form onSubmit={submit} noValidate className="mt-4 space-y-6">
        <Field id={`${id}-name`} label="Model name" error={issueAt("name")}>
          <input
            {...controlProps(`${id}-name`, { error: issueAt("name") })}
            value={draft.name}
            onChange={(e) => update((d) => ({ ...d, name: e.target.value }))}
          />
        </Field>

        <fieldset className="space-y-3">
          <legend className="font-medium text-slate-900">Levels</legend>
          {draft.levels.map((level, i) => (
            <div key={level.level} className="grid gap-3 md:grid-cols-[12rem_minmax(0,1fr)]">
              <Field
                id={`${id}-level-${i}-name`}
                label={`Level ${level.level} name`}
                error={issueAt(`levels[${i}].name`)}
              >
                <input
                  {...controlProps(`${id}-level-${i}-name`, { error: issueAt(`levels[${i}].name`) })}
                  value={level.name}
                  onChange={(e) =>
                    update((d) => ({
                      ...d,
                      levels: d.levels.map((l, k) => (k === i ? { ...l, name: e.target.value } : l)),
                    }))
                  }
                />
              </Field>
              <Field
                id={`${id}-level-${i}-summary`}
                label={`Level ${level.level} summary`}
                error={issueAt(`levels[${i}].summary`)}
              >
                <textarea
                  {...controlProps(`${id}-level-${i}-summary`, { error: issueAt(`levels[${i}].summary`) })}
                  rows={2}
                  value={level.summary}
                  onChange={(e) =>
                    update((d) => ({
                      ...d,
                      levels: d.levels.map((l, k) => (k === i ? { ...l, summary: e.target.value } : l)),
                    }))
                  }
                />
              </Field>
            </div>
          ))}
        </fieldset>

        {draft.dimensions.map((dimension, d) => {
          const base = `dimensions[${d}]`;
          const title = dimension.name.trim() || `Dimension ${d + 1}`;
          const dimensionIssue = issueAt(base) ?? issueAt(`${base}.levels`);
          return (
            <fieldset
              key={`${d}-${dimension.added ? "new" : dimension.key}`}
              className="space-y-3 rounded-md border border-slate-200 p-4"
            >
              <legend className="px-1 font-medium text-slate-900">{title}</legend>
              <div className="flex justify-end">
                <Button
                  variant="danger"
                  disabled={draft.dimensions.length <= 1}
                  onClick={() =>
                    update((x) => ({ ...x, dimensions: x.dimensions.filter((_, k) => k !== d) }))
                  }
                >
                  Remove dimension<span className="sr-only"> “{title}”</span>
                </Button>
              </div>
              {dimensionIssue && <Alert>{dimensionIssue}</Alert>}
              <div className="grid gap-3 md:grid-cols-2">
                <Field id={`${id}-d${d}-name`} label="Name" error={issueAt(`${base}.name`)}>
                  <input
                    {...controlProps(`${id}-d${d}-name`, { error: issueAt(`${base}.name`) })}
                    value={dimension.name}
                    onChange={(e) => setDimension(d, (x) => ({ ...x, name: e.target.value }))}
                  />
                </Field>
                <Field
                  id={`${id}-d${d}-key`}
                  label="Key"
                  hint={
                    dimension.added
                      ? "Names the dimension in scores and exports: lower-case letters, digits and -."
                      : "The key stays, so scores and indicators keep their dimension."
                  }
                  error={issueAt(`${base}.key`)}
                >
                  <input
                    {...controlProps(`${id}-d${d}-key`, { error: issueAt(`${base}.key`), hasHint: true })}
                    value={dimension.key}
                    readOnly={!dimension.added}
                    onChange={(e) => setDimension(d, (x) => ({ ...x, key: e.target.value }))}
                  />
                </Field>
              </div>
              <Field
                id={`${id}-d${d}-description`}
                label="Description"
                error={issueAt(`${base}.description`)}
              >
                <textarea
                  {...controlProps(`${id}-d${d}-description`, { error: issueAt(`${base}.description`) })}
                  rows={2}
                  value={dimension.description}
                  onChange={(e) => setDimension(d, (x) => ({ ...x, description: e.target.value }))}
                />
              </Field>
              {dimension.levels.map((cell, c) => {
                const levelName = draft.levels.find((l) => l.level === cell.level)?.name ?? "";
                const cellPath = `${base}.levels[${c}]`;
                const setCell = (change: Partial<typeof cell>) =>
                  setDimension(d, (x) => ({
                    ...x,
                    levels: x.levels.map((y, k) => (k === c ? { ...y, ...change } : y)),
                  }));
                return (
                  <div key={cell.level} className="grid gap-3 md:grid-cols-2">
                    <Field
                      id={`${id}-d${d}-c${c}-descriptor`}
                      label={`Level ${cell.level} ${levelName}: what is true`}
                      error={issueAt(`${cellPath}.descriptor`) ?? issueAt(`${cellPath}.level`)}
                    >
                      <textarea
                        {...controlProps(`${id}-d${d}-c${c}-descriptor`, {
                          error: issueAt(`${cellPath}.descriptor`) ?? issueAt(`${cellPath}.level`),
                        })}
                        rows={3}
                        value={cell.descriptor}
                        onChange={(e) => setCell({ descriptor: e.target.value })}
                      />
                    </Field>
                    <Field
                      id={`${id}-d${d}-c${c}-evidence`}
                      label={`Level ${cell.level} evidence examples`}
                      hint="One example a line."
                      error={issueIn(`${cellPath}.evidence`)}
                    >
                      <textarea
                        {...controlProps(`${id}-d${d}-c${c}-evidence`, {
                          error: issueIn(`${cellPath}.evidence`),
                          hasHint: true,
                        })}
                        rows={3}
                        value={cell.evidenceText}
                        onChange={(e) => setCell({ evidenceText: e.target.value })}
                      />
                    </Field>
                  </div>
                );
              })}
            </fieldset>
          );
        })}
        <Button
          variant="secondary"
          disabled={draft.dimensions.length >= MAX_DIMENSIONS}
          onClick={() => update((d) => ({ ...d, dimensions: [...d.dimensions, emptyDimension(d)] }))}
        >
          Add a dimension
        </Button>

        {issueList.length > 0 && (
          <Alert>
            <p>
              The model was not saved:{" "}
              {issueList.length === 1 ? "one problem" : `${issueList.length} problems`}.
            </p>
            <ul className="mt-1 list-disc pl-5">
              {issueList.slice(0, 12).map(([path, message]) => (
                <li key={path}>
                  <code className="text-xs">{path || "model"}</code>: {message}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        {unplaced && <Alert>Could not save the model: {unplaced}</Alert>}
        <FormActions
          label="Save as new version"
          pendingLabel="Saving…"
          pending={save.isPending}
          onCancel={onCancel}
        />
      </form>
    </Card>
  );
}

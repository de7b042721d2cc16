"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Alert, Button, Card, controlProps, Field, FormActions } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { MAX_DIMENSIONS, validateModel, type MaturityModel } from "~/server/maturity/model";
import { useWorkspace } from "../../../_components/workspace-context";
import { issuesByPath, issueUnder } from "../../_components/form-issues";
import { DimensionFields } from "./dimension-fields";
import { draftOf, emptyDimension, toDefinition, type DraftDimension, type ModelDraft } from "./draft";
import { LevelFields } from "./level-fields";
import { ModelIssueList } from "./model-issue-list";
import type { ModelIssues } from "./model-issues";

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
  const modelIssues: ModelIssues = { at: issueAt, in: (path) => issueUnder(issues, path) };

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

        <LevelFields id={id} draft={draft} update={update} issues={modelIssues} />

        {draft.dimensions.map((dimension, d) => (
          <DimensionFields
            key={`${d}-${dimension.added ? "new" : dimension.key}`}
            id={id}
            d={d}
            dimension={dimension}
            levels={draft.levels}
            setDimension={(change) => setDimension(d, change)}
            onRemove={
              draft.dimensions.length > 1
                ? () => update((x) => ({ ...x, dimensions: x.dimensions.filter((_, k) => k !== d) }))
                : undefined
            }
            issues={modelIssues}
          />
        ))}
        <Button
          variant="secondary"
          disabled={draft.dimensions.length >= MAX_DIMENSIONS}
          onClick={() => update((d) => ({ ...d, dimensions: [...d.dimensions, emptyDimension(d)] }))}
        >
          Add a dimension
        </Button>

        {issueList.length > 0 && <ModelIssueList issueList={issueList} />}
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

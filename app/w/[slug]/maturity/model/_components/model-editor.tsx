"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { FormProvider, useFieldArray, useForm, useWatch } from "react-hook-form";
import { Alert, Button, Card, controlProps, Field, FormActions } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { MAX_DIMENSIONS, type MaturityModel } from "~/server/maturity/model";
import { useWorkspace } from "../../../_components/workspace-context";
import { issuesByPath, issuesFromFieldErrors, issueUnder } from "../../_components/form-issues";
import { DimensionFields } from "./dimension-fields";
import { draftOf, emptyDimension, modelDraftSchema, type ModelDraft } from "./draft";
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
  const queryClient = useQueryClient();
  const save = useMutation(trpc.maturity.model.saveVersion.mutationOptions());
  const form = useForm<ModelDraft, unknown, MaturityModel>({
    defaultValues: draftOf(model),
    resolver: zodResolver(modelDraftSchema),
    // Problems are checked again at the next save, not at each key, and the
    // focus stays put: the list of problems does not change under the person's typing.
    reValidateMode: "onSubmit",
    shouldFocusError: false,
  });
  const dimensions = useFieldArray({ control: form.control, name: "dimensions" });
  const levels = useWatch({ control: form.control, name: "levels" });
  const issues = { ...issuesByPath(save.error), ...issuesFromFieldErrors(form.formState.errors) };
  // The server names paths in the definition; "definition" itself is the whole model.
  const issueAt = (path: string) => issues[path];
  const modelIssues: ModelIssues = { at: issueAt, in: (path) => issueUnder(issues, path) };

  const submit = form.handleSubmit(
    async (definition) => {
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
    },
    // The browser's check found problems: a refusal from an earlier save no longer applies.
    () => save.reset(),
  );

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
      <FormProvider {...form}>
        <form onSubmit={submit} noValidate className="mt-4 space-y-6">
          <Field id={`${id}-name`} label="Model name" error={issueAt("name")}>
            <input {...controlProps(`${id}-name`, { error: issueAt("name") })} {...form.register("name")} />
          </Field>

          <LevelFields id={id} issues={modelIssues} />

          {dimensions.fields.map((field, d) => (
            <DimensionFields
              key={field.id}
              id={id}
              d={d}
              levels={levels}
              onRemove={dimensions.fields.length > 1 ? () => dimensions.remove(d) : undefined}
              issues={modelIssues}
            />
          ))}
          <Button
            variant="secondary"
            disabled={dimensions.fields.length >= MAX_DIMENSIONS}
            onClick={() => dimensions.append(emptyDimension(form.getValues()))}
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
      </FormProvider>
    </Card>
  );
}

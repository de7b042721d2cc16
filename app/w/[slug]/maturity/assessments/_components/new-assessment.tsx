"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Card, controlProps, Field, FormActions, Options } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";

function today() {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** Title, date and model of a new assessment; opens it once created. */
export function NewAssessment({ onCancel }: { onCancel: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const models = useQuery(trpc.maturity.model.list.queryOptions({ workspaceId }));
  const [title, setTitle] = useState("");
  const [assessedOn, setAssessedOn] = useState(today);
  const [model, setModel] = useState("built-in");
  const create = useMutation(
    trpc.maturity.assessment.create.mutationOptions({
      onSuccess: ({ id }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.maturity.assessment.list.pathKey() });
        router.push(`/w/${slug}/maturity/assessments/${id}`);
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const formError = create.error && !errors.title && !errors.assessedOn ? errorMessage(create.error) : null;

  return (
    <Card className="p-4 sm:px-6">
      <form
        aria-labelledby="new-assessment-heading"
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = models.data?.find((m) => (m.modelId ?? "built-in") === model);
          create.mutate({
            workspaceId,
            title,
            assessedOn,
            modelId: chosen?.modelId ?? null,
            modelVersion: chosen?.version,
          });
        }}
      >
        <h3 id="new-assessment-heading" className="font-medium text-slate-900">
          New assessment
        </h3>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="assessment-title" label="Title" error={errors.title}>
            <input
              {...controlProps("assessment-title", { error: errors.title })}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder="e.g. Spring review 2027"
              maxLength={200}
              required
              autoFocus
            />
          </Field>
          <Field id="assessment-date" label="Date" error={errors.assessedOn}>
            <input
              {...controlProps("assessment-date", { error: errors.assessedOn })}
              type="date"
              value={assessedOn}
              onChange={(e) => setAssessedOn(e.target.value)}
              required
            />
          </Field>
          <Field
            id="assessment-model"
            label="Model"
            hint={
              models.error ? `Could not load the custom models: ${errorMessage(models.error)}` : undefined
            }
          >
            <select
              {...controlProps("assessment-model", { hasHint: Boolean(models.error) })}
              value={model}
              onChange={(e) => setModel(e.target.value)}
            >
              {models.data ? (
                <Options
                  items={models.data}
                  value={(m) => m.modelId ?? "built-in"}
                  label={(m) =>
                    `${m.name} (version ${m.version}${m.builtIn ? ", built in" : ""}; ${m.dimensions} dimensions)`
                  }
                />
              ) : (
                <option value="built-in">The built-in model</option>
              )}
            </select>
          </Field>
        </div>
        {formError && <Alert>{formError}</Alert>}
        <FormActions
          label="Create and open"
          pendingLabel="Creating…"
          pending={create.isPending}
          onCancel={onCancel}
        />
      </form>
    </Card>
  );
}

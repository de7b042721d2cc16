"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { Alert, controlProps, DataTable, Field, FormActions } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { ZReviewerNote } from "~/server/maturity/form-inputs";
import { useWorkspace } from "../../../_components/workspace-context";
import { useAssessmentChanged } from "./use-assessment-changed";
import { AgreementBadge } from "./badges";
import { levelLabel, overridesOf, type ReviewChoice } from "./sheet";
import type { Assessment } from "./types";

const finaliseFormSchema = z.object({
  /** Each dimension's final level: its consensus, a level of the reviewer's, or none. */
  choices: z.custom<Record<string, ReviewChoice>>(),
  note: ZReviewerNote,
});

/**
 * The reviewer's last look: each dimension's consensus, a level of their own
 * where they judge otherwise, and a note. Finalising fixes the levels.
 */
export function FinaliseDialog({ assessment, onClose }: { assessment: Assessment; onClose: () => void }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const changed = useAssessmentChanged(assessment.id);
  const dialog = useRef<HTMLDialogElement>(null);
  const model = assessment.model.definition;
  const form = useForm<z.input<typeof finaliseFormSchema>, unknown, z.output<typeof finaliseFormSchema>>({
    defaultValues: {
      choices: Object.fromEntries(assessment.dimensions.map((d) => [d.key, "consensus" as const])),
      note: "",
    },
    resolver: zodResolver(finaliseFormSchema),
    reValidateMode: "onSubmit",
  });
  const choices = useWatch({ control: form.control, name: "choices" });
  const noteError = form.formState.errors.note?.message;
  const finalise = useMutation(
    trpc.maturity.assessment.finalise.mutationOptions({
      onSuccess: async () => {
        await changed();
        onClose();
      },
    }),
  );

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  const finalLevels = Object.fromEntries(
    assessment.dimensions.map((d) => {
      const choice = choices[d.key] ?? "consensus";
      const level =
        choice === "consensus" ? (d.consensus?.level ?? null) : choice === "none" ? null : Number(choice);
      return [d.key, level];
    }),
  );
  const nothingScored = Object.values(finalLevels).every((level) => level === null);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="finalise-heading"
      onCancel={onClose}
      className="m-auto w-full max-w-4xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="space-y-4 p-6"
        onSubmit={form.handleSubmit(({ choices, note }) =>
          finalise.mutate({
            workspaceId,
            assessmentId: assessment.id,
            overrides: overridesOf(choices, assessment.levels),
            note,
          }),
        )}
      >
        <div>
          <h3 id="finalise-heading" className="text-lg font-semibold text-slate-900">
            Review and finalise “{assessment.title}”
          </h3>
          <p className="mt-1 text-sm text-slate-600">
            Each dimension takes its consensus (the median of the assessors&apos; levels) unless you choose a
            level of your own. Once finalised, the levels are fixed and join the scorecard&apos;s trend;
            scores and evidence can no longer change.
          </p>
        </div>
        <DataTable
          caption="Final level of each dimension"
          variant="boxed"
          boxClassName="max-h-[50vh]"
          columns={[{ label: "Dimension" }, { label: "Consensus" }, { label: "Final level" }]}
        >
          <tbody className="divide-y divide-slate-100">
            {assessment.dimensions.map((d) => (
              <tr key={d.key}>
                <th scope="row" className="px-3 py-2 font-medium text-slate-900">
                  {d.name}
                </th>
                <td className="px-3 py-2">
                  {d.consensus ? (
                    <span className="flex flex-wrap items-center gap-2">
                      {levelLabel(model.levels, d.consensus.level)}
                      <AgreementBadge agreement={d.consensus.agreement} />
                      <span className="text-xs text-slate-600">
                        spread {d.consensus.spread}, {d.consensus.assessors}{" "}
                        {d.consensus.assessors === 1 ? "assessor" : "assessors"}
                      </span>
                    </span>
                  ) : (
                    <span className="text-slate-500">not scored</span>
                  )}
                </td>
                <td className="px-3 py-2">
                  <label htmlFor={`final-${d.key}`} className="sr-only">
                    Final level of {d.name}
                  </label>
                  <select
                    {...controlProps(`final-${d.key}`)}
                    {...form.register(`choices.${d.key}`)}
                  >
                    <option value="consensus">
                      {d.consensus ? `Keep the consensus (level ${d.consensus.level})` : "Leave unscored"}
                    </option>
                    {model.levels.map((l) => (
                      <option key={l.level} value={String(l.level)}>
                        {levelLabel(model.levels, l.level)}
                      </option>
                    ))}
                    {d.consensus && <option value="none">Leave unscored</option>}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
        <Field
          id="finalise-note"
          label="Reviewer's note"
          hint="Optional: why a level differs from the consensus, what was agreed, what to look at next time."
          error={noteError}
        >
          <textarea
            {...controlProps("finalise-note", { hasHint: true, error: noteError })}
            rows={3}
            maxLength={5000}
            {...form.register("note")}
          />
        </Field>
        {nothingScored && (
          <Alert tone="info">No dimension has a level yet: score at least one, or choose a level here.</Alert>
        )}
        {finalise.error && <Alert>{errorMessage(finalise.error)}</Alert>}
        <FormActions
          label="Finalise assessment"
          pendingLabel="Finalising…"
          pending={finalise.isPending}
          disabled={nothingScored}
          onCancel={onClose}
        />
      </form>
    </dialog>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, controlProps, cx, Field } from "~/app/_components/ui";
import { errorMessage, fieldErrors, inputIssues } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { confidences, type Confidence } from "~/server/maturity/scoring";
import { useWorkspace } from "../../../_components/workspace-context";
import {
  draftIssues,
  draftOf,
  isChanged,
  scoreInput,
  serverIssues,
  type Draft,
  type SavedScore,
} from "./sheet";
import type { ModelDimension, ModelLevel } from "./types";
import { useAssessmentChanged } from "./use-assessment-changed";

/**
 * The caller's own sheet for one dimension: a level chosen against the
 * model's descriptors, a confidence, notes and evidence. Nothing is saved
 * until "Save my score"; the server keeps one sheet per assessor.
 */
export function ScoreSheet({
  assessmentId,
  dimension,
  levels,
  saved,
}: {
  assessmentId: string;
  dimension: ModelDimension;
  levels: readonly ModelLevel[];
  saved: SavedScore | undefined;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const changed = useAssessmentChanged(assessmentId);
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [checked, setChecked] = useState(false);
  const [savedNow, setSavedNow] = useState(false);
  const save = useMutation(
    trpc.maturity.assessment.saveScores.mutationOptions({
      onSuccess: async () => {
        setSavedNow(true);
        setChecked(false);
        await changed();
      },
    }),
  );
  const id = (field: string) => `${dimension.key}-${field}`;
  const local = checked ? draftIssues(draft) : {};
  const remote = save.error ? serverIssues(fieldErrors(save.error), inputIssues(save.error)) : {};
  const errors: Record<string, string | undefined> = { ...remote, ...local };
  const placed = Object.keys(remote).length > 0;
  const dirty = isChanged(draft, saved);

  function update(patch: Partial<Draft>) {
    setDraft({ ...draft, ...patch });
    setSavedNow(false);
  }

  return (
    <form
      noValidate
      aria-label={`Your score for ${dimension.name}`}
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setChecked(true);
        if (Object.keys(draftIssues(draft)).length > 0) return;
        save.mutate({ workspaceId, assessmentId, scores: [scoreInput(dimension.key, draft)] });
      }}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Your level</legend>
        <p className="text-xs text-slate-500">
          A dimension is at a level when that level&apos;s description, and every one below it, is true of the
          organisation.
        </p>
        <div className="space-y-2">
          {dimension.levels.map((cell) => {
            const selected = draft.level === cell.level;
            const name = levels.find((l) => l.level === cell.level)?.name;
            return (
              <label
                key={cell.level}
                className={cx(
                  "flex cursor-pointer gap-3 rounded-md border p-3 text-sm",
                  selected
                    ? "border-brand-600 bg-brand-50 ring-brand-600 ring-1"
                    : "border-slate-200 hover:bg-slate-50",
                )}
              >
                <input
                  type="radio"
                  name={id("level")}
                  value={cell.level}
                  checked={selected}
                  onChange={() => update({ level: cell.level })}
                  aria-labelledby={id(`level-${cell.level}-name`)}
                  aria-describedby={id(`level-${cell.level}-text`)}
                  className="mt-1"
                />
                <span className="min-w-0">
                  <span id={id(`level-${cell.level}-name`)} className="block font-medium text-slate-900">
                    Level {cell.level}
                    {name && ` · ${name}`}
                  </span>
                  <span id={id(`level-${cell.level}-text`)} className="mt-0.5 block text-slate-700">
                    {cell.descriptor}
                  </span>
                  {cell.evidence.length > 0 && (
                    <span className="mt-1 block text-xs text-slate-600">
                      Evidence would be, for example:
                      {cell.evidence.map((example) => (
                        <span key={example} className="block pl-3 -indent-3">
                          – {example}
                        </span>
                      ))}
                    </span>
                  )}
                </span>
              </label>
            );
          })}
          <label className="flex cursor-pointer items-center gap-3 rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-700">
            <input
              type="radio"
              name={id("level")}
              value=""
              checked={draft.level === null}
              onChange={() => update({ level: null })}
            />
            Not scored (skip this dimension)
          </label>
        </div>
        {errors.level && (
          <p className="text-xs text-red-700" role="alert">
            {errors.level}
          </p>
        )}
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-3">
        <Field id={id("confidence")} label="Confidence" error={errors.confidence}>
          <select
            {...controlProps(id("confidence"), { error: errors.confidence })}
            value={draft.confidence ?? ""}
            onChange={(e) => update({ confidence: (e.target.value || null) as Confidence | null })}
          >
            <option value="">Not given (counts as medium)</option>
            {confidences.map((c) => (
              <option key={c} value={c}>
                {c[0]!.toUpperCase() + c.slice(1)}
              </option>
            ))}
          </select>
        </Field>
        <div className="sm:col-span-2">
          <Field id={id("notes")} label="Notes" error={errors.notes}>
            <textarea
              {...controlProps(id("notes"), { error: errors.notes })}
              rows={2}
              maxLength={5000}
              value={draft.notes}
              onChange={(e) => update({ notes: e.target.value })}
            />
          </Field>
        </div>
      </div>
      <Field
        id={id("evidence")}
        label="Evidence"
        hint="What you saw that makes the level true: reports, figures, processes, systems."
        error={errors.evidenceText}
      >
        <textarea
          {...controlProps(id("evidence"), { error: errors.evidenceText, hasHint: true })}
          rows={3}
          maxLength={5000}
          value={draft.evidenceText}
          onChange={(e) => update({ evidenceText: e.target.value })}
        />
      </Field>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Evidence links</legend>
        {draft.links.length === 0 && <p className="text-xs text-slate-500">No links yet.</p>}
        {draft.links.map((link, i) => {
          const error = errors[`evidenceLinks.${i}`];
          return (
            <div key={i} className="space-y-1">
              <div className="flex gap-2">
                <label htmlFor={id(`link-${i}`)} className="sr-only">
                  Evidence link {i + 1}
                </label>
                <input
                  {...controlProps(id(`link-${i}`), { error })}
                  type="url"
                  inputMode="url"
                  placeholder="https://…"
                  value={link}
                  onChange={(e) =>
                    update({ links: draft.links.map((l, j) => (j === i ? e.target.value : l)) })
                  }
                />
                <Button
                  variant="secondary"
                  aria-label={`Remove link ${i + 1}`}
                  onClick={() => update({ links: draft.links.filter((_, j) => j !== i) })}
                >
                  Remove
                </Button>
              </div>
              {error && (
                <p id={`${id(`link-${i}`)}-error`} className="text-xs text-red-700">
                  {error}
                </p>
              )}
            </div>
          );
        })}
        {errors.evidenceLinks && <p className="text-xs text-red-700">{errors.evidenceLinks}</p>}
        {draft.links.length < 20 && (
          <Button variant="secondary" onClick={() => update({ links: [...draft.links, ""] })}>
            Add link
          </Button>
        )}
      </fieldset>

      {save.error && !placed && <Alert>Your score was not saved: {errorMessage(save.error)}</Alert>}
      {checked && Object.keys(local).length > 0 && (
        <Alert>Your score was not saved: correct the marked fields first.</Alert>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending || (!dirty && !save.error)}>
          {save.isPending ? "Saving…" : "Save my score"}
        </Button>
        <p aria-live="polite" className="text-sm text-slate-600">
          {savedNow && !dirty ? "Saved." : dirty ? "Unsaved changes." : ""}
        </p>
      </div>
    </form>
  );
}

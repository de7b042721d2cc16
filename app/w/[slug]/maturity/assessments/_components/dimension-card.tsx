"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, Card, controlProps, DataTable, Field } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDay } from "../../../_components/format";
import { Attachments } from "./attachments";
import { AgreementBadge } from "./badges";
import { DataEvidence } from "./data-evidence";
import { ScoreSheet } from "./score-sheet";
import { levelLabel } from "./sheet";
import type { Assessment, AssessmentDimension, DimensionEvidence, ModelDimension, ModelLevel } from "./types";
import { useAssessmentChanged } from "./use-assessment-changed";

/** One dimension of the assessment: the caller's sheet, everyone's scores, the data and the target. */
export function DimensionCard({
  assessment,
  dimension,
  definition,
  evidence,
  indicatorsAsOf,
  indicatorsLoading,
  canEdit,
}: {
  assessment: Assessment;
  dimension: AssessmentDimension;
  definition: ModelDimension;
  evidence: DimensionEvidence | null;
  indicatorsAsOf: string | null;
  indicatorsLoading: boolean;
  canEdit: boolean;
}) {
  const { userId } = useWorkspace();
  const open = assessment.status === "open";
  const levels = assessment.model.definition.levels;
  const own = assessment.assessors.find((a) => a.id === userId)?.scores[dimension.key];
  const headingId = `dimension-${dimension.key}-heading`;
  const { consensus, final } = dimension;

  return (
    <Card id={`dimension-${dimension.key}`} aria-labelledby={headingId} className="scroll-mt-4">
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 px-4 py-3 sm:px-6">
        <div className="min-w-0">
          <h3 id={headingId} className="text-lg font-semibold text-slate-900">
            {dimension.name}
          </h3>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{definition.description}</p>
        </div>
        <dl className="grid grid-cols-[auto_auto] gap-x-3 gap-y-1 text-sm">
          {final ? (
            <>
              <dt className="text-slate-500">Final level</dt>
              <dd className="font-medium text-slate-900" data-testid={`final-${dimension.key}`}>
                {final.level === null ? "not scored" : levelLabel(levels, final.level)}
                {final.overridden && (
                  <span className="block text-xs font-normal text-slate-600">
                    set by the reviewer; the consensus was{" "}
                    {final.consensusLevel === null ? "none" : `level ${final.consensusLevel}`}
                  </span>
                )}
              </dd>
            </>
          ) : null}
          <dt className="text-slate-500">Consensus</dt>
          <dd className="text-slate-900" data-testid={`consensus-${dimension.key}`}>
            {consensus ? (
              <>
                {levelLabel(levels, consensus.level)}
                {consensus.tied && (
                  <span className="block text-xs text-slate-600">the lower of the two middle scores</span>
                )}
              </>
            ) : (
              <span className="text-slate-500">nobody has scored it</span>
            )}
          </dd>
          {consensus && (
            <>
              <dt className="text-slate-500">Agreement</dt>
              <dd className="flex items-center gap-2" data-testid={`agreement-${dimension.key}`}>
                <AgreementBadge agreement={consensus.agreement} />
                <span className="text-xs text-slate-600">
                  spread {consensus.spread} across {consensus.assessors}{" "}
                  {consensus.assessors === 1 ? "assessor" : "assessors"}
                </span>
              </dd>
            </>
          )}
        </dl>
      </div>

      <div className="grid gap-6 p-4 sm:px-6 lg:grid-cols-5">
        <div className="space-y-4 lg:col-span-3">
          {canEdit && open ? (
            <ScoreSheet assessmentId={assessment.id} dimension={definition} levels={levels} saved={own} />
          ) : (
            <LevelDescriptors dimension={definition} levels={levels} />
          )}
        </div>
        <div className="space-y-6 lg:col-span-2">
          <DataEvidence
            evidence={evidence}
            asOf={indicatorsAsOf}
            loading={indicatorsLoading}
            levels={levels}
            dimensionKey={dimension.key}
          />
          <Target assessment={assessment} dimension={dimension} levels={levels} canEdit={canEdit} />
        </div>
      </div>

      <div className="space-y-6 border-t border-slate-200 p-4 sm:px-6">
        <Scores assessment={assessment} dimension={dimension} levels={levels} />
        <Attachments
          assessmentId={assessment.id}
          dimensionKey={dimension.key}
          dimensionName={dimension.name}
          files={dimension.attachments}
          canChange={canEdit && open}
        />
      </div>
    </Card>
  );
}

/** For readers: what each level of the dimension means, folded away. */
function LevelDescriptors({
  dimension,
  levels,
}: {
  dimension: ModelDimension;
  levels: readonly ModelLevel[];
}) {
  return (
    <details className="rounded-md border border-slate-200 p-3 text-sm">
      <summary className="cursor-pointer font-medium text-slate-700">What each level means</summary>
      <dl className="mt-2 space-y-2">
        {dimension.levels.map((cell) => (
          <div key={cell.level}>
            <dt className="font-medium text-slate-900">{levelLabel(levels, cell.level)}</dt>
            <dd className="text-slate-700">{cell.descriptor}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** Every assessor's score on the dimension, side by side. */
function Scores({
  assessment,
  dimension,
  levels,
}: {
  assessment: Assessment;
  dimension: AssessmentDimension;
  levels: readonly ModelLevel[];
}) {
  const rows = assessment.assessors.flatMap((assessor) => {
    const score = assessor.scores[dimension.key];
    return score ? [{ assessor, score }] : [];
  });
  return (
    <div className="space-y-2">
      <h4 className="text-sm font-medium text-slate-700">Assessors&apos; scores</h4>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">Nobody has scored this dimension yet.</p>
      ) : (
        <DataTable
          caption={`Assessors' scores for ${dimension.name}`}
          variant="boxed"
          columns={[
            { label: "Assessor" },
            { label: "Level" },
            { label: "Confidence" },
            { label: "Notes" },
            { label: "Evidence" },
          ]}
        >
          <tbody className="divide-y divide-slate-100 align-top">
            {rows.map(({ assessor, score }) => (
              <tr key={assessor.id}>
                <th scope="row" className="px-3 py-2 font-medium whitespace-nowrap text-slate-900">
                  {assessor.name}
                </th>
                <td className="px-3 py-2 whitespace-nowrap">
                  {score.level === null ? (
                    <span className="text-slate-500">skipped</span>
                  ) : (
                    levelLabel(levels, score.level)
                  )}
                </td>
                <td className="px-3 py-2">{score.confidence ?? <span className="text-slate-500">—</span>}</td>
                <td className="px-3 py-2 whitespace-pre-line">
                  {score.notes || <span className="text-slate-500">—</span>}
                </td>
                <td className="px-3 py-2">
                  {score.evidenceText && <p className="whitespace-pre-line">{score.evidenceText}</p>}
                  {score.evidenceLinks.length > 0 && (
                    <ul className="mt-1 space-y-0.5">
                      {score.evidenceLinks.map((link) => (
                        <li key={link} className="break-all">
                          <a
                            href={link}
                            target="_blank"
                            rel="noreferrer noopener"
                            className="text-brand-700 underline"
                          >
                            {link}
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                  {!score.evidenceText && score.evidenceLinks.length === 0 && (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </div>
  );
}

/** The level to reach and by when; editors change it, also once final (targets are plans, not findings). */
function Target({
  assessment,
  dimension,
  levels,
  canEdit,
}: {
  assessment: Assessment;
  dimension: AssessmentDimension;
  levels: readonly ModelLevel[];
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const changed = useAssessmentChanged(assessment.id);
  const [level, setLevel] = useState(dimension.target ? String(dimension.target.level) : "");
  const [date, setDate] = useState(dimension.target?.date ?? "");
  const save = useMutation(
    trpc.maturity.assessment.setTarget.mutationOptions({ onSuccess: () => changed() }),
  );
  const errors = fieldErrors(save.error);
  const id = (field: string) => `${dimension.key}-target-${field}`;
  const current = dimension.target;
  const unchanged = level === (current ? String(current.level) : "") && date === (current?.date ?? "");

  const summary = current ? (
    <p className="text-sm text-slate-800" data-testid={`target-${dimension.key}`}>
      {levelLabel(levels, current.level)}
      {current.date ? `, by ${formatDay(current.date)}` : ", no date set"}
    </p>
  ) : (
    <p className="text-sm text-slate-500" data-testid={`target-${dimension.key}`}>
      No target set.
    </p>
  );
  if (!canEdit)
    return (
      <div className="space-y-1">
        <h4 className="text-sm font-medium text-slate-700">Target</h4>
        {summary}
      </div>
    );
  return (
    <form
      aria-label={`Target for ${dimension.name}`}
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          workspaceId,
          assessmentId: assessment.id,
          dimensionKey: dimension.key,
          targetLevel: level ? Number(level) : null,
          targetDate: level && date ? date : null,
        });
      }}
    >
      <h4 className="text-sm font-medium text-slate-700">Target</h4>
      {summary}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={id("level")} label="Target level" error={errors.targetLevel}>
          <select
            {...controlProps(id("level"), { error: errors.targetLevel })}
            value={level}
            onChange={(e) => setLevel(e.target.value)}
          >
            <option value="">No target</option>
            {levels.map((l) => (
              <option key={l.level} value={String(l.level)}>
                {levelLabel(levels, l.level)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("date")} label="Target date" error={errors.targetDate}>
          <input
            {...controlProps(id("date"), { error: errors.targetDate })}
            type="date"
            value={date}
            disabled={!level}
            onChange={(e) => setDate(e.target.value)}
          />
        </Field>
      </div>
      {save.error && !errors.targetLevel && !errors.targetDate && <Alert>{errorMessage(save.error)}</Alert>}
      <Button type="submit" variant="secondary" disabled={save.isPending || unchanged}>
        {save.isPending ? "Saving…" : "Save target"}
      </Button>
    </form>
  );
}

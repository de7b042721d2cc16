"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, ButtonLink, Card, DangerConfirm, DataTable, LoadingRows } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDateTime } from "../../../_components/dates";
import { formatDay } from "../../../_components/format";
import { AgreementBadge, formatIndex, StatusBadge } from "./badges";
import { DimensionCard } from "./dimension-card";
import { FinaliseDialog } from "./finalise-dialog";
import { levelLabel } from "./sheet";
import type { Assessment } from "./types";

/**
 * /maturity/assessments/[id]: per dimension the caller's own sheet, every
 * assessor's score with the consensus, the evidence from data and the target;
 * the index and gaps above; finalising for editors while it is open.
 */
export function AssessmentPage({
  id,
  canEdit,
  canRemove,
}: {
  id: string;
  canEdit: boolean;
  canRemove: boolean;
}) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const assessment = useQuery({
    ...trpc.maturity.assessment.get.queryOptions({ workspaceId, id }),
    retry: false,
  });
  const indicators = useQuery(trpc.maturity.indicators.queryOptions({ workspaceId, assessmentId: id }));

  if (assessment.isPending) return <LoadingRows rows={8} label="Loading the assessment" />;
  if (!assessment.data) {
    return (
      <div className="space-y-3">
        <Alert>{errorMessage(assessment.error)}</Alert>
        <ButtonLink href={`/w/${slug}/maturity/assessments`} variant="secondary">
          Back to the assessments
        </ButtonLink>
      </div>
    );
  }
  const data = assessment.data;
  const model = data.model.definition;
  return (
    <div className="space-y-6">
      <Header assessment={data} canEdit={canEdit} canRemove={canRemove} />
      <LevelsTable assessment={data} />
      {indicators.error && (
        <Alert>Could not compute the indicators from data: {errorMessage(indicators.error)}</Alert>
      )}
      {data.dimensions.map((dimension) => {
        const definition = model.dimensions.find((d) => d.key === dimension.key);
        if (!definition) return null;
        return (
          <DimensionCard
            key={dimension.key}
            assessment={data}
            dimension={dimension}
            definition={definition}
            evidence={indicators.data?.dimensions.find((e) => e.dimensionKey === dimension.key) ?? null}
            indicatorsAsOf={indicators.data?.asOf ?? null}
            indicatorsLoading={indicators.isPending}
            canEdit={canEdit}
          />
        );
      })}
    </div>
  );
}

function Header({
  assessment,
  canEdit,
  canRemove,
}: {
  assessment: Assessment;
  canEdit: boolean;
  canRemove: boolean;
}) {
  const { slug } = useWorkspace();
  const [reviewing, setReviewing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const open = assessment.status === "open";
  const model = assessment.model.definition;
  const { index } = assessment;
  const scored = index.scored.length;
  const total = model.dimensions.length;

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/w/${slug}/maturity/assessments`} className="text-brand-700 hover:underline">
          Assessments
        </Link>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h2 className="flex flex-wrap items-center gap-3 text-xl font-semibold text-slate-900">
            {assessment.title}
            <StatusBadge status={assessment.status} />
          </h2>
          <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm">
            <div className="flex gap-1">
              <dt className="text-slate-500">Date</dt>
              <dd className="text-slate-800">{formatDay(assessment.assessedOn)}</dd>
            </div>
            <div className="flex gap-1">
              <dt className="text-slate-500">Model</dt>
              <dd className="text-slate-800">
                {model.name}, version {assessment.model.version}
              </dd>
            </div>
            <div className="flex gap-1">
              <dt className="text-slate-500">Assessors</dt>
              <dd className="text-slate-800">
                {assessment.assessors.length > 0
                  ? assessment.assessors.map((a) => a.name).join(", ")
                  : "none yet"}
              </dd>
            </div>
          </dl>
        </div>
        {open && (canEdit || canRemove) && (
          <div className="flex flex-wrap gap-2">
            {canEdit && (
              <Button onClick={() => setReviewing(true)} disabled={reviewing}>
                Finalise…
              </Button>
            )}
            {canRemove && (
              <Button variant="danger" onClick={() => setRemoving(true)} disabled={removing}>
                Remove
              </Button>
            )}
          </div>
        )}
      </header>
      {removing && <RemoveConfirm assessment={assessment} onCancel={() => setRemoving(false)} />}
      {reviewing && <FinaliseDialog assessment={assessment} onClose={() => setReviewing(false)} />}

      <div className="grid gap-4 md:grid-cols-3">
        <Card className="p-4" aria-labelledby="index-heading">
          <h3 id="index-heading" className="text-sm font-medium text-slate-600">
            Maturity index
          </h3>
          <p
            className="mt-1 text-3xl font-semibold text-slate-900 tabular-nums"
            data-testid="assessment-index"
          >
            {formatIndex(index.index)}
            <span className="text-base font-normal text-slate-500"> / 100</span>
          </p>
          <p className="mt-1 text-xs text-slate-600">
            {open ? "From the consensus so far" : "From the final levels"}: {scored} of {total} dimensions
            scored
            {index.missing.length > 0 && " (the others are left out, not counted as level 1)"}.
          </p>
        </Card>
        <Card className="p-4 md:col-span-2" aria-labelledby="gaps-heading">
          <h3 id="gaps-heading" className="text-sm font-medium text-slate-600">
            Gaps to target
          </h3>
          {assessment.gaps.filter((g) => g.gap > 0).length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">
              {assessment.gaps.length === 0
                ? "No dimension has both a level and a target yet."
                : "Every dimension with a target has reached it."}
            </p>
          ) : (
            <ul className="mt-1 space-y-1 text-sm">
              {assessment.gaps
                .filter((g) => g.gap > 0)
                .map((g) => (
                  <li key={g.dimensionKey}>
                    <a
                      href={`#dimension-${g.dimensionKey}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      {g.name}
                    </a>
                    : level {g.current} → {g.target} (gap {g.gap})
                    {g.targetDate && <> by {formatDay(g.targetDate)}</>}
                    {g.overdue && <span className="ml-1 font-medium text-red-700">overdue</span>}
                  </li>
                ))}
            </ul>
          )}
        </Card>
      </div>

      {!open && (
        <Alert tone="info">
          Finalised{assessment.finalisedBy && <> by {assessment.finalisedBy.name}</>}
          {assessment.finalisedAt && <> on {formatDateTime(assessment.finalisedAt)}</>}. The final levels
          below are fixed; scores and evidence can no longer change.
          {assessment.finalNote && (
            <span className="mt-1 block">
              Reviewer&apos;s note: <q>{assessment.finalNote}</q>
            </span>
          )}
        </Alert>
      )}
    </div>
  );
}

/** One line per dimension: the level the index uses, how far the assessors agree, and the target. */
function LevelsTable({ assessment }: { assessment: Assessment }) {
  const model = assessment.model.definition;
  const open = assessment.status === "open";
  return (
    <Card className="p-4 sm:px-6">
      <DataTable
        caption={open ? "Consensus by dimension" : "Final levels by dimension"}
        columns={[
          { label: "Dimension" },
          { label: open ? "Consensus" : "Final level" },
          { label: "Agreement" },
          { label: "Target" },
        ]}
      >
        <tbody className="divide-y divide-slate-100">
          {assessment.dimensions.map((d) => {
            const level = assessment.levels[d.key] ?? null;
            return (
              <tr key={d.key}>
                <td className="py-2 pr-4 pl-4 sm:pl-0">
                  <a
                    href={`#dimension-${d.key}`}
                    className="hover:text-brand-700 font-medium text-slate-900 hover:underline"
                  >
                    {d.name}
                  </a>
                </td>
                <td className="py-2 pr-4">
                  {level === null ? (
                    <span className="text-slate-500">not scored</span>
                  ) : (
                    levelLabel(model.levels, level)
                  )}
                </td>
                <td className="py-2 pr-4">
                  {d.consensus ? (
                    <span className="inline-flex items-center gap-2">
                      <AgreementBadge agreement={d.consensus.agreement} />
                      <span className="text-xs text-slate-600">spread {d.consensus.spread}</span>
                    </span>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
                <td className="py-2 sm:pr-0">
                  {d.target ? (
                    <>
                      Level {d.target.level}
                      {d.target.date && (
                        <span className="text-slate-600"> by {formatDay(d.target.date)}</span>
                      )}
                    </>
                  ) : (
                    <span className="text-slate-500">none</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </DataTable>
    </Card>
  );
}

function RemoveConfirm({ assessment, onCancel }: { assessment: Assessment; onCancel: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const remove = useMutation(
    trpc.maturity.assessment.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.maturity.assessment.list.pathKey() });
        router.push(`/w/${slug}/maturity/assessments`);
      },
    }),
  );
  return (
    <DangerConfirm
      title={`Remove “${assessment.title}”?`}
      error={remove.error ? errorMessage(remove.error) : null}
      pending={remove.isPending}
      confirmLabel="Remove assessment"
      pendingLabel="Removing…"
      onConfirm={() => remove.mutate({ workspaceId, id: assessment.id })}
      onCancel={onCancel}
    >
      Every assessor&apos;s scores, evidence, files and targets go with it. This cannot be undone.
    </DangerConfirm>
  );
}

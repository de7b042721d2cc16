"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Button, Card, DataTable } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDay } from "../../../_components/format";
import { formatIndex, StatusBadge } from "./badges";
import { NewAssessment } from "./new-assessment";

/** Every assessment of the workspace, newest first, and (for editors) the form that starts one. */
export function AssessmentList({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const list = useQuery(trpc.maturity.assessment.list.queryOptions({ workspaceId }));
  const [creating, setCreating] = useState(false);

  return (
    <section aria-labelledby="assessments-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="assessments-heading" className="text-lg font-semibold text-slate-900">
            Assessments
          </h2>
          <p className="max-w-3xl text-sm text-slate-600">
            Each assessment scores the workspace against one version of a maturity model at a date. Assessors
            score every dimension on their own sheet with evidence; a reviewer finalises it, and the final
            levels make the scorecard&apos;s trend.
          </p>
        </div>
        {canEdit && !creating && <Button onClick={() => setCreating(true)}>New assessment</Button>}
      </div>
      {creating && <NewAssessment onCancel={() => setCreating(false)} />}
      <QueryView
        query={list}
        what="the assessments"
        loadingRows={4}
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "No assessments yet",
          body: canEdit
            ? "Start one with “New assessment”: give it a title and a date, and pick the model to score against."
            : "Editors and admins start assessments; their results will show here and on the scorecard.",
        }}
      >
        {(data) => (
          <Card className="p-4 sm:px-6">
            <DataTable
              caption="Maturity assessments, newest first"
              columns={[
                { label: "Assessment" },
                { label: "Date" },
                { label: "Model" },
                { label: "Status" },
                { label: "Assessors", align: "right" },
                { label: "Index", align: "right" },
              ]}
            >
              <tbody className="divide-y divide-slate-100">
                {data.map((a) => (
                  <tr key={a.id}>
                    <td className="py-3 pr-4 pl-4 sm:pl-0">
                      <Link
                        href={`/w/${slug}/maturity/assessments/${a.id}`}
                        className="hover:text-brand-700 font-medium text-slate-900 hover:underline"
                      >
                        {a.title}
                      </Link>
                    </td>
                    <td className="py-3 pr-4 whitespace-nowrap">{formatDay(a.assessedOn)}</td>
                    <td className="py-3 pr-4">
                      {a.modelName} <span className="text-slate-500">v{a.modelVersion}</span>
                    </td>
                    <td className="py-3 pr-4">
                      <StatusBadge status={a.status} />
                    </td>
                    <td className="py-3 pr-4 text-right tabular-nums">{a.assessors}</td>
                    <td className="py-3 text-right tabular-nums sm:pr-0">
                      {a.status === "final" ? (
                        formatIndex(a.index)
                      ) : (
                        <span className="text-slate-500" title="Fixed when the assessment is finalised">
                          —<span className="sr-only">not final yet</span>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          </Card>
        )}
      </QueryView>
    </section>
  );
}

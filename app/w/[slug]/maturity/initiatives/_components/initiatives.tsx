"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useId, useState } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Alert, Button, Card, controlProps, Field, Options } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { InitiativeStatus } from "~/db/enums";
import { builtInModel } from "~/server/maturity/model";
import type { AppRouter } from "~/server/root";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDay } from "../../../_components/format";
import {
  initiativeStatuses,
  OverdueBadge,
  StatusBadge,
  statusLabels,
} from "../../_components/initiative-status";
import { isOverdue, todayIso } from "../../_components/scorecard-figures";
import { groupInitiatives, type GroupBy } from "./grouping";
import { InitiativeForm } from "./initiative-form";
import { initiativeListParams } from "./list-params";

export type Initiative = inferRouterOutputs<AppRouter>["maturity"]["initiative"]["list"][number];

/** The dimensions initiatives are filed under: those of the model of the latest final assessment, else the built-in model's. */
function useDimensions() {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const scorecard = useQuery(trpc.maturity.scorecard.queryOptions({ workspaceId }));
  const fromScorecard = scorecard.data?.dimensions ?? [];
  return fromScorecard.length > 0 ? fromScorecard : builtInModel.dimensions;
}

export function Initiatives({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const list = useQuery(trpc.maturity.initiative.list.queryOptions({ workspaceId }));
  const dimensions = useDimensions();
  // Each change is a step of the browser's history, so the back button undoes it.
  const [listParams, setListParams] = useQueryStates(initiativeListParams, { history: "push" });
  const groupBy: GroupBy = listParams.group;
  const status: InitiativeStatus | "all" = listParams.status ?? "all";
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const ids = useId();

  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.maturity.initiative.list.queryKey() }),
      // The scorecard lists the initiatives on each gap.
      queryClient.invalidateQueries({ queryKey: trpc.maturity.scorecard.queryKey() }),
    ]);
  const remove = useMutation(
    trpc.maturity.initiative.remove.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        setNotice("The initiative was removed.");
      },
    }),
  );

  const closeForm = (message?: string) => {
    setEditing(null);
    if (message) setNotice(message);
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <p className="max-w-3xl text-sm text-slate-600">
          The actions that close a dimension&apos;s gap to its target, with who owns them, where they stand
          and the segments and journeys that deliver them. They carry over from one assessment to the next.
        </p>
        {canEdit && editing !== "new" && (
          <Button
            onClick={() => {
              setNotice(null);
              setEditing("new");
            }}
          >
            New initiative
          </Button>
        )}
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {remove.error && <Alert>Could not remove the initiative: {errorMessage(remove.error)}</Alert>}
      {editing === "new" && (
        <InitiativeForm
          dimensions={dimensions}
          onDone={async (message) => {
            await invalidate();
            closeForm(message);
          }}
          onCancel={() => closeForm()}
        />
      )}
      <div className="flex flex-wrap gap-4">
        <div className="w-48">
          <Field id={`${ids}-group`} label="Group by">
            <select
              {...controlProps(`${ids}-group`)}
              value={groupBy}
              onChange={(e) => void setListParams({ group: e.target.value as GroupBy })}
            >
              <option value="dimension">Dimension</option>
              <option value="status">Status</option>
            </select>
          </Field>
        </div>
        <div className="w-48">
          <Field id={`${ids}-status`} label="Filter by status">
            <select
              {...controlProps(`${ids}-status`)}
              value={status}
              onChange={(e) =>
                void setListParams({
                  status: e.target.value === "all" ? null : (e.target.value as InitiativeStatus),
                })
              }
            >
              <option value="all">All statuses</option>
              <Options items={initiativeStatuses} value={(s) => s} label={(s) => statusLabels[s]} />
            </select>
          </Field>
        </div>
      </div>
      <QueryView
        query={list}
        what="the initiatives"
        loadingRows={4}
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "No initiatives yet",
          body: canEdit
            ? "Add one for each gap on the scorecard: what will be done, by whom and by when."
            : "Editors add the actions that close each dimension's gap; they will be listed here.",
        }}
      >
        {(data) => {
          const shown = status === "all" ? data : data.filter((i) => i.status === status);
          const groups = groupInitiatives(shown, groupBy, dimensions);
          if (groups.length === 0)
            return (
              <p className="text-sm text-slate-600" role="status">
                No initiative is {statusLabels[status as InitiativeStatus].toLowerCase()}.
              </p>
            );
          return (
            <div className="space-y-6">
              {groups.map((group) => (
                <section key={group.key} aria-labelledby={`${ids}-${group.key}`} className="space-y-2">
                  <h2 id={`${ids}-${group.key}`} className="font-medium text-slate-900">
                    {group.title}{" "}
                    <span className="text-sm font-normal text-slate-500">({group.items.length})</span>
                  </h2>
                  <ul className="space-y-3">
                    {group.items.map((initiative) =>
                      editing === initiative.id ? (
                        <li key={initiative.id}>
                          <InitiativeForm
                            initiative={initiative}
                            dimensions={dimensions}
                            onDone={async (message) => {
                              await invalidate();
                              closeForm(message);
                            }}
                            onCancel={() => closeForm()}
                          />
                        </li>
                      ) : (
                        <InitiativeItem
                          key={initiative.id}
                          initiative={initiative}
                          dimensionName={
                            groupBy === "status"
                              ? (dimensions.find((d) => d.key === initiative.dimensionKey)?.name ??
                                initiative.dimensionKey)
                              : null
                          }
                          canEdit={canEdit}
                          removing={remove.isPending && remove.variables?.id === initiative.id}
                          onEdit={() => {
                            setNotice(null);
                            setEditing(initiative.id);
                          }}
                          onRemove={() => {
                            if (window.confirm(`Remove the initiative “${initiative.title}”?`)) {
                              setNotice(null);
                              remove.mutate({ workspaceId, id: initiative.id });
                            }
                          }}
                        />
                      ),
                    )}
                  </ul>
                </section>
              ))}
            </div>
          );
        }}
      </QueryView>
    </div>
  );
}

function InitiativeItem({
  initiative,
  dimensionName,
  canEdit,
  removing,
  onEdit,
  onRemove,
}: {
  initiative: Initiative;
  /** Shown when the list is not grouped by dimension. */
  dimensionName: string | null;
  canEdit: boolean;
  removing: boolean;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const { slug } = useWorkspace();
  const overdue = isOverdue(initiative.dueDate, initiative.status, todayIso());
  return (
    <li>
      <Card className="p-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <h3 className="font-medium text-slate-900">{initiative.title}</h3>
            {dimensionName && <p className="text-xs text-slate-500">{dimensionName}</p>}
            {initiative.description && (
              <p className="max-w-3xl text-sm whitespace-pre-line text-slate-600">{initiative.description}</p>
            )}
          </div>
          {canEdit && (
            <div className="flex gap-2">
              <Button variant="secondary" onClick={onEdit}>
                Edit<span className="sr-only"> “{initiative.title}”</span>
              </Button>
              <Button variant="danger" onClick={onRemove} disabled={removing}>
                {removing ? "Removing…" : "Remove"}
                <span className="sr-only"> “{initiative.title}”</span>
              </Button>
            </div>
          )}
        </div>
        <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          <div className="flex items-center gap-2">
            <dt className="text-slate-500">Status</dt>
            <dd>
              <StatusBadge status={initiative.status} />
            </dd>
          </div>
          <div className="flex items-center gap-2">
            <dt className="text-slate-500">Owner</dt>
            <dd className="text-slate-800">{initiative.owner?.name ?? "Nobody yet"}</dd>
          </div>
          <div className="flex items-center gap-2">
            <dt className="text-slate-500">Due</dt>
            <dd className="flex items-center gap-2 text-slate-800">
              {initiative.dueDate ? formatDay(initiative.dueDate) : "No date"}
              {overdue && <OverdueBadge />}
            </dd>
          </div>
          {initiative.links.length > 0 && (
            <div className="flex flex-wrap items-center gap-2">
              <dt className="text-slate-500">Delivered by</dt>
              <dd>
                <ul className="flex flex-wrap gap-x-3 gap-y-1">
                  {initiative.links.map((link) => (
                    <li key={`${link.kind}:${link.targetId}`}>
                      <Link
                        href={`/w/${slug}/${link.kind === "segment" ? "segments" : "journeys"}/${link.targetId}`}
                        className="text-brand-700 underline"
                      >
                        {link.name}
                      </Link>{" "}
                      <span className="text-xs text-slate-500">({link.kind})</span>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
        </dl>
      </Card>
    </li>
  );
}

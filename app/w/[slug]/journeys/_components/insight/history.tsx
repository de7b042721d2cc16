"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Alert, Button, controlProps, Field } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { AppRouter } from "~/server/root";
import { formatDateTime, relativeTime } from "../../../_components/dates";
import { describeChange, groupChanges, summarizeChanges } from "./change-list";
import { personLabel } from "./people";

type Version = inferRouterOutputs<AppRouter>["journey"]["versions"][number];
/** A side of the comparison: a published version's number, or the draft. */
type Side = number | "draft";

const sideLabel = (side: Side) => (side === "draft" ? "the draft" : `version ${side}`);

/**
 * The journey's published versions (newest first, with the draft on top when
 * it has unpublished changes), the diff between any two, and restoring an old
 * version as the draft.
 */
export function JourneyHistory({
  workspaceId,
  journeyId,
  canEdit,
  onRestored,
}: {
  workspaceId: string;
  journeyId: string;
  canEdit: boolean;
  onRestored: () => void;
}) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.journey.versions.queryOptions({ workspaceId, id: journeyId }));
  const journey = useQuery(trpc.journey.get.queryOptions({ workspaceId, id: journeyId }));
  const hasDraft = journey.data?.hasUnpublishedChanges ?? false;

  return (
    <section aria-labelledby="journey-history-heading" className="space-y-4">
      <div>
        <h2 id="journey-history-heading" className="text-lg font-semibold text-slate-900">
          Version history
        </h2>
        <p className="text-sm text-slate-600">
          Publishing freezes a version. Compare any two, or restore an old one as the draft.
        </p>
      </div>
      <QueryView
        query={versions}
        what="the versions"
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "Not published yet",
          body: "The first publish freezes version 1; each publish after it adds a version here, with who published it and when.",
        }}
      >
        {(data) => (
          <>
            <VersionList
              workspaceId={workspaceId}
              journeyId={journeyId}
              versions={data}
              hasDraft={hasDraft}
              canEdit={canEdit}
              onRestored={onRestored}
            />
            <Comparison workspaceId={workspaceId} journeyId={journeyId} versions={data} hasDraft={hasDraft} />
          </>
        )}
      </QueryView>
    </section>
  );
}

function VersionList({
  workspaceId,
  journeyId,
  versions,
  hasDraft,
  canEdit,
  onRestored,
}: {
  workspaceId: string;
  journeyId: string;
  versions: Version[];
  hasDraft: boolean;
  canEdit: boolean;
  onRestored: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<number | null>(null);
  const restore = useMutation(
    trpc.journey.restore.mutationOptions({
      onSuccess: async () => {
        setConfirming(null);
        await queryClient.invalidateQueries({ queryKey: trpc.journey.pathKey() });
        onRestored();
      },
    }),
  );
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const latest = newestFirst[0]?.version;

  return (
    <div className="space-y-3">
      <ol aria-label="Versions" className="divide-y divide-slate-100 rounded-md border border-slate-200">
        {hasDraft && (
          <li className="flex flex-wrap items-baseline gap-x-3 px-3 py-2 text-sm">
            <span className="font-medium text-slate-900">Draft</span>
            <span className="text-slate-600">(unpublished changes)</span>
          </li>
        )}
        {newestFirst.map((v) => {
          // Restoring the latest version is only a change when the draft has moved on from it.
          const restorable = canEdit && (v.version !== latest || hasDraft);
          return (
            <li key={v.version} className="space-y-1 px-3 py-2 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <p className="min-w-0">
                  <span className="font-medium text-slate-900">Version {v.version}</span>
                  {v.version === latest && (
                    <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
                      published
                    </span>
                  )}
                  <span className="block text-slate-600">
                    {personLabel(v.publishedBy)},{" "}
                    <time dateTime={v.publishedAt.toISOString()} title={formatDateTime(v.publishedAt)}>
                      {relativeTime(v.publishedAt)}
                    </time>
                  </span>
                </p>
                {restorable && (
                  <Button
                    variant="secondary"
                    className="px-2 py-1 text-xs"
                    aria-label={`Restore version ${v.version} as draft`}
                    disabled={restore.isPending}
                    onClick={() => {
                      restore.reset();
                      setConfirming(v.version);
                    }}
                  >
                    Restore as draft
                  </Button>
                )}
              </div>
              {v.note && <p className="whitespace-pre-wrap text-slate-700">{v.note}</p>}
            </li>
          );
        })}
      </ol>
      {confirming !== null && (
        <div
          role="alertdialog"
          aria-labelledby="restore-title"
          aria-describedby="restore-body"
          className="rounded-lg border border-amber-200 bg-amber-50 p-4"
        >
          <h3 id="restore-title" className="font-medium text-amber-900">
            Restore version {confirming} as the draft?
          </h3>
          <p id="restore-body" className="mt-1 text-sm text-amber-900">
            The draft is replaced by version {confirming}&rsquo;s design
            {hasDraft ? ", and its unpublished changes are lost" : ""}. The published versions stay as they
            are; publish the draft to make it the live version.
          </p>
          {restore.error && (
            <div className="mt-3">
              <Alert>Could not restore: {errorMessage(restore.error)}</Alert>
            </div>
          )}
          <div className="mt-3 flex gap-2">
            <Button
              autoFocus
              disabled={restore.isPending}
              onClick={() => restore.mutate({ workspaceId, id: journeyId, version: confirming })}
            >
              {restore.isPending ? "Restoring…" : `Restore version ${confirming}`}
            </Button>
            <Button variant="secondary" disabled={restore.isPending} onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

/** The default comparison: what the draft changes in the latest version, else what the latest changed. */
function defaultSides(versions: Version[], hasDraft: boolean): { from: Side; to: Side } | null {
  const numbers = versions.map((v) => v.version).sort((a, b) => b - a);
  const [latest, previous] = numbers;
  if (latest === undefined) return null;
  if (hasDraft) return { from: latest, to: "draft" };
  if (previous === undefined) return null;
  return { from: previous, to: latest };
}

function Comparison({
  workspaceId,
  journeyId,
  versions,
  hasDraft,
}: {
  workspaceId: string;
  journeyId: string;
  versions: Version[];
  hasDraft: boolean;
}) {
  const defaults = defaultSides(versions, hasDraft);
  const [chosen, setChosen] = useState<{ from: Side; to: Side } | null>(null);
  const sides = chosen ?? defaults;
  const options: Side[] = [
    ...(hasDraft ? (["draft"] as const) : []),
    ...versions.map((v) => v.version).sort((a, b) => b - a),
  ];

  if (!sides || options.length < 2) {
    return (
      <p className="text-sm text-slate-600">
        There is one version and no unpublished change, so there is nothing to compare yet.
      </p>
    );
  }
  const parse = (value: string): Side => (value === "draft" ? "draft" : Number(value));
  const optionLabel = (side: Side) => (side === "draft" ? "Draft (unpublished changes)" : `Version ${side}`);

  return (
    <div className="space-y-3">
      <h3 className="font-medium text-slate-900">Compare</h3>
      <div className="grid grid-cols-2 gap-3">
        <Field id="history-from" label="From">
          <select
            {...controlProps("history-from")}
            value={String(sides.from)}
            onChange={(event) => setChosen({ ...sides, from: parse(event.target.value) })}
          >
            {options
              .filter((side) => side !== "draft")
              .map((side) => (
                <option key={side} value={String(side)}>
                  {optionLabel(side)}
                </option>
              ))}
          </select>
        </Field>
        <Field id="history-to" label="To">
          <select
            {...controlProps("history-to")}
            value={String(sides.to)}
            onChange={(event) => setChosen({ ...sides, to: parse(event.target.value) })}
          >
            {options.map((side) => (
              <option key={side} value={String(side)}>
                {optionLabel(side)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {sides.from === sides.to ? (
        <p className="text-sm text-slate-600">Choose two different versions to see what changed.</p>
      ) : (
        <Diff workspaceId={workspaceId} journeyId={journeyId} from={sides.from as number} to={sides.to} />
      )}
    </div>
  );
}

function Diff({
  workspaceId,
  journeyId,
  from,
  to,
}: {
  workspaceId: string;
  journeyId: string;
  from: number;
  to: Side;
}) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.journey.diff.queryOptions({ workspaceId, id: journeyId, from, to }));
  return (
    <QueryView
      query={diff}
      what="the changes"
      isEmpty={(data) => data.changes.length === 0}
      empty={{ title: "No changes", body: `${sideLabel(to)} has the same design as ${sideLabel(from)}.` }}
    >
      {({ changes }) => (
        <div className="space-y-3" aria-live="polite">
          <p className="text-sm text-slate-700">
            From {sideLabel(from)} to {sideLabel(to)}: {summarizeChanges(changes)}
          </p>
          {groupChanges(changes).map((group) => (
            <section key={group.kind} aria-labelledby={`diff-${group.kind}`}>
              <h4 id={`diff-${group.kind}`} className="text-sm font-medium text-slate-800">
                {group.title} ({group.changes.length})
              </h4>
              <ul className="mt-1 space-y-1 text-sm">
                {group.changes.map((change, i) => {
                  const { subject, detail } = describeChange(change);
                  return (
                    <li
                      key={`${change.id}-${change.field ?? ""}-${i}`}
                      className={`border-l-2 pl-2 ${kindStyles[group.kind]}`}
                    >
                      <span className="font-medium text-slate-900">{subject}</span>
                      {detail && <span className="block break-words text-slate-700">{detail}</span>}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </div>
      )}
    </QueryView>
  );
}

const kindStyles = {
  added: "border-emerald-500",
  removed: "border-red-500",
  changed: "border-amber-500",
  moved: "border-sky-500",
} as const;

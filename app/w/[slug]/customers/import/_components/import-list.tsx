"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type RefObject } from "react";
import { Alert, Button, cx, DataTable } from "~/app/_components/ui";
import { QueryView } from "~/app/_components/query-view";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { ImportSummary } from "~/server/imports/imports";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDateTime } from "../../../_components/dates";
import { ProgressBar } from "../../../_components/progress-bar";

const number = new Intl.NumberFormat("en-GB");

const statusStyles: Record<ImportSummary["status"], { label: string; className: string }> = {
  uploaded: { label: "Not started", className: "bg-slate-100 text-slate-700" },
  queued: { label: "Waiting", className: "bg-slate-100 text-slate-700" },
  running: { label: "Running", className: "bg-brand-100 text-brand-700" },
  paused: { label: "Paused", className: "bg-amber-100 text-amber-800" },
  succeeded: { label: "Done", className: "bg-emerald-100 text-emerald-800" },
  failed: { label: "Failed", className: "bg-red-100 text-red-800" },
  cancelled: { label: "Cancelled", className: "bg-slate-200 text-slate-700" },
};

function isActive(status: ImportSummary["status"]) {
  return status === "queued" || status === "running";
}

export function ImportList({
  headingRef,
  onContinue,
  mappingId,
}: {
  headingRef?: RefObject<HTMLHeadingElement | null>;
  /** The upload whose mapping step is open above. */
  mappingId?: string;
  /** Opens the mapping step of an upload not started yet; absent for people who cannot import. */
  onContinue?: (importId: string) => void;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const list = useQuery({
    ...trpc.import.list.queryOptions({ workspaceId }),
    // Poll while something runs, so the bars move.
    refetchInterval: (query) => (query.state.data?.some((i) => isActive(i.status)) ? 1000 : false),
  });

  return (
    <section aria-labelledby="imports-heading" className="space-y-3">
      <h2
        id="imports-heading"
        ref={headingRef}
        tabIndex={-1}
        className="text-lg font-semibold text-slate-900"
      >
        Imports
      </h2>
      <QueryView
        query={list}
        what="the imports"
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "No imports yet",
          body: onContinue ? "Upload a CSV file above to start one." : undefined,
        }}
      >
        {(data) => (
          <ul aria-labelledby="imports-heading" className="space-y-4">
            {data.map((item) => (
              <ImportItem
                key={item.id}
                item={item}
                onContinue={onContinue}
                isMapping={item.id === mappingId}
              />
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function ImportItem({
  item,
  onContinue,
  isMapping,
}: {
  item: ImportSummary;
  onContinue?: (importId: string) => void;
  isMapping: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const [showErrors, setShowErrors] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.import.list.queryKey() });
  const pause = useMutation(trpc.import.pause.mutationOptions({ onSettled: refresh }));
  const resume = useMutation(trpc.import.resume.mutationOptions({ onSettled: refresh }));
  const cancel = useMutation(
    trpc.import.cancel.mutationOptions({ onSettled: refresh, onSuccess: () => setConfirmCancel(false) }),
  );
  const discard = useMutation(trpc.import.discard.mutationOptions({ onSettled: refresh }));
  const busy = pause.isPending || resume.isPending || cancel.isPending || discard.isPending;
  const failure = pause.error ?? resume.error ?? cancel.error ?? discard.error;
  const status = statusStyles[item.status];
  const started = item.status !== "uploaded";
  const percent = item.progress.total > 0 ? Math.floor((item.progress.done / item.progress.total) * 100) : 0;
  const headingId = `import-${item.id}`;
  const input = { workspaceId, importId: item.id };

  return (
    <li
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:px-6"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 id={headingId} className="font-medium break-all text-slate-900">
            {item.fileName}
          </h3>
          <p className="text-sm text-slate-600">
            {item.kind === "events" ? "Events" : "Customers"} · uploaded {formatDateTime(item.createdAt)}
            {item.createdByName && <> by {item.createdByName}</>}
          </p>
        </div>
        <span className={cx("inline-flex rounded-full px-2 py-0.5 text-xs font-medium", status.className)}>
          {status.label}
        </span>
      </div>

      {started && (
        <div className="mt-3 space-y-2">
          <ProgressBar
            label={`Progress of ${item.fileName}`}
            value={item.progress.done}
            max={item.progress.total}
            text={`${percent}%, ${number.format(item.progress.rowsRead)} rows read`}
            tone={
              item.status === "succeeded"
                ? "done"
                : item.status === "failed"
                  ? "error"
                  : item.status === "running" || item.status === "queued"
                    ? "brand"
                    : "muted"
            }
          />
          <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
            <div className="flex gap-1.5">
              <dt className="text-slate-600">Read</dt>
              <dd className="font-medium tabular-nums">
                {percent}% · {number.format(item.progress.rowsRead)} rows
              </dd>
            </div>

            <div className="flex gap-1.5">
              <dt className="text-slate-600">Imported</dt>
              <dd className="font-medium text-emerald-800 tabular-nums">
                {number.format(item.rowsImported)}
              </dd>
            </div>
            <div className="flex gap-1.5">
              <dt className="text-slate-600">Duplicates</dt>
              <dd className="font-medium tabular-nums">{number.format(item.rowsDuplicate)}</dd>
            </div>
            <div className="flex gap-1.5">
              <dt className="text-slate-600">Failed</dt>
              <dd className={cx("font-medium tabular-nums", item.rowsFailed > 0 && "text-red-700")}>
                {number.format(item.rowsFailed)}
              </dd>
            </div>
          </dl>
          {item.progress.summaries && <p className="text-sm text-slate-700">{item.progress.summaries}</p>}
        </div>
      )}
      {item.status === "failed" && item.error && (
        <div className="mt-3">
          <Alert>The import stopped: {item.error}</Alert>
        </div>
      )}

      <div className="mt-3 flex flex-wrap items-center gap-2">
        {isMapping && <p className="text-sm text-slate-600">Its columns are being mapped above.</p>}
        {onContinue && item.status === "uploaded" && !isMapping && (
          <Button onClick={() => onContinue(item.id)}>
            Map columns and start<span className="sr-only"> {item.fileName}</span>
          </Button>
        )}
        {onContinue && item.status === "uploaded" && !isMapping && (
          <Button
            variant="ghost"
            className="text-red-700 hover:bg-red-50"
            disabled={busy}
            onClick={() => discard.mutate(input)}
          >
            {discard.isPending ? "Removing…" : "Remove"}
            <span className="sr-only"> {item.fileName}</span>
          </Button>
        )}
        {onContinue && isActive(item.status) && (
          <Button variant="secondary" disabled={busy} onClick={() => pause.mutate(input)}>
            Pause<span className="sr-only"> {item.fileName}</span>
          </Button>
        )}
        {onContinue && (item.status === "paused" || item.status === "failed") && (
          <Button variant="secondary" disabled={busy} onClick={() => resume.mutate(input)}>
            {item.status === "failed" ? "Retry" : "Resume"}
            <span className="sr-only"> {item.fileName}</span>
          </Button>
        )}
        {onContinue && (isActive(item.status) || item.status === "paused") && !confirmCancel && (
          <Button
            variant="ghost"
            className="text-red-700 hover:bg-red-50"
            disabled={busy}
            onClick={() => setConfirmCancel(true)}
          >
            Cancel<span className="sr-only"> {item.fileName}</span>
          </Button>
        )}
        {item.rowsFailed > 0 && (
          <Button
            variant="ghost"
            aria-expanded={showErrors}
            aria-controls={`${headingId}-errors`}
            onClick={() => setShowErrors((v) => !v)}
          >
            {showErrors ? "Hide" : "Show"} bad rows ({number.format(item.rowsFailed)})
            <span className="sr-only"> of {item.fileName}</span>
          </Button>
        )}
      </div>

      {confirmCancel && (
        <div
          role="group"
          aria-label={`Confirm cancelling ${item.fileName}`}
          className="mt-3 flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2"
          onKeyDown={(e) => {
            if (e.key === "Escape") setConfirmCancel(false);
          }}
        >
          <p className="min-w-0 flex-1 text-sm text-red-900">
            Cancel this import? Rows stored so far stay; the rest of the file is not read. This cannot be
            resumed.
          </p>
          <Button variant="danger" disabled={busy} onClick={() => cancel.mutate(input)}>
            {cancel.isPending ? "Cancelling…" : "Cancel import"}
          </Button>
          <Button variant="secondary" autoFocus disabled={busy} onClick={() => setConfirmCancel(false)}>
            Keep going
          </Button>
        </div>
      )}
      {failure && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {errorMessage(failure)}
        </p>
      )}
      {showErrors && <ImportErrors id={`${headingId}-errors`} importId={item.id} fileName={item.fileName} />}
    </li>
  );
}

function ImportErrors({ id, importId, fileName }: { id: string; importId: string; fileName: string }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const errors = useInfiniteQuery(
    trpc.import.errors.infiniteQueryOptions(
      { workspaceId, importId, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = errors.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = errors.data?.pages[0]?.total ?? 0;

  return (
    <div id={id} className="mt-3">
      <QueryView
        query={{ ...errors, data: errors.data ? rows : undefined }}
        what="the bad rows"
        loadingRows={2}
        isEmpty={(data) => data.length === 0}
        empty={{ title: "No bad rows kept", body: "Only the first 10,000 bad rows of an import are kept." }}
      >
        {(data) => (
          <div className="space-y-2">
            <DataTable
              variant="boxed"
              boxClassName="max-h-96"
              caption={`Rows of ${fileName} that were not imported`}
              columns={[{ label: "Line" }, { label: "Reason" }, { label: "Row" }]}
            >
              <tbody>
                {data.map((row) => (
                  <tr key={row.line} className="border-t border-slate-100 align-top">
                    <td className="px-3 py-2 text-slate-500 tabular-nums">{row.line}</td>
                    <td className="px-3 py-2 text-red-800">{row.reason}</td>
                    <td className="px-3 py-2 font-mono text-xs break-all text-slate-700">{row.raw}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
            <div className="flex items-center gap-3 text-sm text-slate-600">
              <span>
                Showing {number.format(data.length)} of {number.format(total)} kept
              </span>
              {errors.hasNextPage && (
                <Button
                  variant="secondary"
                  disabled={errors.isFetchingNextPage}
                  onClick={() => void errors.fetchNextPage()}
                >
                  {errors.isFetchingNextPage ? "Loading…" : "Show more"}
                </Button>
              )}
            </div>
          </div>
        )}
      </QueryView>
    </div>
  );
}

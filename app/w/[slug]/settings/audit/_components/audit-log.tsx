"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert, Button, Card, EmptyState, LoadingRows } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDateTime, relativeTime } from "../../_components/dates";

export function AuditLog() {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { workspaceId, limit: 50 },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  const events = log.data?.pages.flatMap((page) => page.events) ?? [];

  return (
    <Card aria-labelledby="audit-heading">
      <div className="border-b border-slate-200 px-4 py-3 sm:px-6">
        <h2 id="audit-heading" className="text-lg font-semibold text-slate-900">
          Audit log
        </h2>
        <p className="mt-1 text-sm text-slate-600">Every change made in this workspace, newest first.</p>
      </div>
      <div className="p-4 sm:px-6">
        {log.isPending ? (
          <LoadingRows rows={6} label="Loading the audit log" />
        ) : !log.data ? (
          <div className="space-y-3">
            <Alert>Could not load the audit log: {errorMessage(log.error)}</Alert>
            <Button variant="secondary" onClick={() => void log.refetch()}>
              Try again
            </Button>
          </div>
        ) : events.length === 0 ? (
          <EmptyState title="Nothing has happened yet">
            Changes to members, settings and data will be listed here.
          </EmptyState>
        ) : (
          <>
            <div className="-mx-4 overflow-x-auto sm:mx-0">
              <table className="w-full min-w-[40rem] text-left text-sm">
                <caption className="sr-only">Audit log, newest first</caption>
                <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th scope="col" className="py-2 pr-4 pl-4 font-medium sm:pl-0">
                      When
                    </th>
                    <th scope="col" className="py-2 pr-4 font-medium">
                      Who
                    </th>
                    <th scope="col" className="py-2 pr-4 font-medium sm:pr-0">
                      What
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {events.map((event) => (
                    <tr key={event.id} className="align-top">
                      <td className="py-3 pr-4 pl-4 whitespace-nowrap sm:pl-0">
                        <time dateTime={event.createdAt.toISOString()} className="text-slate-900">
                          {formatDateTime(event.createdAt)}
                        </time>
                        <span className="block text-xs text-slate-500">{relativeTime(event.createdAt)}</span>
                      </td>
                      <td className="py-3 pr-4">
                        {event.actorEmail ? (
                          <>
                            <span className="text-slate-900">{event.actorName}</span>
                            <span className="block text-xs break-all text-slate-500">{event.actorEmail}</span>
                          </>
                        ) : (
                          <span className="text-slate-500 italic">System</span>
                        )}
                      </td>
                      <td className="py-3 pr-4 sm:pr-0">
                        <span className="text-slate-900">{event.summary}</span>
                        <code className="mt-0.5 block font-mono text-xs text-slate-500">{event.action}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-500">
              <p aria-live="polite">
                {events.length} {events.length === 1 ? "event" : "events"} shown
                {log.hasNextPage ? "" : ", the whole log"}.
              </p>
              {log.hasNextPage && (
                <Button
                  variant="secondary"
                  disabled={log.isFetchingNextPage}
                  onClick={() => void log.fetchNextPage()}
                >
                  {log.isFetchingNextPage ? "Loading…" : "Load more"}
                </Button>
              )}
            </div>
            {log.isFetchNextPageError && (
              <div className="mt-3">
                <Alert>Could not load more events: {errorMessage(log.error)}</Alert>
              </div>
            )}
          </>
        )}
      </div>
    </Card>
  );
}

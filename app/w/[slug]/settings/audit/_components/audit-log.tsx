"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { DataTable, SectionCard } from "~/app/_components/ui";
import { LoadMore, QueryView } from "~/app/_components/query-view";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDateTime, relativeTime } from "../../../_components/dates";

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
    <SectionCard
      id="audit"
      title="Audit log"
      description="Every change made in this workspace, newest first."
    >
      <QueryView
        query={log}
        what="the audit log"
        loadingRows={6}
        isEmpty={() => events.length === 0}
        empty={{
          title: "Nothing has happened yet",
          body: "Changes to members, settings and data will be listed here.",
        }}
      >
        {() => (
          <>
            <DataTable
              caption="Audit log, newest first"
              columns={[{ label: "When" }, { label: "Who" }, { label: "What" }]}
            >
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
            </DataTable>
            <LoadMore
              query={log}
              what="events"
              shown={`${events.length} ${events.length === 1 ? "event" : "events"} shown${log.hasNextPage ? "" : ", the whole log"}.`}
            />
          </>
        )}
      </QueryView>
    </SectionCard>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "~/app/_components/query-view";
import { Card, DataTable } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { formatCount } from "../../_components/channels";
import { useWorkspace } from "../../_components/workspace-context";
import { formatDateTime, relativeTime } from "../../_components/dates";
import { scheduleLabels } from "./schedule";
import { TemplateCards } from "./template-cards";

export function RefreshingBadge() {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
      <span aria-hidden="true" className="h-1.5 w-1.5 animate-pulse rounded-full bg-amber-600" />
      Refreshing…
    </span>
  );
}

/** Every segment of the workspace, or what segments are and where to start when there is none. */
export function SegmentList({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const list = useQuery({
    ...trpc.segment.list.queryOptions({ workspaceId }),
    // While a refresh runs, its badge and member count follow it.
    refetchInterval: (query) => (query.state.data?.some((s) => s.refreshing) ? 2000 : false),
  });

  return (
    <QueryView
      query={list}
      what="the segments"
      loadingRows={5}
      // The empty state is richer than QueryView's: it teaches segments and offers templates.
      isEmpty={() => false}
      empty={{ title: "No segments yet" }}
    >
      {(data) =>
        data.length === 0 ? (
          <NoSegments canEdit={canEdit} />
        ) : (
          <Card className="p-4 sm:px-6">
            <DataTable
              caption="Segments"
              columns={[
                { label: "Segment" },
                { label: "Members", align: "right" },
                { label: "Last refreshed" },
                { label: "Schedule" },
                { label: "Owner" },
              ]}
            >
              <tbody className="divide-y divide-slate-100">
                {data.map((segment) => (
                  <tr key={segment.id} className="align-top">
                    <td className="py-3 pr-4 pl-4 sm:pl-0">
                      <Link
                        href={`/w/${slug}/segments/${segment.id}`}
                        className="hover:text-brand-700 font-medium text-slate-900 hover:underline"
                      >
                        {segment.name}
                      </Link>
                      {segment.description && (
                        <p className="mt-0.5 line-clamp-2 max-w-md text-xs text-slate-600">
                          {segment.description}
                        </p>
                      )}
                    </td>
                    <td className="py-3 pr-4 text-right whitespace-nowrap tabular-nums">
                      {segment.refreshedAt ? formatCount(segment.memberCount) : "—"}
                    </td>
                    <td className="py-3 pr-4 whitespace-nowrap">
                      {segment.refreshing ? (
                        <RefreshingBadge />
                      ) : segment.refreshedAt ? (
                        <time
                          dateTime={segment.refreshedAt.toISOString()}
                          title={formatDateTime(segment.refreshedAt)}
                        >
                          {relativeTime(segment.refreshedAt)}
                        </time>
                      ) : (
                        <span className="text-slate-500">Never</span>
                      )}
                    </td>
                    <td className="py-3 pr-4 whitespace-nowrap">{scheduleLabels[segment.schedule]}</td>
                    <td className="py-3 pr-4 sm:pr-0">
                      {segment.owner ? (
                        (segment.owner.name ?? segment.owner.email)
                      ) : (
                        <span className="text-slate-500">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          </Card>
        )
      }
    </QueryView>
  );
}

/** The empty state: what a segment is, and the templates to start from. */
function NoSegments({ canEdit }: { canEdit: boolean }) {
  const { slug } = useWorkspace();
  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8">
        <h2 className="text-lg font-semibold text-slate-900">No segments yet</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          A segment is a named group of customers picked by a rule: what they did (events, on which channel,
          how often, when), who they are (traits), how they use your channels and what they are worth. As you
          build the rule you see how many customers match. Once saved, its members are kept up to date, you
          see who entered and left, and you can export them.
        </p>
        {canEdit ? (
          <p className="mt-3 text-sm text-slate-700">
            Start from one of these templates, or{" "}
            <Link
              href={`/w/${slug}/segments/new?template=blank`}
              className="text-brand-700 font-medium underline"
            >
              build a rule from scratch
            </Link>
            .
          </p>
        ) : (
          <p className="mt-3 text-sm text-slate-700">
            Editors and admins create segments; these templates show the kind of groups they can define.
          </p>
        )}
      </div>
      <section aria-labelledby="templates-heading" className="space-y-3">
        <h2 id="templates-heading" className="font-medium text-slate-900">
          Templates
        </h2>
        <TemplateCards linked={canEdit} />
      </section>
    </div>
  );
}

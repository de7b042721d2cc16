"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { LoadMore, QueryView } from "~/app/_components/query-view";
import { Button, SectionCard } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { channelLabels } from "../../../_components/channels";
import { formatDateTime } from "../../../_components/dates";
import { useWorkspace } from "../../../_components/workspace-context";

/**
 * The messages kept in Centric, newest first: every message of a channel with
 * no destination (the default), exactly as it would have been sent.
 */
export function OutboxList() {
  const trpc = useTRPC();
  const { id: workspaceId, slug } = useWorkspace();
  const [open, setOpen] = useState<string>();
  const outbox = useInfiniteQuery(
    trpc.destination.deliveries.infiniteQueryOptions(
      { workspaceId, outboxOnly: true, limit: 25 },
      { getNextPageParam: (last) => last.next, placeholderData: keepPreviousData },
    ),
  );
  const rows = outbox.data?.pages.flatMap((page) => page.deliveries) ?? [];

  return (
    <SectionCard
      id="outbox"
      title="Outbox"
      description="Messages of channels without a destination are kept here instead of being sent, so journeys can run before email or SMS is set up. Admins route channels in Settings → Destinations."
    >
      <QueryView
        query={{ ...outbox, data: outbox.data ? rows : undefined }}
        what="the outbox"
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "The outbox is empty",
          body: "Messages appear here when a live journey reaches a customer.",
        }}
      >
        {(data) => (
          <>
            <ul className="divide-y divide-slate-100">
              {data.map((d) => {
                const expanded = open === d.id;
                return (
                  <li key={d.id} className="py-3">
                    <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                      <div className="min-w-0">
                        <p className="font-medium break-words text-slate-900">{d.message.subject}</p>
                        <p className="text-sm text-slate-600">
                          {channelLabels[d.channel]} · to{" "}
                          {d.customerId ? (
                            <Link
                              className="text-brand-700 underline"
                              href={`/w/${slug}/customers/${d.customerId}`}
                            >
                              {d.message.to ?? "the customer"}
                            </Link>
                          ) : (
                            (d.message.to ?? "—")
                          )}
                          {d.message.source.kind === "test" ? " · test message" : ""}
                        </p>
                      </div>
                      <div className="flex items-center gap-3">
                        <time
                          className="text-sm whitespace-nowrap text-slate-500"
                          dateTime={d.createdAt.toISOString()}
                        >
                          {formatDateTime(d.createdAt)}
                        </time>
                        <Button
                          variant="secondary"
                          aria-expanded={expanded}
                          aria-controls={`outbox-${d.id}`}
                          onClick={() => setOpen(expanded ? undefined : d.id)}
                        >
                          {expanded ? "Hide" : "Show"}
                          <span className="sr-only"> the message “{d.message.subject}”</span>
                        </Button>
                      </div>
                    </div>
                    {expanded && (
                      <div id={`outbox-${d.id}`} className="mt-3 grid gap-3 lg:grid-cols-2">
                        <pre className="overflow-x-auto rounded-md bg-slate-50 p-3 text-sm whitespace-pre-wrap text-slate-800">
                          {d.message.text}
                        </pre>
                        {/* The HTML part as a mail client shows it; sandboxed: no scripts, no navigation. */}
                        <iframe
                          title={`HTML of “${d.message.subject}”`}
                          sandbox=""
                          srcDoc={d.message.html}
                          className="h-64 w-full rounded-md border border-slate-200 bg-white"
                        />
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
            <LoadMore
              query={outbox}
              what="messages"
              shown={`${data.length} ${data.length === 1 ? "message" : "messages"} shown`}
            />
          </>
        )}
      </QueryView>
    </SectionCard>
  );
}

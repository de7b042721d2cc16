"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Button } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { ChannelBadge, eventTypeLabels as typeLabels, formatMoney } from "../../../_components/channels";

const preciseTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium" });

/** JSON as indented text. React escapes it, so markup in a property stays visible text. */
function JsonBlock({ id, title, value }: { id: string; title: string; value: unknown }) {
  const empty =
    value === null || value === undefined || (typeof value === "object" && Object.keys(value).length === 0);
  return (
    <section aria-labelledby={id}>
      <h3 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      {empty ? (
        <p className="mt-1 text-sm text-slate-500">None.</p>
      ) : (
        <pre className="mt-1 max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs leading-relaxed [overflow-wrap:anywhere] whitespace-pre-wrap text-slate-800">
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </section>
  );
}

/**
 * One event in full, beside the timeline. Not modal: the timeline stays usable
 * and picking another row shows that one. Escape or Close hands focus back.
 */
export function EventPanel({ eventId, onClose }: { eventId: number; onClose: () => void }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const event = useQuery(trpc.customer.event.queryOptions({ workspaceId, id: eventId }));
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [eventId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);

  return (
    <aside
      aria-labelledby="event-panel-heading"
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-xl flex-col border-l border-slate-200 bg-white shadow-2xl"
    >
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <h2
          id="event-panel-heading"
          ref={headingRef}
          tabIndex={-1}
          className="text-lg font-semibold text-slate-900 focus:outline-none"
        >
          Event details
        </h2>
        <Button variant="secondary" onClick={onClose}>
          Close <span className="sr-only">event details</span>
        </Button>
      </div>
      <div className="flex-1 space-y-5 overflow-y-auto p-4">
        <QueryView query={event} what="the event" loadingRows={6} isEmpty={() => false} empty={{ title: "" }}>
          {(data) => (
            <>
              <div>
                <p className="text-base font-medium break-words text-slate-900">
                  {data.event ?? typeLabels[data.type]}
                </p>
                <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                  <ChannelBadge channel={data.channel} />
                  <span>{typeLabels[data.type]}</span>
                  {data.amount !== null && (
                    <span className="font-medium text-slate-900">{formatMoney(data.amount)}</span>
                  )}
                </div>
              </div>
              <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-x-3 gap-y-1.5 text-sm">
                {(
                  [
                    ["Happened", preciseTime.format(data.timestamp)],
                    ["Received", preciseTime.format(data.receivedAt)],
                    ["User id", data.userId],
                    ["Anonymous id", data.anonymousId],
                    ["Message id", data.messageId],
                    ["Source", data.source],
                  ] as [string, string | null][]
                ).map(([label, value]) => (
                  <div key={label} className="contents">
                    <dt className="text-slate-500">{label}</dt>
                    <dd className="font-mono text-xs leading-5 [overflow-wrap:anywhere] text-slate-900">
                      {value ?? "—"}
                    </dd>
                  </div>
                ))}
              </dl>
              <JsonBlock id="event-properties" title="Properties" value={data.properties} />
              {data.traits && <JsonBlock id="event-traits" title="Traits" value={data.traits} />}
              <JsonBlock id="event-context" title="Context" value={data.context} />
            </>
          )}
        </QueryView>
      </div>
    </aside>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { Button, SectionCard } from "~/app/_components/ui";
import { QueryView } from "~/app/_components/query-view";
import { useTRPC } from "~/app/_trpc/react";
import type { RefusalReason } from "~/db/enums";
import type { KeyRefusals } from "~/server/ingest/refusals";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDateTime, relativeTime } from "../../../_components/dates";

const reasons: Record<RefusalReason, { label: string; meaning: string; tone: string }> = {
  invalid: {
    label: "Invalid",
    meaning: "broke the tracking spec (400)",
    tone: "bg-amber-100 text-amber-900",
  },
  too_large: {
    label: "Too large",
    meaning: "a message over 32 KB or a body over its limit (413)",
    tone: "bg-orange-100 text-orange-900",
  },
  malformed: {
    label: "Unreadable",
    meaning: "a body that is not a JSON object or batch (400)",
    tone: "bg-red-100 text-red-800",
  },
  rate_limited: {
    label: "Rate limited",
    meaning: "over the key’s rate limit (429); Segment’s libraries send them again",
    tone: "bg-slate-200 text-slate-800",
  },
  origin_not_allowed: {
    label: "Origin not allowed",
    meaning: "sent from a web page the key’s allowed origins do not list (403)",
    tone: "bg-violet-100 text-violet-900",
  },
};

const count = (n: number) => n.toLocaleString("en");

function ReasonBadge({ reason }: { reason: RefusalReason }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${reasons[reason].tone}`}>
      {reasons[reason].label}
    </span>
  );
}

function When({ date }: { date: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)}>
      {relativeTime(date)}
    </time>
  );
}

export function RefusedMessages() {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const refusals = useQuery(trpc.writeKey.refusals.queryOptions({ workspaceId }));

  return (
    <SectionCard
      id="refused-messages"
      title="Refused messages"
      description="What the tracking API refused from each key since it was created, with the latest messages and why, so a sender’s mistakes do not go unnoticed. Refusals appear here within seconds."
      aside={
        <Button variant="secondary" disabled={refusals.isFetching} onClick={() => void refusals.refetch()}>
          {refusals.isFetching ? "Refreshing…" : "Refresh"}
        </Button>
      }
    >
      <QueryView
        query={refusals}
        what="the refused messages"
        loadingRows={2}
        isEmpty={(data) => data.length === 0}
        empty={{ title: "Nothing refused", body: "Every message sent with these keys so far was stored." }}
      >
        {(data) => (
          <ul className="divide-y divide-slate-100">
            {data.map((key) => (
              <KeyRecord key={key.keyId} record={key} />
            ))}
          </ul>
        )}
      </QueryView>
    </SectionCard>
  );
}

function KeyRecord({ record }: { record: KeyRefusals }) {
  const headingId = `refusals-${record.keyId}`;
  return (
    <li className="space-y-3 py-4 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h3 id={headingId} className="font-medium text-slate-900">
          {record.keyName}
          {record.revoked && (
            <span className="ml-2 inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
              Revoked
            </span>
          )}
        </h3>
        <p className="text-sm text-slate-600">
          {count(record.total)} refused · latest <When date={record.lastAt} />
        </p>
      </div>
      <dl className="grid gap-2 sm:grid-cols-2">
        {record.counts.map((c) => (
          <div key={c.reason} className="rounded-md border border-slate-200 px-3 py-2">
            <dt className="flex items-center justify-between gap-2">
              <ReasonBadge reason={c.reason} />
              <span className="text-xs text-slate-500">
                latest <When date={c.lastAt} />
              </span>
            </dt>
            <dd className="mt-1 text-sm text-slate-700">
              <span className="font-semibold text-slate-900 tabular-nums">{count(c.count)}</span>{" "}
              {c.count === 1 ? "message" : "messages"}: {reasons[c.reason].meaning}
            </dd>
          </div>
        ))}
      </dl>
      {record.latest.length > 0 ? (
        <details className="group rounded-md border border-slate-200">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Latest refused messages ({record.latest.length})
          </summary>
          <ol className="divide-y divide-slate-100 border-t border-slate-200">
            {record.latest.map((example) => (
              <li key={example.id} className="space-y-1.5 px-3 py-3">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                  <ReasonBadge reason={example.reason} />
                  <When date={example.refusedAt} />
                  {example.position !== null && <span>message {example.position} of its batch</span>}
                </div>
                <p className="text-sm break-words text-slate-800">{example.error}</p>
                {example.excerpt !== null && (
                  <pre className="rounded bg-slate-50 p-2 font-mono text-xs break-all whitespace-pre-wrap text-slate-700">
                    <code>{example.excerpt}</code>
                  </pre>
                )}
              </li>
            ))}
          </ol>
        </details>
      ) : (
        <p className="text-sm text-slate-500">No examples kept: rate-limited messages are only counted.</p>
      )}
    </li>
  );
}

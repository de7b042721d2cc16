"use client";

import { useQuery } from "@tanstack/react-query";
import { SectionCard } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import {
  analyticsNodeSnippet,
  curlTrackCommand,
  WRITE_KEY_PLACEHOLDER as PLACEHOLDER,
} from "~/server/writekeys/examples";
import { useWorkspace } from "../../../_components/workspace-context";
import { CopyButton } from "./copy-button";

function CodeBlock({ id, label, what, code }: { id: string; label: string; what: string; code: string }) {
  return (
    <figure className="space-y-2">
      <figcaption className="flex items-center justify-between gap-3">
        <span className="text-sm font-medium text-slate-800">{label}</span>
        <CopyButton text={code} selectId={id} label="Copy" what={what} />
      </figcaption>
      <pre
        id={id}
        tabIndex={0}
        className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}

export function FirstEvent({ origin }: { origin: string }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  // Shares the table's query: no second request.
  const keys = useQuery(trpc.writeKey.list.queryOptions({ workspaceId }));
  const newest = keys.data?.find((key) => !key.revokedAt);
  const writeKey = newest?.key ?? PLACEHOLDER;

  return (
    <SectionCard
      id="first-event"
      title="Send your first event"
      description={
        keys.isPending ? undefined : newest ? (
          <>With the key “{newest.name}”. The events appear on the customer’s timeline under Customers.</>
        ) : (
          <>Create a key above, then replace {PLACEHOLDER} with it.</>
        )
      }
    >
      <p className="text-sm text-slate-600">
        Centric speaks Segment’s HTTP Tracking API (<code className="font-mono text-xs">identify</code>,{" "}
        <code className="font-mono text-xs">track</code>, <code className="font-mono text-xs">page</code>,{" "}
        <code className="font-mono text-xs">screen</code>, <code className="font-mono text-xs">group</code>,{" "}
        <code className="font-mono text-xs">alias</code>, <code className="font-mono text-xs">batch</code>) at{" "}
        <code className="font-mono text-xs break-all">{origin}/api/v1/</code> and at Segment’s own paths (
        <code className="font-mono text-xs">/v1/</code>), so Segment’s libraries send to it when pointed at
        this host.
      </p>
      <CodeBlock
        id="curl-track"
        label="With curl"
        what="the curl command"
        code={curlTrackCommand(origin, writeKey)}
      />
      <CodeBlock
        id="analytics-node"
        label="With @segment/analytics-node (npm install @segment/analytics-node)"
        what="the analytics-node example"
        code={analyticsNodeSnippet(origin, writeKey)}
      />
    </SectionCard>
  );
}

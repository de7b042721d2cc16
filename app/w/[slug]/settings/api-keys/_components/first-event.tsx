"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { inputClass, SectionCard } from "~/app/_components/ui";
import { useTRPC } from "~/app/_trpc/react";
import {
  analyticsNextNpmSnippet,
  analyticsNextScriptTag,
  analyticsNodeSnippet,
  curlTrackCommand,
  WRITE_KEY_PLACEHOLDER as PLACEHOLDER,
} from "~/server/writekeys/examples";
import { useWorkspace } from "../../../_components/workspace-context";
import { CopyButton } from "../../../_components/copy-button";

export function CodeBlock({
  id,
  label,
  what,
  code,
}: {
  id: string;
  label: string;
  what: string;
  code: string;
}) {
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

export function FirstEvent({ origin, canManage }: { origin: string; canManage: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  // Shares the table's query: no second request. Only admins see keys; others get the placeholder.
  const keys = useQuery({ ...trpc.writeKey.list.queryOptions({ workspaceId }), enabled: canManage });
  const active = keys.data?.filter((key) => !key.revokedAt) ?? [];
  const [chosenId, setChosenId] = useState<string>();
  const chosen = active.find((key) => key.id === chosenId) ?? active[0];
  const writeKey = chosen?.key ?? PLACEHOLDER;

  return (
    <SectionCard
      id="first-event"
      title="Send your first event"
      description={
        !canManage ? (
          <>Replace {PLACEHOLDER} with a write key an admin gives you.</>
        ) : keys.isPending ? undefined : chosen ? (
          <>With the key “{chosen.name}”. The events appear on the customer’s timeline under Customers.</>
        ) : (
          <>Create a key above, then replace {PLACEHOLDER} with it.</>
        )
      }
    >
      {active.length > 1 && (
        <div className="max-w-xs space-y-1">
          <label htmlFor="example-key" className="block text-sm font-medium text-slate-700">
            Key in the examples
          </label>
          <select
            id="example-key"
            className={inputClass}
            value={chosen?.id}
            onChange={(event) => setChosenId(event.target.value)}
          >
            {active.map((key) => (
              <option key={key.id} value={key.id}>
                {key.name}
              </option>
            ))}
          </select>
        </div>
      )}
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
      <h3 className="pt-2 text-base font-semibold text-slate-900">In the browser</h3>
      <p className="text-sm text-slate-600">
        Segment’s analytics.js (@segment/analytics-next) loads from this Centric, not from Segment’s CDN:
        Centric serves the library and the settings it asks for, which send its events here. Pages of another
        site send across origins; an admin can limit each key to the sites that use it (its Origins under
        Write keys).
      </p>
      <CodeBlock
        id="analytics-next-npm"
        label="With npm (npm install @segment/analytics-next)"
        what="the analytics-next example"
        code={analyticsNextNpmSnippet(origin, writeKey)}
      />
      <CodeBlock
        id="analytics-next-script"
        label="With a script tag, in the page’s head"
        what="the script tag"
        code={analyticsNextScriptTag(origin, writeKey)}
      />
    </SectionCard>
  );
}

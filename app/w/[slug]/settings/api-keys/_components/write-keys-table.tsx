"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Alert, Button, DataTable, SectionCard, cx } from "~/app/_components/ui";
import { QueryView } from "~/app/_components/query-view";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { WriteKeyRow } from "~/server/writekeys/writekeys";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDate, formatDateTime, relativeTime } from "../../../_components/dates";
import { AllowedOriginsEditor } from "./allowed-origins-editor";
import { CopyButton } from "./copy-button";
import { TestEventResult, useTestEvent } from "./test-event";

export function WriteKeysTable() {
  const trpc = useTRPC();
  const { id: workspaceId, name: workspaceName } = useWorkspace();
  const keys = useQuery(trpc.writeKey.list.queryOptions({ workspaceId }));
  const [notice, setNotice] = useState<string>();
  const active = keys.data?.filter((key) => !key.revokedAt).length;

  return (
    <SectionCard
      id="write-keys"
      title="Write keys"
      description="Senders put the key in the HTTP Basic user name, with an empty password. A revoked key is refused at once."
      aside={
        active !== undefined && <p className="text-sm whitespace-nowrap text-slate-500">{active} active</p>
      }
    >
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      <QueryView
        query={keys}
        what="the write keys"
        loadingRows={2}
        isEmpty={(data) => data.length === 0}
        empty={{ title: "No write keys yet", body: "Create one above to start sending events." }}
      >
        {(data) => (
          <DataTable
            aria-labelledby="write-keys-heading"
            caption={`Write keys of ${workspaceName}`}
            columns={[
              { label: "Name" },
              { label: "Key" },
              { label: "Created" },
              { label: "Last used" },
              { label: "Allowed pages" },
              { label: "Status" },
              { label: "Actions", hidden: true, align: "right" },
            ]}
          >
            <tbody>
              {data.map((key) => (
                <WriteKeyTableRow key={key.id} writeKey={key} onNotice={setNotice} />
              ))}
            </tbody>
          </DataTable>
        )}
      </QueryView>
    </SectionCard>
  );
}

function WriteKeyTableRow({
  writeKey,
  onNotice,
}: {
  writeKey: WriteKeyRow;
  onNotice: (message: string | undefined) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const [editingOrigins, setEditingOrigins] = useState(false);
  const testEvent = useTestEvent(writeKey);
  const originsButton = useRef<HTMLButtonElement>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const isRevoked = writeKey.revokedAt !== null;

  const revoke = useMutation(
    trpc.writeKey.revoke.mutationOptions({
      onMutate: () => onNotice(undefined),
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.writeKey.list.queryKey() });
        onNotice(
          `The write key “${writeKey.name}” was revoked. Senders that use it are refused from now on.`,
        );
      },
    }),
  );

  useEffect(() => {
    if (confirming) cancelButton.current?.focus();
    else if (wasConfirming.current) revokeButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const keyId = `write-key-${writeKey.id}`;

  return (
    <>
      <tr className="border-t border-slate-100 align-top">
        <th scope="row" className="py-3 pr-4 pl-4 text-left font-medium text-slate-900 sm:pl-0">
          {writeKey.name}
        </th>
        <td className="py-3 pr-4">
          <div className="flex items-center gap-2">
            <code
              id={keyId}
              className={cx(
                "font-mono text-xs break-all",
                isRevoked ? "text-slate-500 line-through" : "text-slate-800",
              )}
            >
              {writeKey.key}
            </code>
            {!isRevoked && (
              <CopyButton
                text={writeKey.key}
                selectId={keyId}
                label="Copy"
                what={`the key of ${writeKey.name}`}
              />
            )}
          </div>
        </td>
        <td className="py-3 pr-4 whitespace-nowrap text-slate-700">
          <time dateTime={writeKey.createdAt.toISOString()}>{formatDate(writeKey.createdAt)}</time>
          {writeKey.createdByName && <p className="text-xs text-slate-500">by {writeKey.createdByName}</p>}
        </td>
        <td className="py-3 pr-4 whitespace-nowrap text-slate-700">
          {writeKey.lastUsedAt ? (
            <time dateTime={writeKey.lastUsedAt.toISOString()} title={formatDateTime(writeKey.lastUsedAt)}>
              {relativeTime(writeKey.lastUsedAt)}
            </time>
          ) : (
            <span className="text-slate-500">Never</span>
          )}
        </td>
        <td className="py-3 pr-4 text-slate-700">
          {writeKey.allowedOrigins.length === 0 ? (
            <span className="whitespace-nowrap">Any site</span>
          ) : (
            <ul className="space-y-0.5 font-mono text-xs">
              {writeKey.allowedOrigins.map((origin) => (
                <li key={origin} className="break-all">
                  {origin}
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className="py-3 pr-4 whitespace-nowrap">
          {writeKey.revokedAt ? (
            <>
              <span className="inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
                Revoked
              </span>
              <p className="mt-0.5 text-xs text-slate-500">
                <time dateTime={writeKey.revokedAt.toISOString()}>{formatDate(writeKey.revokedAt)}</time>
              </p>
            </>
          ) : (
            <span className="inline-flex rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
              Active
            </span>
          )}
        </td>
        <td className="py-3 pr-4 text-right sm:pr-0">
          {!isRevoked && (
            <div className="flex flex-wrap justify-end gap-1">
              <Button variant="ghost" disabled={testEvent.isPending} onClick={() => testEvent.mutate()}>
                Send test event<span className="sr-only"> with {writeKey.name}</span>
              </Button>
              <Button
                ref={originsButton}
                variant="ghost"
                aria-expanded={editingOrigins}
                onClick={() => {
                  setConfirming(false);
                  setEditingOrigins((value) => !value);
                }}
              >
                Origins<span className="sr-only"> allowed for {writeKey.name}</span>
              </Button>
              <Button
                ref={revokeButton}
                variant="ghost"
                className="text-red-700 hover:bg-red-50"
                aria-expanded={confirming}
                disabled={revoke.isPending}
                onClick={() => {
                  revoke.reset();
                  setEditingOrigins(false);
                  setConfirming((value) => !value);
                }}
              >
                Revoke<span className="sr-only"> {writeKey.name}</span>
              </Button>
            </div>
          )}
        </td>
      </tr>
      {(testEvent.status !== "idle" || editingOrigins) && (
        <tr>
          <td colSpan={7} className="space-y-2 px-4 pb-3 sm:px-0">
            <div aria-live="polite">
              <TestEventResult result={testEvent} />
            </div>
            {editingOrigins && (
              <AllowedOriginsEditor
                writeKey={writeKey}
                onDone={(saved) => {
                  setEditingOrigins(false);
                  originsButton.current?.focus();
                  if (saved) onNotice(saved);
                }}
              />
            )}
          </td>
        </tr>
      )}
      {(confirming || revoke.error) && (
        <tr>
          <td colSpan={7} className="px-4 pb-3 sm:px-0">
            {confirming ? (
              <div
                role="group"
                aria-label={`Confirm revoking ${writeKey.name}`}
                className="flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2"
                onKeyDown={(event) => {
                  if (event.key === "Escape") setConfirming(false);
                }}
              >
                <p className="min-w-0 flex-1 text-sm text-red-900">
                  Revoke “{writeKey.name}”? Every sender that uses it is refused from the next request on, and
                  their events are not stored until they switch to another key. This cannot be undone.
                </p>
                <div className="flex shrink-0 gap-2">
                  <Button
                    variant="danger"
                    disabled={revoke.isPending}
                    onClick={() =>
                      revoke.mutate(
                        { workspaceId, keyId: writeKey.id },
                        { onSettled: () => setConfirming(false) },
                      )
                    }
                  >
                    {revoke.isPending ? "Revoking…" : "Revoke key"}
                  </Button>
                  <Button
                    ref={cancelButton}
                    variant="secondary"
                    disabled={revoke.isPending}
                    onClick={() => setConfirming(false)}
                  >
                    Cancel
                  </Button>
                </div>
              </div>
            ) : (
              <p role="alert" className="text-right text-sm text-red-700">
                Could not revoke {writeKey.name}: {errorMessage(revoke.error)}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

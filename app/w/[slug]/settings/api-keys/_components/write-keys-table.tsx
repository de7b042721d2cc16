"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Alert, Button, DataTable, SectionCard, cx } from "~/app/_components/ui";
import { QueryView } from "~/app/_components/query-view";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { WriteKeyRow } from "~/server/writekeys/writekeys";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDate, formatDateTime, relativeTime } from "../../../_components/dates";
import { AllowedOriginsEditor } from "./allowed-origins-editor";
import { CopyButton } from "../../../_components/copy-button";
import { TestEventArrived, useTestEvent } from "./test-event";

type Notify = (message: ReactNode | undefined, tone?: "success" | "error") => void;

export function WriteKeysTable() {
  const trpc = useTRPC();
  const { id: workspaceId, name: workspaceName } = useWorkspace();
  const keys = useQuery(trpc.writeKey.list.queryOptions({ workspaceId }));
  const [notice, setNotice] = useState<{ message: ReactNode; tone: "success" | "error" }>();
  const notify: Notify = (message, tone = "success") => setNotice(message ? { message, tone } : undefined);
  // Below the table, not in it: on a phone the table scrolls sideways, a form in it would too.
  const [editingId, setEditingId] = useState<string>();
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
      <div aria-live="polite">{notice && <Alert tone={notice.tone}>{notice.message}</Alert>}</div>
      <QueryView
        query={keys}
        what="the write keys"
        loadingRows={2}
        isEmpty={(data) => data.length === 0}
        empty={{ title: "No write keys yet", body: "Create one above to start sending events." }}
      >
        {(data) => {
          const editing = data.find((key) => key.id === editingId && !key.revokedAt);
          return (
            <>
              <DataTable
                aria-labelledby="write-keys-heading"
                caption={`Write keys of ${workspaceName}`}
                columns={[
                  { label: "Name" },
                  { label: "Key" },
                  { label: "Created" },
                  { label: "Last used" },
                  { label: "Status" },
                  { label: "Actions", hidden: true, align: "right" },
                ]}
              >
                <tbody>
                  {data.map((key) => (
                    <WriteKeyTableRow
                      key={key.id}
                      writeKey={key}
                      onNotice={notify}
                      editingOrigins={key.id === editing?.id}
                      onEditOrigins={() => setEditingId((id) => (id === key.id ? undefined : key.id))}
                    />
                  ))}
                </tbody>
              </DataTable>
              {editing && (
                <AllowedOriginsEditor
                  key={editing.id}
                  writeKey={editing}
                  onDone={(saved) => {
                    setEditingId(undefined);
                    document.getElementById(originsButtonId(editing.id))?.focus();
                    if (saved) notify(saved);
                  }}
                />
              )}
            </>
          );
        }}
      </QueryView>
    </SectionCard>
  );
}

const originsButtonId = (keyId: string) => `origins-${keyId}`;

function WriteKeyTableRow({
  writeKey,
  onNotice,
  editingOrigins,
  onEditOrigins,
}: {
  writeKey: WriteKeyRow;
  onNotice: Notify;
  editingOrigins: boolean;
  onEditOrigins: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const testEvent = useTestEvent(writeKey);
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
          {!isRevoked && (
            <p className="mt-0.5 text-xs font-normal text-slate-500">
              {writeKey.allowedOrigins.length === 0 ? (
                "Pages of any site"
              ) : (
                <>
                  Pages of
                  {/* One a line, whole: an address broken mid-word reads as two. */}
                  {writeKey.allowedOrigins.map((origin) => (
                    <span key={origin} className="block font-mono break-words">
                      {origin}
                    </span>
                  ))}
                </>
              )}
            </p>
          )}
        </th>
        <td className="py-3 pr-4">
          <div className="flex items-center gap-2">
            <code
              id={keyId}
              className={cx(
                "min-w-[15rem] font-mono text-xs break-all",
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
            <div className="flex flex-col items-end">
              <Button
                variant="ghost"
                className="whitespace-nowrap"
                disabled={testEvent.isPending}
                onClick={() =>
                  testEvent.mutate(undefined, {
                    onSuccess: (arrived) => onNotice(<TestEventArrived {...arrived} />),
                    onError: (error) =>
                      onNotice(
                        `The test event with “${writeKey.name}” was refused: ${error.message}`,
                        "error",
                      ),
                  })
                }
              >
                {testEvent.isPending ? "Sending…" : "Send test event"}
                <span className="sr-only"> with {writeKey.name}</span>
              </Button>
              <Button
                id={originsButtonId(writeKey.id)}
                variant="ghost"
                aria-expanded={editingOrigins}
                onClick={() => {
                  setConfirming(false);
                  onEditOrigins();
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
                  if (editingOrigins) onEditOrigins();
                  setConfirming((value) => !value);
                }}
              >
                Revoke<span className="sr-only"> {writeKey.name}</span>
              </Button>
            </div>
          )}
        </td>
      </tr>
      {(confirming || revoke.error) && (
        <tr>
          <td colSpan={6} className="px-4 pb-3 sm:px-0">
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

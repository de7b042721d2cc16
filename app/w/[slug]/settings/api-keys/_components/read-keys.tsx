"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Alert, Button, controlProps, DataTable, Field, SectionCard, cx } from "~/app/_components/ui";
import { QueryView } from "~/app/_components/query-view";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { curlProfileCommand, profileFetchSnippet, READ_KEY_PLACEHOLDER } from "~/server/profiles/examples";
import type { ReadKeyRow } from "~/server/profiles/read-keys";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDate, formatDateTime, relativeTime } from "../../../_components/dates";
import { CopyButton } from "../../../_components/copy-button";
import { OriginsForm } from "./allowed-origins-editor";
import { CodeBlock } from "./first-event";

/** Read keys of the profile API: create (the key shown once), list, limit to origins, revoke. */
export function ReadKeys({ origin }: { origin: string }) {
  const trpc = useTRPC();
  const { id: workspaceId, name: workspaceName } = useWorkspace();
  const keys = useQuery(trpc.readKey.list.queryOptions({ workspaceId }));
  const [created, setCreated] = useState<{ name: string; secret: string }>();
  const [notice, setNotice] = useState<string>();
  const [editingId, setEditingId] = useState<string>();
  const active = keys.data?.filter((key) => !key.revokedAt).length;

  return (
    <SectionCard
      id="read-keys"
      title="Read keys"
      description={
        <>
          Your own site and app read a customer’s profile — traits, segments, value tier, preferred channel
          and live journeys — with a read key, to adapt a page to the visitor (GET{" "}
          <code className="font-mono text-xs">/v1/profiles/&#123;userId&#125;</code>). A read key cannot send
          events, and a write key cannot read.
        </>
      }
      aside={
        active !== undefined && <p className="text-sm whitespace-nowrap text-slate-500">{active} active</p>
      }
    >
      <CreateReadKeyForm
        onCreated={({ name, key }) => {
          setNotice(undefined);
          setCreated({ name, secret: key });
        }}
      />
      {created && (
        <NewReadKey
          name={created.name}
          secret={created.secret}
          origin={origin}
          onDismiss={() => {
            setCreated(undefined);
            document.getElementById("read-key-name")?.focus();
          }}
        />
      )}
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      <QueryView
        query={keys}
        what="the read keys"
        loadingRows={2}
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "No read keys yet",
          body: "Create one above when a site or app of yours is to read profiles.",
        }}
      >
        {(data) => {
          const editing = data.find((key) => key.id === editingId && !key.revokedAt);
          return (
            <>
              <DataTable
                aria-labelledby="read-keys-heading"
                caption={`Read keys of ${workspaceName}`}
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
                    <ReadKeyTableRow
                      key={key.id}
                      readKey={key}
                      onNotice={setNotice}
                      editingOrigins={key.id === editing?.id}
                      onEditOrigins={() => setEditingId((id) => (id === key.id ? undefined : key.id))}
                    />
                  ))}
                </tbody>
              </DataTable>
              {editing && (
                <ReadKeyOrigins
                  key={editing.id}
                  readKey={editing}
                  onDone={(saved) => {
                    setEditingId(undefined);
                    document.getElementById(originsButtonId(editing.id))?.focus();
                    if (saved) setNotice(saved);
                  }}
                />
              )}
            </>
          );
        }}
      </QueryView>
      {!created && (
        <CodeBlock
          id="profile-fetch"
          label="In a page of your site"
          what="the profile example"
          code={profileFetchSnippet(origin, READ_KEY_PLACEHOLDER)}
        />
      )}
    </SectionCard>
  );
}

function CreateReadKeyForm({ onCreated }: { onCreated: (key: { name: string; key: string }) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const create = useMutation(
    trpc.readKey.create.mutationOptions({
      onSuccess: async (key) => {
        await queryClient.invalidateQueries({ queryKey: trpc.readKey.list.queryKey() });
        onCreated(key);
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const formError = create.error && !errors.name ? errorMessage(create.error) : undefined;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    create.mutate({ workspaceId, name }, { onSuccess: () => form.reset() });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Create a read key">
      {formError && <Alert>{formError}</Alert>}
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
        <Field
          id="read-key-name"
          label="New read key"
          hint="Where it is used, e.g. “Web shop personalisation”."
          error={errors.name}
        >
          <input
            {...controlProps("read-key-name", { error: errors.name, hasHint: true })}
            name="name"
            autoComplete="off"
            required
            maxLength={80}
          />
        </Field>
        <Button type="submit" disabled={create.isPending} className="sm:mt-6">
          {create.isPending ? "Creating…" : "Create read key"}
        </Button>
      </div>
    </form>
  );
}

/** The new key, the one time it is shown, with the examples filled in. */
function NewReadKey({
  name,
  secret,
  origin,
  onDismiss,
}: {
  name: string;
  /** The key's text: `key` is React's own prop. */
  secret: string;
  origin: string;
  onDismiss: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-3">
      <h3 ref={heading} tabIndex={-1} className="text-sm font-semibold text-emerald-900 focus:outline-none">
        The read key “{name}” was created. Copy it now: it is not shown again.
      </h3>
      <p className="text-sm text-emerald-900">
        Centric keeps only a fingerprint of it. Anyone with the key can read any customer’s profile, so keep
        it on your servers where you can; in a web page, limit it to your site’s origins below.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          id="new-read-key"
          className="min-w-0 rounded bg-white px-2 py-1 font-mono text-xs break-all text-slate-900 ring-1 ring-emerald-200"
        >
          {secret}
        </code>
        <CopyButton text={secret} selectId="new-read-key" label="Copy key" what={`the read key ${name}`} />
      </div>
      <CodeBlock
        id="profile-curl"
        label="With curl"
        what="the curl command"
        code={curlProfileCommand(origin, secret)}
      />
      <CodeBlock
        id="profile-fetch-new"
        label="In a page of your site"
        what="the profile example"
        code={profileFetchSnippet(origin, secret)}
      />
      <Button variant="secondary" onClick={onDismiss}>
        I have copied it
      </Button>
    </div>
  );
}

const originsButtonId = (keyId: string) => `read-origins-${keyId}`;

function ReadKeyOrigins({ readKey, onDone }: { readKey: ReadKeyRow; onDone: (saved?: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const save = useMutation(
    trpc.readKey.setAllowedOrigins.mutationOptions({
      onSuccess: async (updated) => {
        await queryClient.invalidateQueries({ queryKey: trpc.readKey.list.queryKey() });
        onDone(
          updated.allowedOrigins.length === 0
            ? `Pages of any site may now read profiles with “${updated.name}”.`
            : `Only pages of ${updated.allowedOrigins.join(", ")} may now read with “${updated.name}” (servers still may).`,
        );
      },
    }),
  );
  return (
    <OriginsForm
      keyName={readKey.name}
      allowedOrigins={readKey.allowedOrigins}
      label={`Web pages allowed to read profiles with “${readKey.name}”`}
      hint="One origin a line, as scheme://host[:port], e.g. https://shop.example.com. Leave it empty to let pages of any site read. Servers (no browser origin) are never affected."
      saving={save.isPending}
      saveError={save.error ? errorMessage(save.error) : undefined}
      onSave={(allowedOrigins) => save.mutate({ workspaceId, keyId: readKey.id, allowedOrigins })}
      onDone={onDone}
    />
  );
}

function ReadKeyTableRow({
  readKey,
  onNotice,
  editingOrigins,
  onEditOrigins,
}: {
  readKey: ReadKeyRow;
  onNotice: (message: string | undefined) => void;
  editingOrigins: boolean;
  onEditOrigins: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const isRevoked = readKey.revokedAt !== null;

  const revoke = useMutation(
    trpc.readKey.revoke.mutationOptions({
      onMutate: () => onNotice(undefined),
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.readKey.list.queryKey() });
        onNotice(`The read key “${readKey.name}” was revoked. Requests with it are refused from now on.`);
      },
    }),
  );

  useEffect(() => {
    if (confirming) cancelButton.current?.focus();
    else if (wasConfirming.current) revokeButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  return (
    <>
      <tr className="border-t border-slate-100 align-top">
        <th scope="row" className="py-3 pr-4 pl-4 text-left font-medium text-slate-900 sm:pl-0">
          {readKey.name}
          {!isRevoked && (
            <p className="mt-0.5 text-xs font-normal text-slate-500">
              {readKey.allowedOrigins.length === 0 ? (
                "Pages of any site"
              ) : (
                <>
                  Pages of
                  {readKey.allowedOrigins.map((origin) => (
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
          <code
            className={cx(
              "font-mono text-xs whitespace-nowrap",
              isRevoked ? "text-slate-500 line-through" : "text-slate-800",
            )}
          >
            {readKey.prefix}…
          </code>
        </td>
        <td className="py-3 pr-4 whitespace-nowrap text-slate-700">
          <time dateTime={readKey.createdAt.toISOString()}>{formatDate(readKey.createdAt)}</time>
          {readKey.createdByName && <p className="text-xs text-slate-500">by {readKey.createdByName}</p>}
        </td>
        <td className="py-3 pr-4 whitespace-nowrap text-slate-700">
          {readKey.lastUsedAt ? (
            <time dateTime={readKey.lastUsedAt.toISOString()} title={formatDateTime(readKey.lastUsedAt)}>
              {relativeTime(readKey.lastUsedAt)}
            </time>
          ) : (
            <span className="text-slate-500">Never</span>
          )}
        </td>
        <td className="py-3 pr-4 whitespace-nowrap">
          {readKey.revokedAt ? (
            <>
              <span className="inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
                Revoked
              </span>
              <p className="mt-0.5 text-xs text-slate-500">
                <time dateTime={readKey.revokedAt.toISOString()}>{formatDate(readKey.revokedAt)}</time>
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
                id={originsButtonId(readKey.id)}
                variant="ghost"
                aria-expanded={editingOrigins}
                onClick={() => {
                  setConfirming(false);
                  onEditOrigins();
                }}
              >
                Origins<span className="sr-only"> allowed for {readKey.name}</span>
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
                Revoke<span className="sr-only"> {readKey.name}</span>
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
                aria-label={`Confirm revoking ${readKey.name}`}
                className="flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2"
                onKeyDown={(event) => {
                  if (event.key === "Escape") setConfirming(false);
                }}
              >
                <p className="min-w-0 flex-1 text-sm text-red-900">
                  Revoke “{readKey.name}”? Pages and servers that read profiles with it are refused from the
                  next request on. This cannot be undone.
                </p>
                <div className="flex shrink-0 gap-2">
                  <Button
                    variant="danger"
                    disabled={revoke.isPending}
                    onClick={() =>
                      revoke.mutate(
                        { workspaceId, keyId: readKey.id },
                        { onSettled: () => setConfirming(false) },
                      )
                    }
                  >
                    {revoke.isPending ? "Revoking…" : "Revoke read key"}
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
                Could not revoke {readKey.name}: {errorMessage(revoke.error)}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, Button, ConfirmActions, controlProps, Field, FormActions } from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { AppRouter } from "~/server/root";
import { formatCount } from "../../_components/channels";
import { useWorkspace } from "../../_components/workspace-context";
import { ExportJourneyMenu } from "./export/export-menu";
import { JourneyStatus } from "../../_components/journey-table";
import { Modal } from "./modal";
import type { SaveStatus } from "./use-journey-draft";

export type LoadedJourney = inferRouterOutputs<AppRouter>["journey"]["get"];

/**
 * The editor's header: the name (renamed inline by editors), the segment, the
 * status and save state, and the journey-wide actions: publish, copy to
 * another segment, export and delete.
 */
export function JourneyHeader({
  journey,
  name,
  onRename,
  description,
  onDescribe,
  canEdit,
  status,
  settled,
  revision,
  onRetry,
  pictureRef,
}: {
  journey: LoadedJourney;
  name: string;
  onRename: (name: string) => void;
  description: string;
  onDescribe: (description: string) => void;
  canEdit: boolean;
  status: SaveStatus;
  settled: boolean;
  revision: () => number;
  onRetry: () => void;
  pictureRef: React.RefObject<HTMLElement | null>;
}) {
  const { id: workspaceId, slug } = useWorkspace();
  const [dialog, setDialog] = useState<"publish" | "copy" | "delete" | null>(null);
  const close = () => setDialog(null);
  const changed = journey.publishedVersion === null || journey.hasUnpublishedChanges;

  return (
    <div className="mb-4">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href={`/w/${slug}/journeys`} className="text-brand-700 hover:underline">
          Journeys
        </Link>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <JourneyName name={name} onRename={canEdit ? onRename : undefined} />
          <JourneyDescription description={description} onDescribe={canEdit ? onDescribe : undefined} />
          <dl className="mt-2 flex flex-wrap items-center gap-x-6 gap-y-1 text-sm">
            <div className="flex gap-1">
              <dt className="text-slate-500">Segment</dt>
              <dd>
                <Link
                  href={`/w/${slug}/segments/${journey.segment.id}`}
                  className="text-brand-700 hover:underline"
                >
                  {journey.segment.name}
                </Link>{" "}
                <span className="text-slate-500">
                  ({formatCount(journey.segment.memberCount)}{" "}
                  {journey.segment.memberCount === 1 ? "member" : "members"})
                </span>
              </dd>
            </div>
            <div className="flex items-center gap-1">
              <dt className="text-slate-500">Status</dt>
              <dd data-testid="journey-status">
                <JourneyStatus
                  publishedVersion={journey.publishedVersion}
                  hasUnpublishedChanges={journey.hasUnpublishedChanges}
                />
              </dd>
            </div>
            {canEdit && (
              <div className="flex items-center gap-1">
                <dt className="sr-only">Draft</dt>
                <dd>
                  <SaveState status={status} onRetry={onRetry} />
                </dd>
              </div>
            )}
          </dl>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {canEdit && (
            <Button
              onClick={() => setDialog("publish")}
              disabled={!changed || !settled}
              title={
                !changed
                  ? "Nothing has changed since the last published version"
                  : !settled
                    ? "Waiting for the draft to save"
                    : undefined
              }
            >
              Publish
            </Button>
          )}
          {canEdit && (
            <Button variant="secondary" onClick={() => setDialog("copy")}>
              Copy to segment…
            </Button>
          )}
          <ExportJourneyMenu
            workspaceId={workspaceId}
            journeyId={journey.id}
            journeyName={name}
            pictureRef={pictureRef}
          />
          {canEdit && (
            <Button variant="danger" onClick={() => setDialog("delete")}>
              Delete
            </Button>
          )}
        </div>
      </header>
      {canEdit && (
        <>
          <Modal
            id="publish-dialog"
            title={`Publish version ${(journey.publishedVersion ?? 0) + 1}`}
            description="Publishing freezes the draft as it is now. The history keeps every version, and the draft stays editable."
            open={dialog === "publish"}
            onClose={close}
          >
            <PublishForm journey={journey} revision={revision} onDone={close} />
          </Modal>
          <Modal
            id="copy-dialog"
            title="Copy to another segment"
            description="The copy starts as a draft with this journey's current design."
            open={dialog === "copy"}
            onClose={close}
          >
            <CopyForm journey={journey} name={name} onCancel={close} />
          </Modal>
          <Modal
            id="delete-dialog"
            title={`Delete “${name}”?`}
            description="Its draft, published versions and comments are deleted with it. This cannot be undone."
            open={dialog === "delete"}
            onClose={close}
          >
            <DeleteForm journey={journey} onCancel={close} />
          </Modal>
        </>
      )}
    </div>
  );
}

function JourneyName({ name, onRename }: { name: string; onRename?: (name: string) => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  if (editing === null || !onRename) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{name}</h1>
        {onRename && (
          <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setEditing(name)}>
            Rename
          </Button>
        )}
      </div>
    );
  }
  const commit = () => {
    const trimmed = editing.trim();
    if (trimmed && trimmed !== name) onRename(trimmed);
    setEditing(null);
  };
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="journey-name" className="sr-only">
        Journey name
      </label>
      <input
        id="journey-name"
        autoFocus
        value={editing}
        maxLength={120}
        autoComplete="off"
        onChange={(event) => setEditing(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit();
          if (event.key === "Escape") setEditing(null);
        }}
        className="focus:border-brand-500 focus:ring-brand-500 w-[min(32rem,80vw)] rounded-md border border-slate-300 px-2 py-1 text-2xl font-semibold tracking-tight focus:ring-1 focus:outline-none"
      />
    </div>
  );
}

function JourneyDescription({
  description,
  onDescribe,
}: {
  description: string;
  onDescribe?: (description: string) => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  if (editing === null || !onDescribe) {
    return (
      <div className="mt-1 flex max-w-3xl flex-wrap items-baseline gap-2">
        {description && <p className="text-sm text-slate-600">{description}</p>}
        {onDescribe && (
          <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setEditing(description)}>
            {description ? "Edit description" : "Add a description"}
          </Button>
        )}
      </div>
    );
  }
  const commit = () => {
    if (editing.trim() !== description) onDescribe(editing.trim());
    setEditing(null);
  };
  return (
    <div className="mt-1 max-w-3xl">
      <label htmlFor="journey-description" className="sr-only">
        Journey description
      </label>
      <textarea
        id="journey-description"
        autoFocus
        rows={2}
        maxLength={2000}
        value={editing}
        onChange={(event) => setEditing(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Escape") setEditing(null);
        }}
        className="focus:border-brand-500 focus:ring-brand-500 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:ring-1 focus:outline-none"
      />
    </div>
  );
}

function SaveState({ status, onRetry }: { status: SaveStatus; onRetry: () => void }) {
  return (
    <span role="status" className="inline-flex items-center gap-2 text-sm" data-testid="save-state">
      {status.kind === "saved" && <span className="text-slate-500">Saved</span>}
      {status.kind === "pending" && <span className="text-slate-500">Unsaved changes…</span>}
      {status.kind === "saving" && <span className="text-slate-500">Saving…</span>}
      {status.kind === "failed" && (
        <>
          <span className="text-red-700">Could not save: {status.message}</span>
          <Button variant="secondary" className="px-2 py-1 text-xs" onClick={onRetry}>
            Retry
          </Button>
        </>
      )}
      {status.kind === "conflict" && <span className="text-red-700">Not saved: changed elsewhere</span>}
    </span>
  );
}

function useInvalidateJourney(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.journey.get.queryKey({ workspaceId, id }) });
    void queryClient.invalidateQueries({ queryKey: trpc.journey.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.journey.versions.pathKey() });
  };
}

function PublishForm({
  journey,
  revision,
  onDone,
}: {
  journey: LoadedJourney;
  revision: () => number;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const invalidate = useInvalidateJourney(journey.id);
  const [note, setNote] = useState("");
  const publish = useMutation(
    trpc.journey.publish.mutationOptions({
      onSuccess: () => {
        invalidate();
        onDone();
      },
    }),
  );
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        // Naming the revision makes the server refuse if someone saved a change this editor has not seen.
        publish.mutate({ workspaceId, id: journey.id, note: note.trim() || undefined, revision: revision() });
      }}
    >
      <Field
        id="publish-note"
        label="Note"
        hint="What changed, for the history (optional)"
        error={fieldErrors(publish.error).note}
      >
        <textarea
          {...controlProps("publish-note", { error: fieldErrors(publish.error).note, hasHint: true })}
          rows={3}
          maxLength={2000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
      </Field>
      {publish.error && !fieldErrors(publish.error).note && (
        <Alert>Could not publish: {errorMessage(publish.error)}</Alert>
      )}
      <FormActions
        label={`Publish v${(journey.publishedVersion ?? 0) + 1}`}
        pendingLabel="Publishing…"
        pending={publish.isPending}
        onCancel={onDone}
      />
    </form>
  );
}

function CopyForm({
  journey,
  name,
  onCancel,
}: {
  journey: LoadedJourney;
  name: string;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const [segmentId, setSegmentId] = useState("");
  const [copyName, setCopyName] = useState(`${name} (copy)`);
  const [missing, setMissing] = useState<string | undefined>();
  const copy = useMutation(
    trpc.journey.copy.mutationOptions({
      onSuccess: ({ id }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.journey.list.pathKey() });
        router.push(`/w/${slug}/journeys/${id}`);
      },
    }),
  );
  const fields = fieldErrors(copy.error);
  const segmentError = missing ?? fields.segmentId;
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setMissing(segmentId ? undefined : "Choose the segment to copy the journey to.");
        if (!segmentId || !copyName.trim()) return;
        copy.mutate({ workspaceId, id: journey.id, segmentId, name: copyName.trim() });
      }}
    >
      <Field id="copy-segment" label="Segment" error={segmentError}>
        <select
          {...controlProps("copy-segment", { error: segmentError })}
          value={segmentId}
          onChange={(event) => setSegmentId(event.target.value)}
        >
          <option value="">{segments.isPending ? "Loading segments…" : "Choose a segment…"}</option>
          {(segments.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.id === journey.segment.id ? " (this journey's segment)" : ""}
            </option>
          ))}
        </select>
      </Field>
      {segments.error && <Alert>Could not load the segments: {errorMessage(segments.error)}</Alert>}
      <Field
        id="copy-name"
        label="Name of the copy"
        error={fields.name ?? (copyName.trim() ? undefined : "Give the copy a name.")}
      >
        <input
          {...controlProps("copy-name", { error: fields.name ?? !copyName.trim() })}
          value={copyName}
          maxLength={120}
          autoComplete="off"
          onChange={(event) => setCopyName(event.target.value)}
        />
      </Field>
      {copy.error && !fields.name && !fields.segmentId && (
        <Alert>Could not copy: {errorMessage(copy.error)}</Alert>
      )}
      <FormActions
        label="Copy journey"
        pendingLabel="Copying…"
        pending={copy.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}

function DeleteForm({ journey, onCancel }: { journey: LoadedJourney; onCancel: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const remove = useMutation(
    trpc.journey.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.journey.list.pathKey() });
        router.push(`/w/${slug}/journeys`);
      },
    }),
  );
  return (
    <div className="space-y-3">
      {remove.error && <Alert>Could not delete: {errorMessage(remove.error)}</Alert>}
      <ConfirmActions
        label="Delete journey"
        pendingLabel="Deleting…"
        pending={remove.isPending}
        onConfirm={() => remove.mutate({ workspaceId, id: journey.id })}
        onCancel={onCancel}
      />
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { QueryView } from "~/app/_components/query-view";
import {
  Alert,
  Button,
  Card,
  controlProps,
  cx,
  Field,
  LoadError,
  LoadingRows,
  Options,
} from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatTimestamp } from "../../../_components/format";
import { issuesByPath } from "../../_components/form-issues";
import { ModelEditor } from "./model-editor";
import { ModelView } from "./model-view";

/** The model picked on the page; version undefined: the model's newest. */
interface Selection {
  modelId: string | null;
  version?: number;
}

const BUILT_IN = "built-in";

/**
 * The models this workspace can assess with: the built-in one and its custom
 * copies. Everyone reads them; admins copy a model and edit a custom one, each
 * save making a new version so that old assessments keep their meaning.
 */
export function ModelPage({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const id = useId();
  const models = useQuery(trpc.maturity.model.list.queryOptions({ workspaceId }));
  const assessments = useQuery(trpc.maturity.assessment.list.queryOptions({ workspaceId }));
  const [picked, setPicked] = useState<Selection | null>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  // Until someone picks one, the page shows the model of the latest assessment (the one in use).
  const inUse: Selection | null = assessments.data
    ? { modelId: assessments.data[0]?.modelId ?? null }
    : assessments.error
      ? { modelId: null }
      : null;
  const selection = picked ?? inUse;
  const summary = models.data?.find((m) => m.modelId === (selection?.modelId ?? null));

  return (
    <QueryView
      query={models}
      what="the maturity models"
      isEmpty={(data) => data.length === 0}
      empty={{ title: "No maturity model" }}
    >
      {(list) => {
        if (!selection || !summary) return <LoadingRows rows={6} label="Loading the model" />;
        const version = selection.version ?? summary.version;
        return (
          <div className="space-y-6">
            {notice && <Alert tone="success">{notice}</Alert>}
            <div className="flex flex-wrap items-end justify-between gap-4">
              <div className="w-full max-w-md">
                <Field
                  id={`${id}-model`}
                  label="Model"
                  hint={
                    inUse && (inUse.modelId ?? null) === summary.modelId
                      ? "The model of the latest assessment."
                      : undefined
                  }
                >
                  <select
                    {...controlProps(`${id}-model`, { hasHint: true })}
                    value={summary.modelId ?? BUILT_IN}
                    disabled={editing}
                    onChange={(e) => {
                      setNotice(null);
                      setPicked({ modelId: e.target.value === BUILT_IN ? null : e.target.value });
                    }}
                  >
                    <Options
                      items={list}
                      value={(m) => m.modelId ?? BUILT_IN}
                      label={(m) => `${m.name}${m.builtIn ? " (built in)" : ` (version ${m.version})`}`}
                    />
                  </select>
                </Field>
              </div>
              {isAdmin && !editing && (
                <div className="flex flex-wrap gap-2">
                  {!summary.builtIn && version === summary.version && (
                    <Button
                      onClick={() => {
                        setNotice(null);
                        setEditing(true);
                      }}
                    >
                      Edit this model
                    </Button>
                  )}
                </div>
              )}
            </div>
            {isAdmin && !editing && (
              <CopyModel
                from={{ modelId: summary.modelId, version }}
                fromName={summary.name}
                onCopied={(modelId, name) => {
                  setPicked({ modelId });
                  setNotice(
                    `“${name}” was created as version 1. Edit it below, then save it as a new version.`,
                  );
                }}
              />
            )}
            {!summary.builtIn && (
              <VersionHistory
                modelId={summary.modelId!}
                shown={version}
                disabled={editing}
                onShow={(v) => setPicked({ modelId: summary.modelId, version: v })}
              />
            )}
            <ModelVersion
              key={`${summary.modelId}:${version}:${editing}`}
              selection={{ modelId: summary.modelId, version }}
              editing={editing}
              onSaved={(saved) => {
                setEditing(false);
                setPicked({ modelId: summary.modelId });
                setNotice(`Saved as version ${saved}.`);
              }}
              onCancel={() => setEditing(false)}
            />
          </div>
        );
      }}
    </QueryView>
  );
}

function ModelVersion({
  selection,
  editing,
  onSaved,
  onCancel,
}: {
  selection: Required<Selection>;
  editing: boolean;
  onSaved: (version: number) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const model = useQuery(trpc.maturity.model.get.queryOptions({ workspaceId, ...selection }));
  if (model.isPending) return <LoadingRows rows={6} label="Loading the model" />;
  if (!model.data)
    return (
      <LoadError what="the model" error={errorMessage(model.error)} onRetry={() => void model.refetch()} />
    );
  const { model: definition } = model.data;
  if (editing && selection.modelId)
    return (
      <ModelEditor modelId={selection.modelId} model={definition} onSaved={onSaved} onCancel={onCancel} />
    );
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        <strong className="text-slate-900">{definition.name}</strong>, version {definition.version}:{" "}
        {definition.levels.length} levels, {definition.dimensions.length} dimensions.
      </p>
      <ModelView model={definition} />
    </div>
  );
}

function VersionHistory({
  modelId,
  shown,
  disabled,
  onShow,
}: {
  modelId: string;
  shown: number;
  disabled: boolean;
  onShow: (version: number) => void;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const versions = useQuery(trpc.maturity.model.versions.queryOptions({ workspaceId, modelId }));
  return (
    <Card aria-labelledby={`versions-${modelId}`} className="p-4">
      <h2 id={`versions-${modelId}`} className="text-sm font-medium text-slate-900">
        Versions
      </h2>
      <p className="mt-0.5 text-xs text-slate-500">
        Each save is a new version; an assessment keeps the version it was made with.
      </p>
      <div className="mt-2">
        <QueryView
          query={versions}
          what="the versions"
          loadingRows={2}
          isEmpty={(data) => data.length === 0}
          empty={{ title: "No saved version" }}
        >
          {(data) => (
            <ol className="divide-y divide-slate-100 text-sm">
              {data.map((v, i) => (
                <li key={v.version} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <span className="font-medium text-slate-900">
                      Version {v.version}
                      {i === 0 ? " (latest)" : ""}
                    </span>
                    <span className="text-slate-600">
                      {" "}
                      · {v.name} · {v.dimensions} dimensions · saved{" "}
                      {formatTimestamp(v.createdAt.toISOString())}
                      {v.createdBy ? ` by ${v.createdBy}` : ""}
                    </span>
                  </span>
                  <button
                    type="button"
                    disabled={disabled || v.version === shown}
                    aria-pressed={v.version === shown}
                    onClick={() => onShow(v.version)}
                    className={cx(
                      "rounded-full border px-3 py-1 text-sm",
                      v.version === shown
                        ? "border-brand-600 bg-brand-50 text-brand-700 font-medium"
                        : "border-slate-300 text-slate-700 hover:bg-slate-50",
                    )}
                  >
                    {v.version === shown ? "Shown" : "Show"}
                    <span className="sr-only"> version {v.version}</span>
                  </button>
                </li>
              ))}
            </ol>
          )}
        </QueryView>
      </div>
    </Card>
  );
}

function CopyModel({
  from,
  fromName,
  onCopied,
}: {
  from: Required<Selection>;
  fromName: string;
  onCopied: (modelId: string, name: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const copy = useMutation(trpc.maturity.model.copy.mutationOptions());
  const nameError = issuesByPath(copy.error).name;

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const created = await copy.mutateAsync({ workspaceId, from, name });
      await queryClient.invalidateQueries({ queryKey: trpc.maturity.model.list.queryKey() });
      setOpen(false);
      setName("");
      onCopied(created.modelId!, created.name);
    } catch {
      // Shown beside the name.
    }
  }

  if (!open)
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Copy to a custom model
      </Button>
    );
  return (
    <Card className="p-4">
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3">
        <div className="w-full max-w-sm">
          <Field
            id={`${id}-name`}
            label="Name of the copy"
            hint={`A copy of “${fromName}” that you can rename and change.`}
            error={nameError}
          >
            <input
              {...controlProps(`${id}-name`, { error: nameError, hasHint: true })}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
        </div>
        <Button type="submit" disabled={copy.isPending}>
          {copy.isPending ? "Copying…" : "Create the copy"}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </form>
      {copy.error && !nameError && (
        <div className="mt-3">
          <Alert>Could not copy the model: {errorMessage(copy.error)}</Alert>
        </div>
      )}
    </Card>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Alert, Button, controlProps, Field, Options } from "~/app/_components/ui";
import { errorMessage, inputIssues } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { Modal } from "../modal";

/** Larger files are refused before they are sent; a journey's JSON is a few hundred kB at most. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** "Import journey": a button and a dialog that read a journey's JSON file (from "Export") into a segment. */
export function ImportJourneyButton({ workspaceId, slug }: { workspaceId: string; slug: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Import journey
      </Button>
      <Modal
        open={open}
        title="Import journey"
        description="Read a journey from a JSON file exported from Centric, into one of this workspace's segments. It arrives as a new draft."
        onClose={() => setOpen(false)}
      >
        <ImportForm workspaceId={workspaceId} slug={slug} onClose={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function ImportForm({
  workspaceId,
  slug,
  onClose,
}: {
  workspaceId: string;
  slug: string;
  onClose: () => void;
}) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const [file, setFile] = useState<File | null>(null);
  const [segmentId, setSegmentId] = useState("");
  const [problem, setProblem] = useState<{ file?: string; segment?: string }>({});
  const importJson = useMutation(
    trpc.journey.importJson.mutationOptions({
      onSuccess: async (journey) => {
        await queryClient.invalidateQueries({ queryKey: trpc.journey.list.queryKey() });
        router.push(`/w/${slug}/journeys/${journey.id}`);
      },
    }),
  );
  const chosenSegment = segmentId || segments.data?.[0]?.id || "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    importJson.reset();
    const found: typeof problem = {};
    if (!file) found.file = "Choose a journey file.";
    else if (file.size > MAX_FILE_BYTES)
      found.file = "The file is larger than 2 MB; a journey file is much smaller.";
    if (!chosenSegment) found.segment = "Choose the segment the journey is for.";
    let parsed: unknown;
    if (file && !found.file) {
      try {
        parsed = JSON.parse(await file.text());
      } catch (error) {
        found.file = `The file is not JSON: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    setProblem(found);
    if (found.file || found.segment) return;
    importJson.mutate({ workspaceId, segmentId: chosenSegment, file: parsed });
  }

  const issues = inputIssues(importJson.error);
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Field id={`${id}-file`} label="Journey file (.json)" error={problem.file}>
        <input
          {...controlProps(`${id}-file`, { error: problem.file })}
          type="file"
          accept=".json,application/json"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </Field>
      <Field id={`${id}-segment`} label="Segment" error={problem.segment}>
        {segments.isPending ? (
          <p className="text-sm text-slate-500">Loading the segments…</p>
        ) : segments.error ? (
          <Alert>Could not load the segments: {errorMessage(segments.error)}</Alert>
        ) : segments.data.length === 0 ? (
          <Alert tone="info">Create a segment first: a journey is designed for a segment.</Alert>
        ) : (
          <select
            {...controlProps(`${id}-segment`, { error: problem.segment })}
            value={chosenSegment}
            onChange={(e) => setSegmentId(e.target.value)}
          >
            <Options items={segments.data} value={(s) => s.id} label={(s) => s.name} />
          </select>
        )}
      </Field>
      {importJson.error && (
        <Alert>
          <p>
            {issues.length > 0
              ? `The file cannot be imported (${issues.length} ${issues.length === 1 ? "problem" : "problems"}):`
              : `The file cannot be imported: ${errorMessage(importJson.error)}`}
          </p>
          {issues.length > 0 && (
            <ul className="mt-1 list-disc space-y-0.5 pl-5">
              {issues.slice(0, 20).map((issue, i) => (
                <li key={i}>
                  {issue.path && <code className="rounded bg-red-100 px-1 text-xs">{issue.path}</code>}{" "}
                  {issue.message}
                </li>
              ))}
              {issues.length > 20 && <li>and {issues.length - 20} more</li>}
            </ul>
          )}
        </Alert>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={importJson.isPending || importJson.isSuccess}>
          {importJson.isPending ? "Importing…" : "Import"}
        </Button>
      </div>
    </form>
  );
}

"use client";

import { useRef, useState } from "react";
import { Button, Field, SectionCard, buttonClass, cx } from "~/app/_components/ui";
import { csvIssue, SNIFF_BYTES } from "~/server/files/sniff";
import { useWorkspace } from "../../../_components/workspace-context";
import { ProgressBar } from "../../../_components/progress-bar";

type Kind = "events" | "customers";

const kinds: { value: Kind; label: string; hint: string }[] = [
  {
    value: "events",
    label: "Events",
    hint: "One row per purchase, visit, call or other event: customer id, date, event name, amount, channel.",
  },
  {
    value: "customers",
    label: "Customers",
    hint: "One row per customer: id, email, phone, name and other traits.",
  },
];

function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Sends the file as the request body, with upload progress (fetch cannot report it). */
function upload(
  url: string,
  file: File,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      let body: { id?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not JSON: a proxy's error page.
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.id) resolve({ id: body.id });
      else reject(new Error(body.error ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the server could not be reached."));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

export function UploadForm({ onUploaded }: { onUploaded: (importId: string) => void }) {
  const { id: workspaceId } = useWorkspace();
  const [kind, setKind] = useState<Kind>("events");
  const [file, setFile] = useState<File>();
  const [loaded, setLoaded] = useState<number>();
  const [error, setError] = useState<string>();
  const abort = useRef<AbortController | null>(null);
  const uploading = loaded !== undefined;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file) {
      setError("Choose a CSV file first.");
      return;
    }
    // The server checks the same; asking first spares uploading a large file only to hear it is an image.
    const notCsv = csvIssue(
      new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()),
      file.size <= SNIFF_BYTES,
    );
    if (notCsv) {
      setError(notCsv);
      return;
    }
    setError(undefined);
    setLoaded(0);
    abort.current = new AbortController();
    try {
      const params = new URLSearchParams({ workspaceId, kind });
      const { id } = await upload(`/api/imports/upload?${params}`, file, setLoaded, abort.current.signal);
      onUploaded(id);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === "AbortError")) setError((e as Error).message);
    } finally {
      setLoaded(undefined);
      abort.current = null;
    }
  }

  return (
    <SectionCard
      id="new-import"
      title="New import"
      description="Step 1 of 2: choose what the file holds and upload it. Next you map its columns and see a preview."
    >
      <form onSubmit={submit} className="space-y-5" noValidate>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">The file holds</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {kinds.map((k) => (
              <label
                key={k.value}
                className={cx(
                  "flex cursor-pointer gap-3 rounded-md border p-3 text-sm",
                  kind === k.value ? "border-brand-500 bg-brand-50" : "border-slate-200 hover:bg-slate-50",
                )}
              >
                <input
                  type="radio"
                  name="kind"
                  value={k.value}
                  checked={kind === k.value}
                  onChange={() => setKind(k.value)}
                  disabled={uploading}
                  className="mt-0.5"
                />
                <span>
                  <span className="block font-medium text-slate-900">{k.label}</span>
                  <span className="block text-slate-600">{k.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field
          id="import-file"
          label="CSV file"
          hint="Comma, semicolon, tab or pipe separated, or aligned columns; UTF-8, Windows-1252 or UTF-16 text; up to 2 GB."
          error={error}
        >
          <input
            id="import-file"
            type="file"
            accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "import-file-error" : "import-file-hint"}
            disabled={uploading}
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setError(undefined);
            }}
            className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-50"
          />
        </Field>
        {uploading && file && (
          <div className="space-y-1">
            <ProgressBar
              label={`Uploading ${file.name}`}
              value={loaded}
              max={file.size}
              text={`${formatBytes(loaded)} of ${formatBytes(file.size)}`}
            />
            <p className="text-xs text-slate-600" aria-hidden="true">
              Uploading… {formatBytes(loaded)} of {formatBytes(file.size)}
            </p>
          </div>
        )}
        <div className="flex gap-2">
          <button type="submit" disabled={uploading} className={buttonClass("primary")}>
            {uploading ? "Uploading…" : "Upload and map columns"}
          </button>
          {uploading && (
            <Button variant="secondary" onClick={() => abort.current?.abort()}>
              Cancel upload
            </Button>
          )}
        </div>
      </form>
    </SectionCard>
  );
}

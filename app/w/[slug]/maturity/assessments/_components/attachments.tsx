"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, buttonClass } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import {
  attachmentContentIssue,
  attachmentTypes,
  MAX_ATTACHMENT_BYTES,
} from "~/server/maturity/attachment-types";
import { useWorkspace } from "../../../_components/workspace-context";
import { formatDateTime } from "../../../_components/dates";
import { fileIssue, formatBytes, toBase64 } from "./sheet";
import type { Attachment } from "./types";
import { useAssessmentChanged } from "./use-assessment-changed";

const accept = Object.keys(attachmentTypes)
  .map((extension) => `.${extension}`)
  .join(",");

/** Where a member downloads an evidence file (app/api/maturity/attachment). */
function downloadHref(workspaceId: string, id: string) {
  return `/api/maturity/attachment?${new URLSearchParams({ workspaceId, id })}`;
}

/** Evidence files of one dimension: everyone downloads them; editors add and remove them while it is open. */
export function Attachments({
  assessmentId,
  dimensionKey,
  dimensionName,
  files,
  canChange,
}: {
  assessmentId: string;
  dimensionKey: string;
  dimensionName: string;
  files: Attachment[];
  canChange: boolean;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const changed = useAssessmentChanged(assessmentId);
  const [issue, setIssue] = useState<string | null>(null);
  const upload = useMutation(trpc.maturity.attachment.upload.mutationOptions({ onSuccess: () => changed() }));
  const remove = useMutation(trpc.maturity.attachment.remove.mutationOptions({ onSuccess: () => changed() }));
  const inputId = `${dimensionKey}-file`;

  async function attach(file: File | undefined) {
    upload.reset();
    setIssue(null);
    if (!file) return;
    const problem = fileIssue(file);
    if (problem) {
      setIssue(problem);
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const mismatch = attachmentContentIssue(file.name, bytes);
    if (mismatch) {
      setIssue(mismatch);
      return;
    }
    const base64 = toBase64(bytes);
    upload.mutate({ workspaceId, assessmentId, dimensionKey, fileName: file.name, base64 });
  }

  const error = issue ?? (upload.error ? errorMessage(upload.error) : null);
  return (
    <div className="space-y-2">
      <h4 className="text-sm font-medium text-slate-700">Evidence files</h4>
      {files.length === 0 ? (
        <p className="text-sm text-slate-500">No files attached.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {files.map((file) => (
            <li key={file.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span className="min-w-0">
                <span className="font-medium break-all text-slate-900">{file.fileName}</span>{" "}
                <span className="text-xs text-slate-500">
                  {formatBytes(file.size)}
                  {file.uploadedBy && `, from ${file.uploadedBy.name}`}, {formatDateTime(file.createdAt)}
                </span>
              </span>
              <span className="flex gap-2">
                <a
                  href={downloadHref(workspaceId, file.id)}
                  download={file.fileName}
                  aria-label={`Download ${file.fileName}`}
                  className={buttonClass("secondary")}
                >
                  Download
                </a>
                {canChange && (
                  <Button
                    variant="danger"
                    aria-label={`Remove ${file.fileName}`}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate({ workspaceId, id: file.id })}
                  >
                    Remove
                  </Button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {remove.error && <Alert>Could not remove the file: {errorMessage(remove.error)}</Alert>}
      {canChange && (
        <div className="space-y-1">
          <label htmlFor={inputId} className="block text-sm text-slate-700">
            Attach a file to {dimensionName}
          </label>
          <input
            id={inputId}
            type="file"
            accept={accept}
            disabled={upload.isPending}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : `${inputId}-hint`}
            onChange={(e) => {
              const file = e.target.files?.[0];
              // Cleared at once, so that choosing the same file again (after fixing it) uploads it again.
              e.target.value = "";
              void attach(file);
            }}
            className="file:text-brand-700 block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
          {error ? (
            <p id={`${inputId}-error`} className="text-xs text-red-700" role="alert">
              {error}
            </p>
          ) : (
            <p id={`${inputId}-hint`} className="text-xs text-slate-500">
              {upload.isPending
                ? "Uploading…"
                : `PDF, PNG, JPG, TXT, CSV, DOCX or XLSX, up to ${formatBytes(MAX_ATTACHMENT_BYTES)}.`}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

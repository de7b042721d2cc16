"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button, inputClass } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { MAX_ALLOWED_ORIGINS, parseOrigin } from "~/server/writekeys/origins";
import type { WriteKeyRow } from "~/server/writekeys/writekeys";
import { useWorkspace } from "../../../_components/workspace-context";

/** The lines of the text area, each checked as the server will: every problem at once, before saving. */
function checkLines(text: string) {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const problems = lines.flatMap((line) => {
    const check = parseOrigin(line);
    return check.ok ? [] : [check.error];
  });
  if (lines.length > MAX_ALLOWED_ORIGINS)
    problems.push(`A key allows at most ${MAX_ALLOWED_ORIGINS} origins.`);
  return { lines, problems };
}

/** Edits the pages whose browsers may send with a write key, one origin a line; empty lets any page. */
export function AllowedOriginsEditor({
  writeKey,
  onDone,
}: {
  writeKey: WriteKeyRow;
  onDone: (saved?: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const save = useMutation(
    trpc.writeKey.setAllowedOrigins.mutationOptions({
      onSuccess: async (updated) => {
        await queryClient.invalidateQueries({ queryKey: trpc.writeKey.list.queryKey() });
        onDone(
          updated.allowedOrigins.length === 0
            ? `Pages of any site may now send with “${updated.name}”.`
            : `Only pages of ${updated.allowedOrigins.join(", ")} may now send with “${updated.name}” (servers still may).`,
        );
      },
    }),
  );
  return (
    <OriginsForm
      keyName={writeKey.name}
      allowedOrigins={writeKey.allowedOrigins}
      label={`Web pages allowed to send with “${writeKey.name}”`}
      hint="One origin a line, as scheme://host[:port], e.g. https://shop.example.com. Leave it empty to let pages of any site send, as Segment does. Servers and apps (no browser origin) are never affected."
      saving={save.isPending}
      saveError={save.error ? errorMessage(save.error) : undefined}
      onSave={(allowedOrigins) => save.mutate({ workspaceId, keyId: writeKey.id, allowedOrigins })}
      onDone={onDone}
    />
  );
}

/** The form of a key's allowed origins, one a line, each checked as the server will before it is sent. */
export function OriginsForm({
  keyName,
  allowedOrigins,
  label,
  hint,
  saving,
  saveError,
  onSave,
  onDone,
}: {
  keyName: string;
  allowedOrigins: string[];
  label: string;
  hint: string;
  saving: boolean;
  saveError?: string;
  onSave: (allowedOrigins: string[]) => void;
  onDone: () => void;
}) {
  const id = useId();
  const [text, setText] = useState(allowedOrigins.join("\n"));
  const [problems, setProblems] = useState<string[]>([]);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { lines, problems: found } = checkLines(text);
    setProblems(found);
    if (found.length === 0) onSave(lines);
  }

  const errors = problems.length > 0 ? problems : saveError ? [saveError] : [];
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={`Allowed origins of ${keyName}`}
      className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3"
      onKeyDown={(event) => {
        if (event.key === "Escape") onDone();
      }}
    >
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {hint}
      </p>
      <textarea
        id={id}
        value={text}
        onChange={(event) => setText(event.target.value)}
        rows={Math.min(8, Math.max(3, text.split("\n").length + 1))}
        spellCheck={false}
        autoFocus
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={errors.length > 0 ? `${id}-errors` : `${id}-hint`}
        className={`${inputClass} font-mono text-xs`}
        placeholder="https://shop.example.com"
      />
      {errors.length > 0 && (
        // The alert around the list, not on it: the role would take the list's place for screen readers.
        <div id={`${id}-errors`} role="alert">
          <ul className="list-disc space-y-0.5 pl-5 text-xs text-red-700">
            {errors.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save origins"}
        </Button>
        <Button variant="secondary" disabled={saving} onClick={() => onDone()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

import { TRPCClientError } from "@trpc/client";
import type { FieldErrors } from "react-hook-form";

// A refused save's problems by field, whichever layer refused it: zod on the
// procedure's input (paths "data.title", "links.0.targetId") or a domain rule
// (InvalidInputError, paths "links[0].targetId", "dimensions[2].levels[0].descriptor").
// Both are brought to the second form, so a form looks up one key per field.

/** "data.links.0.targetId" → "links[0].targetId"; `prefix` is the wrapper the procedure adds ("data."). */
export function normalisePath(path: string, prefix = ""): string {
  const bare = prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
  return bare.replace(/\.(\d+)(?=\.|\[|$)/g, "[$1]");
}

/** The first message for each path of a refused call; empty for any other error. */
export function issuesByPath(error: unknown, prefix = ""): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const data = error.data as
    | {
        zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null;
        inputIssues?: { path: string; message: string }[] | null;
      }
    | undefined;
  const out: Record<string, string> = {};
  for (const [path, messages] of Object.entries(data?.zodError?.fieldErrors ?? {})) {
    const key = normalisePath(path, prefix);
    if (messages?.[0] && !(key in out)) out[key] = messages[0];
  }
  for (const issue of data?.inputIssues ?? []) {
    const key = normalisePath(issue.path, prefix);
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** The issues under one field, e.g. every "links[…]" issue for the links picker. */
export function issueUnder(issues: Record<string, string>, field: string): string | undefined {
  return Object.entries(issues).find(
    ([path]) => path === field || path.startsWith(`${field}[`) || path.startsWith(`${field}.`),
  )?.[1];
}

/** react-hook-form's nested errors, as found by a schema, in the flat form ("dimensions[2].levels[0].descriptor"). */
export function issuesFromFieldErrors(errors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    const { message } = node as { message?: unknown };
    if (typeof message === "string" && message && !(path in out)) out[path] = message;
    for (const [key, child] of Object.entries(node)) {
      // "ref" is the field's element; the others are this error's own details.
      if (key === "ref" || key === "message" || key === "type" || key === "types") continue;
      visit(child, Array.isArray(node) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    }
  };
  visit(errors, "");
  return out;
}

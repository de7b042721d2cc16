import { TRPCClientError } from "@trpc/client";

// What the journey procedures' refusals carry beyond their message (server/trpc.ts errorFormatter).

export type InputIssue = { path: string; message: string };

/** The server's issues by path for refused input (e.g. "stages[2].name"), or none. */
export function inputIssues(error: unknown): InputIssue[] {
  if (!(error instanceof TRPCClientError)) return [];
  return (error.data as { inputIssues?: InputIssue[] | null } | undefined)?.inputIssues ?? [];
}

/** The tRPC code of a failed call ("CONFLICT", "NOT_FOUND", …). */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error.data as { code?: string } | undefined)?.code;
}

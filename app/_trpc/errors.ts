import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "~/server/root";

type AppError = TRPCClientError<AppRouter>;

function asAppError(error: unknown): AppError | undefined {
  return error instanceof TRPCClientError ? (error as AppError) : undefined;
}

/** Per-field messages from the server's zod validation, for showing beside inputs. */
export function fieldErrors(error: unknown): Record<string, string | undefined> {
  const fields = (asAppError(error)?.data?.zodError?.fieldErrors ?? {}) as Record<
    string,
    string[] | undefined
  >;
  return Object.fromEntries(Object.entries(fields).map(([key, messages]) => [key, messages?.[0]]));
}

/** A refusal's issues by path (e.g. "stages[2].name"), from the errorFormatter's data.inputIssues; none otherwise. */
export type InputIssue = { path: string; message: string };

export function inputIssues(error: unknown): InputIssue[] {
  return (asAppError(error)?.data as { inputIssues?: InputIssue[] | null } | undefined)?.inputIssues ?? [];
}

/** The tRPC code of a failed call ("CONFLICT", "NOT_FOUND", …). */
export function errorCode(error: unknown): string | undefined {
  return asAppError(error)?.data?.code;
}

/** One sentence for a failed call: the first validation message, or the server's message. */
export function errorMessage(error: unknown): string {
  const appError = asAppError(error);
  const firstField = Object.values(fieldErrors(error)).find(Boolean);
  if (firstField) return firstField;
  const formErrors = appError?.data?.zodError?.formErrors;
  if (formErrors?.[0]) return formErrors[0];
  if (appError) return appError.message;
  return error instanceof Error ? error.message : "Something went wrong. Try again.";
}

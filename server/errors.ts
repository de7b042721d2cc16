// Errors that domain modules throw for rules a caller broke. The tRPC layer
// and the route handlers' wrapper turn them into NOT_FOUND / CONFLICT /
// BAD_REQUEST … with the same message (describeDomainError), so the modules
// stay free of transport concerns.

export class NotFoundError extends Error {
  name = "NotFoundError";
}

export class ConflictError extends Error {
  name = "ConflictError";
}

/** A business rule refused the change (e.g. removing the last admin). */
export class RuleError extends Error {
  name = "RuleError";
}

/** The caller may not do this, whatever the input. */
export class ForbiddenError extends Error {
  name = "ForbiddenError";
}

/** Input refused with one issue per place (a path such as "rule.rules[0].value"), so a form can show each beside its field. */
export class InvalidInputError extends RuleError {
  name = "InvalidInputError";
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** A query stopped by its timeout or because its caller went away. */
export class QueryCancelledError extends Error {
  name = "QueryCancelledError";
}

/** What was sent is larger than the most the server takes. */
export class TooLargeError extends Error {
  name = "TooLargeError";
}

/** What a caller is told of a failure of the server's own (the error itself is logged). */
export const INTERNAL_ERROR_MESSAGE =
  "Something went wrong on the server. It has been logged; try again in a moment.";

/** The tRPC code of a refusal, which also names its HTTP status. */
export type DomainErrorCode =
  "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "BAD_REQUEST" | "TIMEOUT" | "PAYLOAD_TOO_LARGE";

function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  if ((error as { code?: unknown }).code === "23505") return true;
  return isUniqueViolation((error as { cause?: unknown }).cause);
}

/** A domain error as the refusal the caller is told of; null for a failure of the server's own. */
export function describeDomainError(error: unknown): { code: DomainErrorCode; message: string } | null {
  const as = (code: DomainErrorCode) => ({ code, message: (error as Error).message });
  if (error instanceof NotFoundError) return as("NOT_FOUND");
  if (error instanceof ConflictError) return as("CONFLICT");
  if (error instanceof ForbiddenError) return as("FORBIDDEN");
  if (error instanceof RuleError) return as("BAD_REQUEST");
  if (error instanceof QueryCancelledError) return as("TIMEOUT");
  if (error instanceof TooLargeError) return as("PAYLOAD_TOO_LARGE");
  // Two people creating the same thing at once: the loser is told to look again.
  if (isUniqueViolation(error))
    return { code: "CONFLICT", message: "That already exists; reload and try again." };
  return null;
}

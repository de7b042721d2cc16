// Errors that domain modules throw for rules a caller broke. The tRPC layer
// turns them into NOT_FOUND / CONFLICT / BAD_REQUEST with the same message,
// so the modules stay free of transport concerns.

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

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

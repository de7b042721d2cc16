import { RuleError } from "~/server/errors";
import type { CustomerSort } from "./list-sorts";

// Cursors of the customer list and the timeline: opaque to callers, base64url
// JSON inside. They carry the sort value as Postgres text, so microsecond
// timestamps survive the trip through JavaScript.

export interface ListCursor {
  /** The sort it belongs to; a cursor from another sort is refused. */
  s: CustomerSort;
  /** The sort value of the last row (Postgres text), or null once in the rows without one. */
  v: string | null;
  id: string;
}

export interface TimelineCursor {
  /** The last row's timestamp as Postgres text (microseconds kept). */
  t: string;
  id: number;
}

export function encodeCursor(value: ListCursor | TimelineCursor) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeListCursor(cursor: string, sort: CustomerSort): ListCursor {
  const value = decodeCursor(cursor) as Partial<ListCursor> | null;
  if (
    !value ||
    value.s !== sort ||
    (value.v !== null && typeof value.v !== "string") ||
    typeof value.id !== "string" ||
    !UUID.test(value.id) ||
    (sort === "lastSeen" && typeof value.v === "string" && Number.isNaN(Date.parse(value.v))) ||
    ((sort === "value" || sort === "alive") && typeof value.v === "string" && !isFloatText(value.v))
  ) {
    throw new RuleError("That page of customers is out of date: start the list again.");
  }
  return { s: value.s, v: value.v, id: value.id };
}

export function decodeTimelineCursor(cursor: string): TimelineCursor {
  const value = decodeCursor(cursor) as Partial<TimelineCursor> | null;
  if (
    !value ||
    typeof value.t !== "string" ||
    !Number.isSafeInteger(value.id) ||
    Number.isNaN(Date.parse(value.t))
  ) {
    throw new RuleError("That page of the timeline is out of date: reload it.");
  }
  return { t: value.t, id: value.id as number };
}

/** Postgres float8 text output (shortest exact), as the value sorts' cursors carry it. */
function isFloatText(text: string) {
  return /^-?(\d+(\.\d*)?(e[+-]?\d+)?|Infinity)$/i.test(text);
}

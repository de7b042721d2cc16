// Text that PostgreSQL cannot store: a NUL character (text and jsonb refuse
// it) and a lone UTF-16 surrogate (not Unicode, so not UTF-8). Every input that
// reaches the database is checked here first, so that such text is refused
// with a message that names where it is, instead of failing a query.

/** Deeper than this, an input is refused as a whole rather than walked. */
const MAX_DEPTH = 64;

const LONE_SURROGATE = /\p{Cs}/u;

/** Why this text cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (LONE_SURROGATE.test(text)) return "contains a lone UTF-16 surrogate (not Unicode text), which cannot be stored";
  return undefined;
}

export interface UnstorableText {
  /** Where it is: the keys and indexes from the top ("data.name", "batch.3.properties.note"). */
  path: string;
  reason: string;
}

/** The first string (value or key) in `value` that cannot be stored, or undefined when all can. */
export function findUnstorableText(value: unknown, path: string[] = []): UnstorableText | undefined {
  const at = (reason: string) => ({ path: path.join("."), reason });
  if (typeof value === "string") {
    const reason = unstorableReason(value);
    return reason ? at(reason) : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  if (path.length >= MAX_DEPTH) return at(`is nested more than ${MAX_DEPTH} levels deep`);
  for (const [key, item] of Object.entries(value)) {
    const keyReason = unstorableReason(key);
    if (keyReason) return { path: [...path, key].join("."), reason: `its name ${keyReason}` };
    const found = findUnstorableText(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** "data.name contains a NUL character …", or the reason alone for the top level. */
export function describeUnstorable({ path, reason }: UnstorableText) {
  return path ? `${path} ${reason}` : `The text ${reason}`;
}

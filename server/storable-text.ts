// Text that PostgreSQL cannot store: a NUL character (text and jsonb refuse
// it) and a lone UTF-16 surrogate (not Unicode, so not UTF-8). Every input that
// reaches the database is checked here first, so that such text is refused
// with a message that names where it is, instead of failing a query.

/** Deeper than this, an input is refused as a whole rather than walked. */
const MAX_DEPTH = 64;

/** Why this text cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  // Well-formed UTF-16 is exactly text without a lone surrogate (ES2024; Node 20 has it).
  if (!text.isWellFormed()) {
    return "contains a lone UTF-16 surrogate (not Unicode text), which cannot be stored";
  }
  return undefined;
}

export interface UnstorableText {
  /** Where it is: the keys and indexes from the top ("data.name", "batch.3.properties.note"). */
  path: string;
  reason: string;
}

/** The first string (value or key) in `value` that cannot be stored, or undefined when all can. */
export function findUnstorableText(value: unknown): UnstorableText | undefined {
  return walk(value, []);
}

// Every message of the tracking API and every imported row goes through here, so the walk
// allocates nothing on the way down: one path, extended and shortened in place.
function walk(value: unknown, path: string[]): UnstorableText | undefined {
  if (typeof value === "string") {
    const reason = unstorableReason(value);
    return reason ? { path: path.join("."), reason } : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  if (path.length >= MAX_DEPTH)
    return { path: path.join("."), reason: `is nested more than ${MAX_DEPTH} levels deep` };
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    path.push(key);
    const keyReason = unstorableReason(key);
    const found = keyReason
      ? { path: path.join("."), reason: `its name ${keyReason}` }
      : walk(record[key], path);
    path.pop();
    if (found) return found;
  }
  return undefined;
}

/** "data.name contains a NUL character …", or the reason alone for the top level. */
export function describeUnstorable({ path, reason }: UnstorableText) {
  return path ? `${path} ${reason}` : `The text ${reason}`;
}

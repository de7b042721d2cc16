// An imported row's messageId names the file by its hash and the row by its
// line, so that importing the same file again stores nothing twice. The short
// form (128 bits of the hash, base64url) keeps the id at about 30 characters:
// every event's id sits in the events table and in its unique index, and at
// import rates the long form's 80 characters cost PostgreSQL measurable time
// per row (docs/benchmarks.md#events-import). A file imported before with the
// long form keeps it, so that importing it again still finds its rows.

/** "long": `import:<sha-256 hex>:<line>`, the form of imports started before the short one. */
export const messageIdForms = ["short", "long"] as const;
export type MessageIdForm = (typeof messageIdForms)[number];

export function messageIdPrefix(fileSha256: string, form: MessageIdForm) {
  if (form === "long") return `import:${fileSha256}:`;
  return `imp:${Buffer.from(fileSha256.slice(0, 32), "hex").toString("base64url")}:`;
}

/** The form stored with an import's options; imports started before it existed used the long form. */
export function storedMessageIdForm(options: unknown): MessageIdForm {
  const form = (options as { messageIds?: unknown } | null)?.messageIds;
  return form === "short" ? "short" : "long";
}

// The one way data comes in: the tracking API (/api/v1/*), CSV imports and the
// demo generator all hand Segment-spec messages to ingestMessages() in
// server/ingest/ingest.ts, so identity resolution, channel rules, idempotency
// and the customer summaries behave the same whatever the source.

/** What ingestMessages() did with a batch. Indexes refer to the input array. */
export interface IngestResult {
  /** Messages stored now. */
  accepted: number;
  /** Messages whose messageId this workspace already had: stored once, skipped now. */
  duplicates: number;
  /** Messages refused, with an error that names the problem; `reason` sorts them for the record of refusals. */
  rejected: { index: number; error: string; reason: "invalid" | "too_large" }[];
}

export interface IngestInput {
  workspaceId: string;
  /** Segment-spec messages (identify, track, page, screen, group, alias), validated inside. */
  messages: unknown[];
  /** "api", "import:<import id>" or "demo"; kept on every event. */
  source: string;
  /** When the batch arrived; defaults to now. */
  receivedAt?: Date;
}

import "server-only";
import fs from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { BACKGROUND_CONNECTIONS, type DbOrTx } from "~/db";
import { importErrors, imports } from "~/db/schema";
import { ingestMessages } from "~/server/ingest/ingest";
import { normaliseMessage, type NormalizedMessage } from "~/server/ingest/messages";
import { orderedSteps } from "~/server/jobs/ordered-steps";
import { registerJobHandler, type JobHandler } from "~/server/jobs/runner";
import { bulkEligible, commitWithoutWaiting, insertImportedEvents, resolveUserIds } from "./bulk-events";
import { ImportedSummaryCounts, mergesCountFrom, SUMMARY_BATCH, summariesPhase } from "./import-summaries";
import { readCsvRecords, type CsvRecord } from "./csv";
import { MAX_STORED_ERRORS, uploadPath, type StoredImportOptions } from "./imports";
import { IMPORT_JOB_KIND } from "./job-kind";
import { messageIdPrefix, storedMessageIdForm } from "./message-ids";
import { makeRowReader, ZImportMapping, ZImportOptions, type RowResult } from "./mapping";

// The import job: reads the file from its checkpoint in chunks of rows and
// turns them into Segment messages. Events rows that name their customer by
// user id alone (every events import) take the bulk path of ./bulk-events.ts;
// other rows go through ingestMessages(), the path every tracked event takes.
// Each chunk's events, bad rows, counts and checkpoint (byte offset + line)
// commit in one transaction, so a restart resumes exactly after the last chunk
// stored; the next chunk is read while the database stores this one. After the
// last chunk, the customers of bulk-loaded events get their summaries brought
// up to date (./import-summaries.ts).

export const IMPORT_CHUNK_ROWS = 5000;
/** Chunks in the database at once: the background pool's connections. */
const STEPS_IN_FLIGHT = BACKGROUND_CONNECTIONS;

export interface ImportCheckpoint {
  /** Byte offset of the next record to read. */
  offset: number;
  /** Its line number. */
  line: number;
  /** Data rows read so far (the header and blank lines not counted). */
  rowsRead: number;
  /** Whether a chunk took the bulk path, whose customer summaries wait for the last phase. */
  deferredSummaries?: boolean;
  /**
   * Set once every row is stored: the summaries phase, the last customer id it
   * finished, and customers to recompute at its end (their events moved to them by a merge).
   */
  summaries?: { through: string | null; done: number; moved?: string[] };
}

interface BadRow {
  line: number;
  reason: string;
  raw: string;
}

interface ReadChunk {
  /** The rows as Segment messages, and the same validated, with their records. */
  raw: Record<string, unknown>[];
  messages: NormalizedMessage[];
  lines: CsvRecord[];
  bad: BadRow[];
}

/** Rows validated between two turns of the event loop, so that requests are not kept waiting behind a chunk. */
const ROWS_PER_TURN = 500;

/** Reads and validates a chunk's records as the tracking API would. */
async function readChunk(
  records: CsvRecord[],
  read: (record: CsvRecord) => RowResult,
  receivedAt: Date,
): Promise<ReadChunk> {
  const chunk: ReadChunk = { raw: [], messages: [], lines: [], bad: [] };
  for (const [i, record] of records.entries()) {
    if (i > 0 && i % ROWS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const row = read(record);
    if (!row.ok) {
      chunk.bad.push({ line: record.line, reason: row.reason, raw: record.raw });
      continue;
    }
    const normalised = normaliseMessage(row.message, receivedAt);
    if (!normalised.ok) chunk.bad.push({ line: record.line, reason: normalised.error, raw: record.raw });
    else {
      chunk.raw.push(row.message);
      chunk.messages.push(normalised.message);
      chunk.lines.push(record);
    }
  }
  return chunk;
}

export function createImportJobHandler(options: {
  dataDir: string;
  chunkRows?: number;
  /** Customers per summaries step (default SUMMARY_BATCH). */
  summaryBatch?: number;
}): JobHandler {
  const chunkRows = options.chunkRows ?? IMPORT_CHUNK_ROWS;
  const summaryBatch = options.summaryBatch ?? SUMMARY_BATCH;
  return async (ctx) => {
    const { workspaceId } = ctx.job;
    const importId = String(ctx.job.payload.importId ?? "");
    const [row] = await ctx.db
      .select()
      .from(imports)
      .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)));
    if (!row) throw new Error(`Import ${importId} does not exist.`);
    const importOptions = ZImportOptions.parse(row.options);
    const columns = (row.options as Partial<StoredImportOptions>).columns ?? [];
    const mapping = ZImportMapping.parse(row.mapping);
    const filePath = uploadPath(options.dataDir, row.storedPath);
    const source = `import:${importId}`;

    const read = makeRowReader({
      kind: row.kind,
      columns,
      mapping,
      options: importOptions,
      messageIdPrefix: messageIdPrefix(row.fileSha256, storedMessageIdForm(row.options)),
    });
    const checkpoint = (ctx.checkpoint as ImportCheckpoint | undefined) ?? {
      offset: 0,
      line: 1,
      rowsRead: 0,
    };
    let position = { ...checkpoint };
    let deferredSummaries = checkpoint.deferredSummaries ?? false;
    let storedErrors = await countStoredErrors(ctx.db, workspaceId, importId);
    // Counted in memory only by a run that stores every chunk of the file itself.
    const counts = new ImportedSummaryCounts(!checkpoint.deferredSummaries && !checkpoint.summaries);
    const since = await mergesCountFrom(ctx.db);

    // Two chunks in the database at once (the background pool's two connections), committed in order.
    const steps = orderedSteps(ctx, STEPS_IN_FLIGHT);
    const storeChunk = async (records: CsvRecord[], next: ImportCheckpoint) => {
      const receivedAt = new Date();
      const { raw, messages, lines, bad } = await readChunk(records, read, receivedAt);
      const bulk = row.kind === "events" && messages.length > 0 && bulkEligible(messages);
      const customers = bulk ? await resolveUserIds(ctx.db, workspaceId, messages) : undefined;
      // What the chunk's work stored; set anew if the step gives way and works again (server/jobs/ordered-steps.ts).
      let accepted = 0;
      let refused: typeof bad = [];
      await steps.submit(
        async (tx) => {
          refused = [];
          if (customers) {
            await commitWithoutWaiting(tx);
            accepted = await insertImportedEvents(tx, {
              workspaceId,
              messages,
              customers,
              source,
              receivedAt,
            });
          } else if (messages.length > 0) {
            const outcome = await ingestMessages(tx, { workspaceId, messages: raw, source, receivedAt });
            accepted = outcome.accepted;
            refused = outcome.rejected.map((rejected) => {
              const record = lines[rejected.index]!;
              return { line: record.line, reason: rejected.error, raw: record.raw };
            });
          }
        },
        async (tx) => {
          if (customers) {
            // A row stored before (the same file again) was not stored now, and so is not counted either.
            if (accepted === messages.length) counts.add(messages, customers);
            else counts.giveUp();
          }
          bad.push(...refused);
          bad.sort((a, b) => a.line - b.line);
          const keep = bad.slice(0, Math.max(0, MAX_STORED_ERRORS - storedErrors));
          if (keep.length > 0) {
            await tx
              .insert(importErrors)
              .values(
                keep.map((b) => ({
                  workspaceId,
                  importId,
                  line: b.line,
                  reason: b.reason,
                  raw: b.raw.slice(0, 2000),
                })),
              )
              .onConflictDoNothing();
          }
          await tx
            .update(imports)
            .set({
              rowsImported: sql`${imports.rowsImported} + ${accepted}`,
              rowsDuplicate: sql`${imports.rowsDuplicate} + ${messages.length - accepted}`,
              rowsFailed: sql`${imports.rowsFailed} + ${bad.length}`,
            })
            .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)));
          storedErrors += keep.length;
          return {
            // Committed only after the chunk before, so the flag is true only if a bulk chunk is in.
            checkpoint: { ...next, deferredSummaries: deferredSummaries || bulk },
            done: next.offset,
            total: row.fileSize,
            message: `${next.rowsRead.toLocaleString("en")} rows read`,
          };
        },
      );
      if (bulk) deferredSummaries = true;
    };

    if (!checkpoint.summaries) {
      if (!fs.existsSync(filePath)) throw new Error("The uploaded file is no longer on the server.");
      let skipHeader = importOptions.header && checkpoint.offset === 0;
      let chunk: CsvRecord[] = [];
      // The next chunk is read and its customers resolved while the chunks before it are stored.
      const flush = async () => {
        const records = chunk;
        chunk = [];
        await storeChunk(records, position);
      };
      for await (const record of readCsvRecords(filePath, {
        delimiter: importOptions.delimiter,
        encoding: importOptions.encoding,
        start: checkpoint.offset,
        line: checkpoint.line,
      })) {
        if (skipHeader) {
          skipHeader = false;
          position = { ...position, offset: record.end, line: record.nextLine };
          continue;
        }
        chunk.push(record);
        position = {
          ...position,
          offset: record.end,
          line: record.nextLine,
          rowsRead: position.rowsRead + 1,
        };
        if (chunk.length >= chunkRows) await flush();
      }
      // The last chunk, and the final position (trailing blank lines included) so that the bar reaches the end.
      position = { ...position, offset: row.fileSize };
      await flush();
      await steps.drain();
    }
    if (deferredSummaries) {
      await summariesPhase(ctx, {
        workspaceId,
        source,
        position: { ...position, deferredSummaries },
        total: row.fileSize,
        batch: summaryBatch,
        counts,
        since,
      });
    }
  };
}

async function countStoredErrors(db: DbOrTx, workspaceId: string, importId: string) {
  const result = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from import_errors where workspace_id = ${workspaceId} and import_id = ${importId}`);
  return result.rows[0]?.n ?? 0;
}

export function registerImportJobHandler(options: { dataDir: string; chunkRows?: number }) {
  registerJobHandler(IMPORT_JOB_KIND, createImportJobHandler(options));
}

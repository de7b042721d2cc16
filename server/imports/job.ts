import fs from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { importErrors, imports } from "~/db/schema";
import { ingestMessages } from "~/server/ingest/ingest";
import { normaliseMessage, type NormalizedMessage } from "~/server/ingest/messages";
import { registerJobHandler, type JobContext, type JobHandler } from "~/server/jobs/runner";
import { queueRefreshesAfterImport } from "~/server/segments/store";
import {
  bulkEligible,
  importedCustomers,
  insertImportedEvents,
  recomputeImportedSummaries,
  resolveUserIds,
  SUMMARY_BATCH,
} from "./bulk-events";
import { readCsvRecords, type CsvRecord } from "./csv";
import { IMPORT_JOB_KIND, MAX_STORED_ERRORS, uploadPath, type StoredImportOptions } from "./imports";
import { makeRowReader, ZImportMapping, ZImportOptions, type RowResult } from "./mapping";

// The import job: reads the file from its checkpoint in chunks of rows and
// turns them into Segment messages. Events rows that name their customer by
// user id alone (every events import) take the bulk path of ./bulk-events.ts;
// other rows go through ingestMessages(), the path every tracked event takes.
// Each chunk's events, bad rows, counts and checkpoint (byte offset + line)
// commit in one transaction, so a restart resumes exactly after the last chunk
// stored; the next chunk is read while the database stores this one. After the
// last chunk, the customers of bulk-loaded events get their summaries
// recomputed, a batch per step, and the workspace's segments are refreshed.

export const IMPORT_CHUNK_ROWS = 5000;

export interface ImportCheckpoint {
  /** Byte offset of the next record to read. */
  offset: number;
  /** Its line number. */
  line: number;
  /** Data rows read so far (the header and blank lines not counted). */
  rowsRead: number;
  /** Whether a chunk took the bulk path, whose customer summaries wait for the last phase. */
  deferredSummaries?: boolean;
  /** Set once every row is stored: the summaries phase, and the last customer id it finished. */
  summaries?: { through: string | null; done: number };
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

/** Reads and validates a chunk's records as the tracking API would. */
function readChunk(records: CsvRecord[], read: (record: CsvRecord) => RowResult, receivedAt: Date): ReadChunk {
  const chunk: ReadChunk = { raw: [], messages: [], lines: [], bad: [] };
  for (const record of records) {
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
      fileSha256: row.fileSha256,
    });
    const checkpoint = (ctx.checkpoint as ImportCheckpoint | undefined) ?? {
      offset: 0,
      line: 1,
      rowsRead: 0,
    };
    let position = { ...checkpoint };
    let deferredSummaries = checkpoint.deferredSummaries ?? false;
    let storedErrors = await countStoredErrors(ctx.db, workspaceId, importId);

    const storeChunk = async (records: CsvRecord[], next: ImportCheckpoint) => {
      const receivedAt = new Date();
      const { raw, messages, lines, bad } = readChunk(records, read, receivedAt);
      const bulk = row.kind === "events" && messages.length > 0 && bulkEligible(messages);
      const customers = bulk ? await resolveUserIds(ctx.db, workspaceId, messages) : undefined;
      await ctx.step(async (tx) => {
        let accepted = 0;
        if (customers) {
          accepted = await insertImportedEvents(tx, { workspaceId, messages, customers, source, receivedAt });
        } else if (messages.length > 0) {
          const outcome = await ingestMessages(tx, { workspaceId, messages: raw, source, receivedAt });
          accepted = outcome.accepted;
          for (const rejected of outcome.rejected) {
            const record = lines[rejected.index]!;
            bad.push({ line: record.line, reason: rejected.error, raw: record.raw });
          }
        }
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
          checkpoint: { ...next, deferredSummaries: deferredSummaries || bulk },
          done: next.offset,
          total: row.fileSize,
          message: `${next.rowsRead.toLocaleString("en")} rows read`,
        };
      });
      if (bulk) deferredSummaries = true;
    };

    if (!checkpoint.summaries) {
      if (!fs.existsSync(filePath)) throw new Error("The uploaded file is no longer on the server.");
      let skipHeader = importOptions.header && checkpoint.offset === 0;
      let chunk: CsvRecord[] = [];
      // The chunk being stored while the next one is read; its failure (or a pause) surfaces at the next await.
      let storing: Promise<unknown> = Promise.resolve();
      const flush = async () => {
        const records = chunk;
        chunk = [];
        await storing;
        storing = storeChunk(records, position);
        storing.catch(() => undefined);
      };
      for await (const record of readCsvRecords(filePath, {
        delimiter: importOptions.delimiter,
        start: checkpoint.offset,
        line: checkpoint.line,
      })) {
        if (skipHeader) {
          skipHeader = false;
          position = { ...position, offset: record.end, line: record.nextLine };
          continue;
        }
        chunk.push(record);
        position = { ...position, offset: record.end, line: record.nextLine, rowsRead: position.rowsRead + 1 };
        if (chunk.length >= chunkRows) await flush();
      }
      // The last chunk, and the final position (trailing blank lines included) so that the bar reaches the end.
      position = { ...position, offset: row.fileSize };
      await flush();
      await storing;
    }
    if (deferredSummaries) {
      await recomputeSummariesPhase(ctx, {
        workspaceId,
        source,
        position: { ...position, deferredSummaries },
        total: row.fileSize,
        batch: summaryBatch,
      });
    }
  };
}

/** The last phase of a bulk import: every customer it touched gets its summary recomputed, then segments refresh. */
async function recomputeSummariesPhase(
  ctx: JobContext,
  input: { workspaceId: string; source: string; position: ImportCheckpoint; total: number; batch: number },
) {
  const { workspaceId, source } = input;
  let progress = input.position.summaries ?? { through: null, done: 0 };
  const customers = await importedCustomers(ctx.db, { workspaceId, source, afterId: progress.through ?? undefined });
  const all = progress.done + customers.length;
  for (let i = 0; i === 0 || i < customers.length; i += input.batch) {
    const batch = customers.slice(i, i + input.batch);
    const last = i + input.batch >= customers.length;
    progress = { through: batch.at(-1) ?? progress.through, done: progress.done + batch.length };
    const summaries = progress;
    await ctx.step(async (tx) => {
      if (batch.length > 0) await recomputeImportedSummaries(tx, workspaceId, batch);
      if (last) await queueRefreshesAfterImport(tx, workspaceId);
      return {
        checkpoint: { ...input.position, summaries },
        done: input.total,
        total: input.total,
        message: `Updating customer summaries: ${summaries.done.toLocaleString("en")} of ${all.toLocaleString("en")} customers`,
      };
    });
  }
}

async function countStoredErrors(db: DbOrTx, workspaceId: string, importId: string) {
  const result = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from import_errors where workspace_id = ${workspaceId} and import_id = ${importId}`);
  return result.rows[0]?.n ?? 0;
}

export function registerImportJobHandler(options: { dataDir: string; chunkRows?: number }) {
  registerJobHandler(IMPORT_JOB_KIND, createImportJobHandler(options));
}

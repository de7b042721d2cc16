import fs from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { importErrors, imports } from "~/db/schema";
import { ingestMessages } from "~/server/ingest/ingest";
import { registerJobHandler, type JobHandler } from "~/server/jobs/runner";
import { readCsvRecords, type CsvRecord } from "./csv";
import { IMPORT_JOB_KIND, MAX_STORED_ERRORS, uploadPath, type StoredImportOptions } from "./imports";
import { makeRowReader, ZImportMapping, ZImportOptions } from "./mapping";

// The import job: reads the file from its checkpoint in chunks of rows, turns
// them into Segment messages and hands them to ingestMessages() — the path
// every event takes — then records the bad rows and the counts. Each chunk's
// events, bad rows, counts and checkpoint (byte offset + line) commit in one
// transaction, so a restart resumes exactly after the last chunk stored.

export const IMPORT_CHUNK_ROWS = 1000;

export interface ImportCheckpoint {
  /** Byte offset of the next record to read. */
  offset: number;
  /** Its line number. */
  line: number;
  /** Data rows read so far (the header and blank lines not counted). */
  rowsRead: number;
}

interface BadRow {
  line: number;
  reason: string;
  raw: string;
}

export function createImportJobHandler(options: { dataDir: string; chunkRows?: number }): JobHandler {
  const chunkRows = options.chunkRows ?? IMPORT_CHUNK_ROWS;
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
    if (!fs.existsSync(filePath)) throw new Error("The uploaded file is no longer on the server.");

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
    let skipHeader = importOptions.header && checkpoint.offset === 0;
    let position = { ...checkpoint };
    let chunk: CsvRecord[] = [];
    let storedErrors = await countStoredErrors(ctx.db, workspaceId, importId);

    const flush = async () => {
      const records = chunk;
      chunk = [];
      const next: ImportCheckpoint = position;
      await ctx.step(async (tx) => {
        const bad: BadRow[] = [];
        const messages: Record<string, unknown>[] = [];
        const lines: CsvRecord[] = [];
        for (const record of records) {
          const result = read(record);
          if (result.ok) {
            messages.push(result.message);
            lines.push(record);
          } else bad.push({ line: record.line, reason: result.reason, raw: record.raw });
        }
        const outcome =
          messages.length > 0
            ? await ingestMessages(tx, { workspaceId, messages, source: `import:${importId}` })
            : { accepted: 0, duplicates: 0, rejected: [] };
        for (const rejected of outcome.rejected) {
          const record = lines[rejected.index]!;
          bad.push({ line: record.line, reason: rejected.error, raw: record.raw });
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
            rowsImported: sql`${imports.rowsImported} + ${outcome.accepted}`,
            rowsDuplicate: sql`${imports.rowsDuplicate} + ${outcome.duplicates}`,
            rowsFailed: sql`${imports.rowsFailed} + ${bad.length}`,
          })
          .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)));
        storedErrors += keep.length;
        return {
          checkpoint: next,
          done: next.offset,
          total: row.fileSize,
          message: `${next.rowsRead.toLocaleString("en")} rows read`,
        };
      });
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
      position = { offset: record.end, line: record.nextLine, rowsRead: position.rowsRead + 1 };
      if (chunk.length >= chunkRows) await flush();
    }
    // The last chunk, and the final position (trailing blank lines included) so that the bar reaches the end.
    position = { ...position, offset: row.fileSize };
    await flush();
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

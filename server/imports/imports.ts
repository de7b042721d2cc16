import "server-only";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { and, asc, count, desc, eq, gt, isNotNull, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { importErrors, imports, jobs, users } from "~/db/schema";
import { type ImportKind, type JobStatus } from "~/db/enums";
import { recordAudit } from "~/server/audit/audit";
import { ConflictError, NotFoundError, RuleError, TooLargeError } from "~/server/errors";
import { csvIssue, sniff, SNIFF_BYTES } from "~/server/files/sniff";
import { normaliseMessage } from "~/server/ingest/messages";
import { cancelJob, enqueueJob, pauseJob, resumeJob } from "~/server/jobs/jobs";
import { detectDelimiter, readFirstRecords, type CsvRecord, type Delimiter, type Encoding } from "./csv";
import { encodingOf } from "./encoding";
import { IMPORT_JOB_KIND } from "./job-kind";
import { messageIdPrefix, storedMessageIdForm, type MessageIdForm } from "./message-ids";
import {
  columnNames,
  makeRowReader,
  mappingProblems,
  suggestMapping,
  ZImportMapping,
  ZChosenImportOptions,
  type TImportMapping,
  type TImportOptions,
} from "./mapping";
import { detectDateFormat, parseAmount, parseDate, type DateFormat } from "./values";

// CSV imports: an uploaded file (kept under <data folder>/uploads/<workspace>/),
// its options and column mapping, and the job that loads it through
// ingestMessages() (./job.ts). Uploads are streamed to disk with their SHA-256
// computed on the way, so a file of any size passes through a little memory.

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
export const PREVIEW_ROWS = 20;
/** Bad rows listed per import; past this they are counted, not kept. */
export const MAX_STORED_ERRORS = 10_000;

/** Options saved at start: what was chosen plus the file's column names and its rows' messageId form. */
export interface StoredImportOptions extends TImportOptions {
  columns: string[];
  messageIds: MessageIdForm;
}

export function uploadPath(dataDir: string, storedPath: string) {
  return path.join(dataDir, storedPath);
}

// ---------------------------------------------------------------------------
// Upload
// ---------------------------------------------------------------------------

export class UploadTooLargeError extends TooLargeError {
  name = "UploadTooLargeError";
}

/** A file name fit to show: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string) {
  const base = path.basename(name.replace(/\\/g, "/"));
  const clean = base
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 200);
  return clean || "upload.csv";
}

/**
 * Streams an upload to disk, hashing it as it goes, then records the import
 * (and its audit entry). The file is written under a temporary name and
 * renamed when complete, so a broken upload leaves nothing behind.
 */
export async function saveUpload(input: {
  db: DbOrTx;
  dataDir: string;
  workspaceId: string;
  kind: ImportKind;
  fileName: string;
  body: AsyncIterable<Uint8Array> | NodeJS.ReadableStream;
  createdBy: string;
  maxBytes?: number;
}) {
  const maxBytes = input.maxBytes ?? MAX_UPLOAD_BYTES;
  const id = randomUUID();
  const storedPath = path.join("uploads", input.workspaceId, `${id}.csv`);
  const finalPath = uploadPath(input.dataDir, storedPath);
  const partPath = `${finalPath}.part`;
  await fs.promises.mkdir(path.dirname(finalPath), { recursive: true });

  const hash = createHash("sha256");
  let size = 0;
  // The file's first bytes, until they have been checked: an image or a workbook is refused at once.
  let head: Buffer | undefined = Buffer.alloc(0);
  const checkHead = (complete: boolean) => {
    const issue = csvIssue(head!, complete);
    head = undefined;
    return issue ? new RuleError(issue) : null;
  };
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) {
        callback(
          new UploadTooLargeError(
            `The file is larger than ${formatBytes(maxBytes)}, the most one import takes.`,
          ),
        );
        return;
      }
      if (head) {
        head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        const notCsv = head.length === SNIFF_BYTES ? checkHead(false) : null;
        if (notCsv) return callback(notCsv);
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      callback(head ? checkHead(true) : null);
    },
  });
  // Opened before streaming: a stream that opens its own file can create it
  // after a refused upload's clean-up has run, leaving the part behind.
  const partFile = await fs.promises.open(partPath, "w", 0o600);
  try {
    await pipeline(input.body as AsyncIterable<Uint8Array>, meter, partFile.createWriteStream());
    if (size === 0) throw new RuleError("The file is empty.");
    await fs.promises.rename(partPath, finalPath);
  } catch (error) {
    await partFile.close().catch(() => {});
    await fs.promises.rm(partPath, { force: true });
    throw error;
  }

  const fileName = cleanFileName(input.fileName);
  const fileSha256 = hash.digest("hex");
  try {
    await input.db.transaction(async (tx) => {
      await tx.insert(imports).values({
        workspaceId: input.workspaceId,
        id,
        kind: input.kind,
        fileName,
        storedPath,
        fileSize: size,
        fileSha256,
        createdBy: input.createdBy,
      });
      await recordAudit(tx, [
        {
          workspaceId: input.workspaceId,
          actorUserId: input.createdBy,
          action: "import.upload",
          summary: `uploaded “${fileName}” (${formatBytes(size)}) to import ${input.kind}`,
          details: { importId: id, fileSha256, size },
        },
      ]);
    });
  } catch (error) {
    await fs.promises.rm(finalPath, { force: true });
    throw error;
  }
  return { id, fileName, fileSize: size, fileSha256 };
}

export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

// ---------------------------------------------------------------------------
// Reading imports
// ---------------------------------------------------------------------------

const importColumns = {
  id: imports.id,
  kind: imports.kind,
  fileName: imports.fileName,
  fileSize: imports.fileSize,
  fileSha256: imports.fileSha256,
  storedPath: imports.storedPath,
  options: imports.options,
  mapping: imports.mapping,
  jobId: imports.jobId,
  rowsImported: imports.rowsImported,
  rowsDuplicate: imports.rowsDuplicate,
  rowsFailed: imports.rowsFailed,
  createdAt: imports.createdAt,
  createdByName: users.name,
  status: jobs.status,
  progress: jobs.progress,
  error: jobs.error,
  startedAt: jobs.startedAt,
  finishedAt: jobs.finishedAt,
};

export interface ImportSummary {
  id: string;
  kind: ImportKind;
  fileName: string;
  fileSize: number;
  createdAt: Date;
  createdByName: string | null;
  /** "uploaded" until the import is started; then its job's status. */
  status: JobStatus | "uploaded";
  /**
   * Bytes of the file read so far, of `total`; once every row is in, `summaries`
   * says how far the last phase (customer summaries) has come.
   */
  progress: { done: number; total: number; rowsRead: number; summaries?: string };
  rowsImported: number;
  rowsDuplicate: number;
  rowsFailed: number;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ImportDetail extends ImportSummary {
  fileSha256: string;
  options: Partial<StoredImportOptions>;
  mapping: Partial<TImportMapping>;
  /** Another import of this workspace with the very same file, if any. */
  sameFileAs: { id: string; createdAt: Date } | null;
}

function selectImports(db: DbOrTx) {
  return db
    .select(importColumns)
    .from(imports)
    .leftJoin(jobs, and(eq(jobs.workspaceId, imports.workspaceId), eq(jobs.id, imports.jobId)))
    .leftJoin(users, eq(users.id, imports.createdBy));
}

type RawImportRow = Awaited<ReturnType<typeof selectImports>>[number];

function summarise(row: RawImportRow): ImportSummary {
  const progress = (row.progress ?? {}) as {
    done?: number;
    total?: number;
    message?: string;
    checkpoint?: { rowsRead?: number; summaries?: unknown };
  };
  const summarising = row.status !== "succeeded" && progress.checkpoint?.summaries !== undefined;
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.fileName,
    fileSize: row.fileSize,
    createdAt: row.createdAt,
    createdByName: row.createdByName,
    status: row.status ?? "uploaded",
    progress: {
      done: row.status === "succeeded" ? row.fileSize : (progress.done ?? 0),
      total: progress.total ?? row.fileSize,
      rowsRead: progress.checkpoint?.rowsRead ?? 0,
      ...(summarising && progress.message ? { summaries: progress.message } : {}),
    },
    rowsImported: row.rowsImported,
    rowsDuplicate: row.rowsDuplicate,
    rowsFailed: row.rowsFailed,
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export async function listImports(input: {
  db: DbOrTx;
  workspaceId: string;
  limit?: number;
}): Promise<ImportSummary[]> {
  const rows = await selectImports(input.db)
    .where(eq(imports.workspaceId, input.workspaceId))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(input.limit ?? 50);
  return rows.map(summarise);
}

async function loadImport(db: DbOrTx, workspaceId: string, importId: string) {
  const [row] = await selectImports(db).where(
    and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)),
  );
  if (!row) throw new NotFoundError("That import does not exist in this workspace.");
  return row;
}

export async function getImport(input: {
  db: DbOrTx;
  workspaceId: string;
  importId: string;
}): Promise<ImportDetail> {
  const row = await loadImport(input.db, input.workspaceId, input.importId);
  const [same] = await input.db
    .select({ id: imports.id, createdAt: imports.createdAt })
    .from(imports)
    .where(
      and(
        eq(imports.workspaceId, input.workspaceId),
        eq(imports.fileSha256, row.fileSha256),
        sql`${imports.id} <> ${row.id}`,
        sql`${imports.createdAt} <= ${row.createdAt}`,
      ),
    )
    .orderBy(asc(imports.createdAt))
    .limit(1);
  return {
    ...summarise(row),
    fileSha256: row.fileSha256,
    options: row.options as Partial<StoredImportOptions>,
    mapping: row.mapping as Partial<TImportMapping>,
    sameFileAs: same ?? null,
  };
}

export async function listImportErrors(input: {
  db: DbOrTx;
  workspaceId: string;
  importId: string;
  /** The line of the last row of the previous page. */
  cursor?: number;
  limit: number;
}) {
  await loadImport(input.db, input.workspaceId, input.importId);
  const where = and(
    eq(importErrors.workspaceId, input.workspaceId),
    eq(importErrors.importId, input.importId),
  );
  const rows = await input.db
    .select({ line: importErrors.line, reason: importErrors.reason, raw: importErrors.raw })
    .from(importErrors)
    .where(input.cursor === undefined ? where : and(where, gt(importErrors.line, input.cursor)))
    .orderBy(asc(importErrors.line))
    .limit(input.limit + 1);
  const [{ total } = { total: 0 }] = await input.db
    .select({ total: count() })
    .from(importErrors)
    .where(where);
  const page = rows.slice(0, input.limit);
  return {
    rows: page,
    total,
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.line : null,
  };
}

// ---------------------------------------------------------------------------
// Preview: the first rows as the import will read them
// ---------------------------------------------------------------------------

/** A first row that names columns: unique words, none of them a number, a date or an email. */
export function looksLikeHeader(fields: string[]) {
  if (fields.length === 0) return false;
  const unique = new Set(fields.map((f) => f.trim().toLowerCase()));
  if (unique.size !== fields.length) return false;
  return fields.every((field) => {
    const f = field.trim();
    return (
      /\p{L}/u.test(f) &&
      !f.includes("@") &&
      !parseAmount(f).ok &&
      !["iso", "yyyymmdd", "dd/mm/yyyy", "mm/dd/yyyy"].some((fmt) => parseDate(f, fmt as DateFormat).ok)
    );
  });
}

export interface PreviewRow {
  line: number;
  fields: string[];
  /** How the row will be read, when it can be. */
  read: {
    customerId: string;
    timestamp: Date | null;
    event: string | null;
    channel: string | null;
    amount: number | null;
    /** Properties (events) or traits (customers). */
    data: Record<string, unknown>;
  } | null;
  problem: string | null;
}

export interface ImportPreview {
  columns: string[];
  options: TImportOptions;
  /** A mapping guessed from the column names and values. */
  suggested: TImportMapping;
  /** The mapping the rows below were read with. */
  mapping: TImportMapping;
  /** Problems of the mapping as a whole (a missing column). */
  mappingProblems: string[];
  rows: PreviewRow[];
}

async function readHead(filePath: string, options: Partial<TImportOptions>) {
  const encoding = options.encoding ?? (await detectFileEncoding(filePath));
  const delimiter: Delimiter =
    options.delimiter ??
    detectDelimiter(
      (await readFirstRecords(filePath, "whitespace", PREVIEW_ROWS + 1, encoding)).map((r) => r.raw),
    );
  const records = await readFirstRecords(filePath, delimiter, PREVIEW_ROWS + 1, encoding);
  const header = options.header ?? (records[0] ? looksLikeHeader(records[0].fields) : false);
  const data: CsvRecord[] = header ? records.slice(1) : records.slice(0, PREVIEW_ROWS);
  const width = Math.max(
    0,
    ...data.map((r) => r.fields.length),
    header ? (records[0]?.fields.length ?? 0) : 0,
  );
  const columns = columnNames(header ? records[0]?.fields : undefined, width);
  return { encoding, delimiter, header, columns, data };
}

/** The encoding the start of a file suggests. */
async function detectFileEncoding(filePath: string): Promise<Encoding> {
  const file = await fs.promises.open(filePath, "r");
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    const size = (await file.stat()).size;
    return encodingOf(sniff(head.subarray(0, bytesRead), bytesRead === size));
  } finally {
    await file.close();
  }
}

function guessDateFormat(columns: string[], data: CsvRecord[]): DateFormat {
  const byName = columns.findIndex((c) => /date|time|created|when/i.test(c));
  const order = byName >= 0 ? [byName, ...columns.keys()] : [...columns.keys()];
  for (const i of order) {
    const values = data.map((r) => r.fields[i] ?? "").filter((v) => v.trim() !== "");
    const format = values.length > 0 ? detectDateFormat(values) : undefined;
    if (format) return format;
  }
  return "iso";
}

export async function previewImport(input: {
  db: DbOrTx;
  dataDir: string;
  workspaceId: string;
  importId: string;
  options?: Partial<TImportOptions>;
  mapping?: TImportMapping;
}): Promise<ImportPreview> {
  const row = await loadImport(input.db, input.workspaceId, input.importId);
  const filePath = uploadPath(input.dataDir, row.storedPath);
  if (!fs.existsSync(filePath)) throw new NotFoundError("The uploaded file is no longer on the server.");
  const stored = ZChosenImportOptions.safeParse(row.options);
  const given = { ...(stored.success ? stored.data : {}), ...input.options };
  const head = await readHead(filePath, given);
  const options: TImportOptions = {
    encoding: head.encoding,
    delimiter: head.delimiter,
    header: head.header,
    dateFormat: given.dateFormat ?? guessDateFormat(head.columns, head.data),
  };
  const suggested = suggestMapping(
    row.kind,
    head.columns,
    head.data.map((r) => r.fields),
    options.dateFormat,
  );
  const storedMapping = ZImportMapping.safeParse(row.mapping);
  const mapping = input.mapping ?? (storedMapping.success && row.jobId ? storedMapping.data : suggested);
  const problems = mappingProblems(row.kind, head.columns, mapping);
  const read = makeRowReader({
    kind: row.kind,
    columns: head.columns,
    mapping,
    options,
    messageIdPrefix: messageIdPrefix(
      row.fileSha256,
      await messageIdFormFor(input.db, importOf(input.workspaceId, row)),
    ),
  });
  const now = new Date();
  const rows = head.data.map((record): PreviewRow => {
    const base = { line: record.line, fields: record.fields };
    if (problems.length > 0) return { ...base, read: null, problem: null };
    const result = read(record);
    if (!result.ok) return { ...base, read: null, problem: result.reason };
    const normalised = normaliseMessage(result.message, now);
    if (!normalised.ok) return { ...base, read: null, problem: normalised.error };
    const m = normalised.message;
    return {
      ...base,
      read: {
        customerId: m.userId ?? "",
        timestamp: m.type === "track" ? m.timestamp : null,
        event: m.event,
        channel: m.type === "track" ? m.channel : null,
        amount: m.amount,
        data: m.type === "track" ? m.properties : (m.traits ?? {}),
      },
      problem: null,
    };
  });
  return { columns: head.columns, options, suggested, mapping, mappingProblems: problems, rows };
}

// ---------------------------------------------------------------------------
// Start and control
// ---------------------------------------------------------------------------

export async function startImport(input: {
  db: DbOrTx;
  dataDir: string;
  workspaceId: string;
  importId: string;
  options: TImportOptions;
  mapping: TImportMapping;
  userId: string;
}) {
  const row = await loadImport(input.db, input.workspaceId, input.importId);
  if (row.jobId) throw new ConflictError("This import has already been started.");
  const filePath = uploadPath(input.dataDir, row.storedPath);
  if (!fs.existsSync(filePath)) throw new NotFoundError("The uploaded file is no longer on the server.");
  const head = await readHead(filePath, input.options);
  const problems = mappingProblems(row.kind, head.columns, input.mapping);
  if (problems.length > 0) throw new RuleError(problems.join("; "));

  const job = await enqueueJob(input.db, {
    workspaceId: input.workspaceId,
    kind: IMPORT_JOB_KIND,
    payload: { importId: row.id },
    createdBy: input.userId,
  });
  const options: StoredImportOptions = {
    ...input.options,
    columns: head.columns,
    messageIds: await messageIdFormFor(input.db, importOf(input.workspaceId, row)),
  };
  const [updated] = await input.db
    .update(imports)
    .set({ jobId: job.id, options: { ...options }, mapping: { ...input.mapping } })
    .where(
      and(eq(imports.workspaceId, input.workspaceId), eq(imports.id, row.id), sql`${imports.jobId} is null`),
    )
    .returning({ id: imports.id });
  if (!updated) throw new ConflictError("This import has already been started.");
  return { id: row.id, fileName: row.fileName, kind: row.kind, jobId: job.id };
}

async function importJob(db: DbOrTx, workspaceId: string, importId: string) {
  const row = await loadImport(db, workspaceId, importId);
  if (!row.jobId) throw new RuleError("This import has not been started yet.");
  return { row, ref: { workspaceId, jobId: row.jobId } };
}

export async function pauseImport(input: { db: DbOrTx; workspaceId: string; importId: string }) {
  const { row, ref } = await importJob(input.db, input.workspaceId, input.importId);
  await pauseJob(input.db, ref);
  return { id: row.id, fileName: row.fileName };
}

export async function resumeImport(input: { db: DbOrTx; workspaceId: string; importId: string }) {
  const { row, ref } = await importJob(input.db, input.workspaceId, input.importId);
  await resumeJob(input.db, ref);
  return { id: row.id, fileName: row.fileName };
}

export async function cancelImport(input: { db: DbOrTx; workspaceId: string; importId: string }) {
  const { row, ref } = await importJob(input.db, input.workspaceId, input.importId);
  await cancelJob(input.db, ref);
  return { id: row.id, fileName: row.fileName };
}

/**
 * Removes an upload that was never started: its row and its file. One that
 * was started has stored rows and a history, and stays listed.
 */
export async function discardUpload(input: {
  db: DbOrTx;
  dataDir: string;
  workspaceId: string;
  importId: string;
}) {
  const [removed] = await removeUnstartedUploads(
    input.db,
    input.dataDir,
    and(eq(imports.workspaceId, input.workspaceId), eq(imports.id, input.importId))!,
  );
  if (!removed) {
    await loadImport(input.db, input.workspaceId, input.importId); // NotFoundError when there is none
    throw new ConflictError("This import has been started: it stays in the list with what it stored.");
  }
  return removed;
}

/**
 * Removes the uploads never started that `where` picks, rows and files (the
 * files after the rows, so that the list never offers an upload whose file is
 * gone); returns the removed ones.
 */
export async function removeUnstartedUploads(db: DbOrTx, dataDir: string, where: SQL) {
  const removed = await db
    .delete(imports)
    .where(and(where, isNull(imports.jobId)))
    .returning({ id: imports.id, fileName: imports.fileName, storedPath: imports.storedPath });
  for (const { storedPath } of removed)
    await fs.promises.rm(uploadPath(dataDir, storedPath), { force: true });
  return removed.map(({ id, fileName }) => ({ id, fileName }));
}

const importOf = (workspaceId: string, row: { id: string; fileSha256: string }) => ({
  workspaceId,
  importId: row.id,
  fileSha256: row.fileSha256,
});

/** The form a new import of this file takes: the long one when an earlier import of the same file used it. */
async function messageIdFormFor(
  db: DbOrTx,
  input: { workspaceId: string; importId: string; fileSha256: string },
): Promise<MessageIdForm> {
  const started = await db
    .select({ options: imports.options })
    .from(imports)
    .where(
      and(
        eq(imports.workspaceId, input.workspaceId),
        eq(imports.fileSha256, input.fileSha256),
        ne(imports.id, input.importId),
        isNotNull(imports.jobId),
      ),
    );
  return started.some((row) => storedMessageIdForm(row.options) === "long") ? "long" : "short";
}

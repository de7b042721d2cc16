import fs from "node:fs";
import { delimiters, type Delimiter } from "./options";

// A streaming reader of delimited text. It reads the file in 64 KB pieces and
// yields one record at a time with its line number and byte offsets, so an
// import holds one chunk of rows in memory whatever the file's size, and can
// start again at the byte offset of the next record after a restart.
//
// Real delimiters (, ; tab |) follow RFC 4180: a field that starts with a
// double quote runs to the closing quote, may hold delimiters and line breaks,
// and writes a quote as "". "whitespace" splits on runs of spaces and tabs and
// knows no quotes (fixed-width exports such as the CDNOW log). Lines end in
// \n or \r\n; blank lines are skipped; a UTF-8 byte-order mark is ignored.

export { delimiters, delimiterLabels, type Delimiter } from "./options";

/** A record larger than this is a quote that never closes, not data. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface CsvRecord {
  /** The line (1-based) the record starts on. */
  line: number;
  fields: string[];
  /** The record's text without its line break. */
  raw: string;
  /** Byte offset of the record's first byte. */
  start: number;
  /** Byte offset just after the record's line break: where the next record starts. */
  end: number;
  /** The line the next record starts on. */
  nextLine: number;
  /** Set when the record is malformed (a quoted field that never closes). */
  error?: string;
}

export class CsvError extends Error {
  name = "CsvError";
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Splits one record's text into fields. */
export function splitRecord(text: string, delimiter: Delimiter): string[] {
  if (delimiter === "whitespace") {
    const trimmed = text.trim();
    return trimmed === "" ? [] : trimmed.split(/[ \t]+/);
  }
  const fields: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let atStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
    } else if (c === delimiter) {
      fields.push(field);
      field = "";
      atStart = true;
      i++;
      continue;
    } else if (c === '"' && atStart) {
      quoted = true;
    } else field += c;
    atStart = false;
    i++;
  }
  fields.push(field);
  return fields;
}

/** States of the record-boundary scanner (quotes matter only at a field's start). */
const Scan = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type Scan = (typeof Scan)[keyof typeof Scan];

export interface ReadCsvOptions {
  delimiter: Delimiter;
  /** Byte offset to start at: 0, or a record's `end` from an earlier read. */
  start?: number;
  /** The line number at `start` (a record's `nextLine`). */
  line?: number;
  /** Bytes per read (default 64 KB). */
  highWaterMark?: number;
}

/** Yields the records of a file from a byte offset on; closes the file when the loop ends early. */
export async function* readCsvRecords(filePath: string, options: ReadCsvOptions): AsyncGenerator<CsvRecord> {
  const delimiterByte = options.delimiter === "whitespace" ? -1 : options.delimiter.charCodeAt(0);
  const stream = fs.createReadStream(filePath, {
    start: options.start ?? 0,
    highWaterMark: options.highWaterMark ?? 64 * 1024,
  });
  const decoder = new TextDecoder("utf-8");

  let offset = options.start ?? 0; // file offset of buffer[0]
  let line = options.line ?? 1;
  let buffer: Buffer = Buffer.alloc(0);
  let recordStart = 0; // index in buffer
  let recordLine = line;
  let scanFrom = 0;
  let state: Scan = Scan.FieldStart;
  let first = (options.start ?? 0) === 0;

  const make = (endIndex: number, nextIndex: number, error?: string): CsvRecord | undefined => {
    let bytes = buffer.subarray(recordStart, endIndex);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const raw = decoder.decode(bytes);
    const record: CsvRecord = {
      line: recordLine,
      fields: splitRecord(raw, options.delimiter),
      raw,
      start: offset + recordStart,
      end: offset + nextIndex,
      nextLine: line,
      ...(error ? { error } : {}),
    };
    return raw.trim() === "" ? undefined : record;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      buffer = buffer.length === recordStart ? chunk : Buffer.concat([buffer.subarray(recordStart), chunk]);
      offset += recordStart;
      scanFrom -= recordStart;
      recordStart = 0;
      if (first) {
        first = false;
        if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
          recordStart = scanFrom = 3;
        }
      }

      for (let i = scanFrom; i < buffer.length; i++) {
        const b = buffer[i]!;
        if (b === LF) {
          line++;
          if (state !== Scan.Quoted) {
            const record = make(i, i + 1);
            if (record) yield record;
            recordStart = i + 1;
            recordLine = line;
            state = Scan.FieldStart;
          }
          continue;
        }
        if (delimiterByte < 0) continue;
        switch (state) {
          case Scan.FieldStart:
            state = b === QUOTE ? Scan.Quoted : b === delimiterByte ? Scan.FieldStart : Scan.Unquoted;
            break;
          case Scan.Unquoted:
            if (b === delimiterByte) state = Scan.FieldStart;
            break;
          case Scan.Quoted:
            if (b === QUOTE) state = Scan.QuoteInQuoted;
            break;
          case Scan.QuoteInQuoted:
            state = b === QUOTE ? Scan.Quoted : b === delimiterByte ? Scan.FieldStart : Scan.Unquoted;
            break;
        }
      }
      scanFrom = buffer.length;
      if (buffer.length - recordStart > MAX_RECORD_BYTES) {
        throw new CsvError(
          `Line ${recordLine}: a record longer than 1 MB — most likely a quoted field that is never closed.`,
        );
      }
    }
    if (recordStart < buffer.length) {
      const error =
        state === Scan.Quoted ? "a quoted field is not closed before the end of the file" : undefined;
      const record = make(buffer.length, buffer.length, error);
      if (record) yield record;
    }
  } finally {
    stream.destroy();
  }
}

/** The first `limit` records (for previews and detection). */
export async function readFirstRecords(filePath: string, delimiter: Delimiter, limit: number) {
  const records: CsvRecord[] = [];
  if (limit <= 0) return records;
  for await (const record of readCsvRecords(filePath, { delimiter, highWaterMark: 16 * 1024 })) {
    records.push(record);
    if (records.length >= limit) break;
  }
  return records;
}

/**
 * The delimiter that splits the sample lines into the same number (>1) of
 * fields most often; "whitespace" when none of the real ones does.
 */
export function detectDelimiter(lines: string[]): Delimiter {
  const sample = lines.filter((l) => l.trim() !== "").slice(0, 20);
  if (sample.length === 0) return ",";
  let best: { delimiter: Delimiter; score: number } | undefined;
  for (const delimiter of delimiters) {
    const counts = sample.map((l) => splitRecord(l, delimiter).length);
    const first = counts[0]!;
    if (first < 2) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    // Real delimiters win ties over whitespace: "a, b" is comma-separated.
    const score = consistent * 100 + Math.min(first, 50) + (delimiter === "whitespace" ? -60 : 0);
    if (!best || score > best.score) best = { delimiter, score };
  }
  return best?.delimiter ?? ",";
}

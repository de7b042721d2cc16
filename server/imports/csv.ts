import fs from "node:fs";
import { CsvError as ParseError, Parser, type Options } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { decodeBytes, fromParserText, parserEncoding } from "./encoding";
import { delimiters, type Delimiter, type Encoding } from "./options";

// A streaming reader of delimited text on csv-parse. It yields one record at a
// time with its line number and byte offsets, so an import holds one chunk of
// rows in memory whatever the file's size, and can start again at the byte
// offset of the next record after a restart.
//
// Real delimiters (, ; tab |) follow RFC 4180: a field that starts with a
// double quote runs to the closing quote, may hold delimiters and line breaks,
// and writes a quote as ""; a quote inside an unquoted field is kept as text.
// "whitespace" splits on runs of spaces and tabs and knows no quotes
// (fixed-width exports such as the CDNOW log). Lines end in \n or \r\n; blank
// lines are skipped; a byte-order mark is ignored.

export {
  delimiters,
  delimiterLabels,
  encodings,
  encodingLabels,
  type Delimiter,
  type Encoding,
} from "./options";

/** A record larger than this is a quote that never closes, not data. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface CsvRecord {
  /** The line (1-based) the record starts on. */
  line: number;
  fields: string[];
  /** The record's text without its line break. */
  raw: string;
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

/** csv-parse's options for a delimiter; "whitespace" leaves empty fields that `fieldsOf` drops. */
function parserOptions(delimiter: Delimiter, encoding: Encoding): Options {
  return {
    encoding: parserEncoding(encoding),
    bom: true,
    delimiter: delimiter === "whitespace" ? [" ", "\t"] : delimiter,
    quote: delimiter === "whitespace" ? false : '"',
    record_delimiter: ["\r\n", "\n"],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  };
}

function fieldsOf(parsed: string[], delimiter: Delimiter, encoding: Encoding) {
  const fields = delimiter === "whitespace" ? parsed.filter((field) => field !== "") : parsed;
  return encoding === "windows-1252" ? fields.map((field) => fromParserText(field, encoding)) : fields;
}

/** Splits one line's text into fields (delimiter detection). */
export function splitRecord(text: string, delimiter: Delimiter): string[] {
  if (delimiter === "whitespace") {
    const trimmed = text.trim();
    return trimmed === "" ? [] : trimmed.split(/[ \t]+/);
  }
  try {
    const [fields] = parseSync(text, parserOptions(delimiter, "utf-8")) as string[][];
    return fields ?? [""];
  } catch {
    // A quote the line does not close: one field, as far as this line goes.
    return [text];
  }
}

export interface ReadCsvOptions {
  delimiter: Delimiter;
  /** The file's text encoding (default UTF-8). */
  encoding?: Encoding;
  /** Byte offset to start at: 0, or a record's `end` from an earlier read. */
  start?: number;
  /** The line number at `start` (a record's `nextLine`). */
  line?: number;
  /** Bytes per read (default 64 KB). */
  highWaterMark?: number;
}

const BLANK_LINE = /^[ \t]*\r?\n/;

/**
 * The bytes read but not yet given out as records, by file offset: a record's
 * raw text and line numbers come from its bytes, from the end of the record
 * before it (blank lines included) to the parser's byte count at its end.
 */
class ByteWindow {
  private chunks: Buffer[] = [];
  /** File offset of the window's first byte. */
  private base: number;

  constructor(start: number) {
    this.base = start;
  }

  push(chunk: Buffer) {
    this.chunks.push(chunk);
  }

  /** The bytes up to file offset `end`, taken out of the window. */
  take(end: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const cut = end - this.base;
    const taken = all.subarray(0, cut);
    this.chunks = cut < all.length ? [all.subarray(cut)] : [];
    this.base = end;
    return taken;
  }

  /** File offset of the first byte not yet taken. */
  get offset() {
    return this.base;
  }

  /** File offset just after the last byte read. */
  get end() {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, this.base);
  }
}

/**
 * csv-parse's stream, its records handed to `onRecord` as they are made, with
 * the parser's byte count at the record's end: a chunk written is a chunk
 * parsed, and the position each record ends at is exact. (Its `info` option
 * would copy the whole info object for every record, which costs more than
 * the parsing.)
 */
class RecordParser extends Parser {
  constructor(
    options: Options,
    private readonly onRecord: (record: string[], bytes: number) => void,
  ) {
    super(options);
  }

  override push(record: unknown) {
    if (record === null) return super.push(null);
    this.onRecord(record as string[], this.info.bytes);
    return true;
  }
}

/** Yields the records of a file from a byte offset on; closes the file when the loop ends early. */
export async function* readCsvRecords(filePath: string, options: ReadCsvOptions): AsyncGenerator<CsvRecord> {
  const { delimiter } = options;
  const encoding = options.encoding ?? "utf-8";
  const start = options.start ?? 0;
  const window = new ByteWindow(start);
  let line = options.line ?? 1;

  /** The record whose bytes end at file offset `end`, or undefined when they are blank lines only. */
  const recordTo = (end: number, fields: string[], error?: string): CsvRecord | undefined => {
    const atFileStart = window.offset === 0;
    let text = decodeBytes(window.take(end), encoding);
    if (atFileStart) text = text.replace(/^\ufeff/, "");
    for (let blank = BLANK_LINE.exec(text); blank; blank = BLANK_LINE.exec(text)) {
      text = text.slice(blank[0].length);
      line++;
    }
    const startLine = line;
    line += countLineBreaks(text);
    const raw = text.replace(/\r?\n$/, "");
    if (raw.trim() === "") return undefined;
    return {
      line: startLine,
      fields,
      raw,
      end,
      nextLine: line,
      ...(error ? { error } : {}),
    };
  };

  const ready: CsvRecord[] = [];
  const parser = new RecordParser(
    {
      ...parserOptions(delimiter, encoding),
      // A byte-order mark is only at the file's start; resumed, the first bytes are data.
      bom: start === 0,
      max_record_size: MAX_RECORD_BYTES,
    },
    (parsed, bytes) => {
      const record = recordTo(start + bytes, fieldsOf(parsed, delimiter, encoding));
      if (record) ready.push(record);
    },
  );
  let failure: unknown;
  parser.on("error", (error) => (failure ??= error));
  const stream = fs.createReadStream(filePath, { start, highWaterMark: options.highWaterMark ?? 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      window.push(chunk);
      parser.write(chunk);
      if (parser.errored) throw asCsvError(parser.errored);
      yield* ready.splice(0);
    }
    await new Promise<void>((resolve) => {
      parser.once("finish", resolve);
      parser.once("error", () => resolve());
      parser.end();
    });
    yield* ready.splice(0);
    if (isQuoteNotClosed(failure)) {
      const record = recordTo(window.end, [], "a quoted field is not closed before the end of the file");
      if (record) yield record;
    } else if (failure) throw asCsvError(failure);
  } finally {
    stream.destroy();
    parser.destroy();
  }
}

function countLineBreaks(text: string) {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function isQuoteNotClosed(error: unknown) {
  return error instanceof ParseError && error.code === "CSV_QUOTE_NOT_CLOSED";
}

/** The parser's failure as the import reports it: the line, and what is wrong in words. */
function asCsvError(error: unknown): CsvError {
  if (!(error instanceof ParseError)) return new CsvError(String(error));
  const at = (error as ParseError & { lines?: number }).lines;
  const where = at ? `Line ${at}: ` : "";
  if (error.code === "CSV_MAX_RECORD_SIZE") {
    return new CsvError(
      `${where}a record longer than 1 MB — most likely a quoted field that is never closed.`,
    );
  }
  return new CsvError(`${where}${error.message}`);
}

/** The first `limit` records (for previews and detection). */
export async function readFirstRecords(
  filePath: string,
  delimiter: Delimiter,
  limit: number,
  encoding: Encoding = "utf-8",
) {
  const records: CsvRecord[] = [];
  if (limit <= 0) return records;
  for await (const record of readCsvRecords(filePath, { delimiter, encoding, highWaterMark: 16 * 1024 })) {
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

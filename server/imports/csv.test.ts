import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectDelimiter, readCsvRecords, splitRecord, type CsvRecord, type ReadCsvOptions } from "./csv";
import { sniff } from "~/server/files/sniff";
import { encodingOf } from "./encoding";
import { detectDateFormat, parseAmount, parseDate, propertyValue } from "./values";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-csv-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer) {
  const p = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(p, content);
  return p;
}

async function read(p: string, options: ReadCsvOptions) {
  const records: CsvRecord[] = [];
  for await (const record of readCsvRecords(p, options)) records.push(record);
  return records;
}

describe("CSV reader", () => {
  it("reads quoted fields with delimiters, escaped quotes and line breaks, and numbers lines", async () => {
    const p = file('id,name,note\r\n1,"Smith, Ann","said ""hi"""\r\n\r\n2,Bob,"two\nlines"\n3,Cy,5" disk\n');
    const records = await read(p, { delimiter: "," });
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ["id", "name", "note"]],
      [2, ["1", "Smith, Ann", 'said "hi"']],
      [4, ["2", "Bob", "two\nlines"]],
      [6, ["3", "Cy", '5" disk']],
    ]);
    expect(records[1]!.raw).toBe('1,"Smith, Ann","said ""hi"""');
  });

  it("handles ; tab and | delimiters, a byte-order mark and a last line without a line break", async () => {
    expect((await read(file("\ufeffa;b\n1;2"), { delimiter: ";" })).map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect((await read(file("a\tb\n1\t2\n"), { delimiter: "\t" })).map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect((await read(file('a|"b|c"\n'), { delimiter: "|" }))[0]!.fields).toEqual(["a", "b|c"]);
  });

  it("splits aligned columns on runs of spaces and tabs (the CDNOW log)", async () => {
    const p = file(" 00001 19970101  1   11.77\r\n 00002 19970112\t1   12.00\r\n");
    expect((await read(p, { delimiter: "whitespace" })).map((r) => r.fields)).toEqual([
      ["00001", "19970101", "1", "11.77"],
      ["00002", "19970112", "1", "12.00"],
    ]);
  });

  it("starts again at a record's end offset and line, with small reads across record boundaries", async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `${i},"name ${i}, é",${i * 2}`);
    const p = file(`${lines.join("\n")}\n`);
    const all = await read(p, { delimiter: ",", highWaterMark: 7 });
    expect(all).toHaveLength(500);
    expect(all[499]!.fields).toEqual(["499", "name 499, é", "998"]);
    const from = all[249]!;
    const rest = await read(p, { delimiter: ",", start: from.end, line: from.nextLine, highWaterMark: 13 });
    expect(rest.map((r) => r.line)).toEqual(all.slice(250).map((r) => r.line));
    expect(rest.map((r) => r.fields)).toEqual(all.slice(250).map((r) => r.fields));
  });

  it("flags a quoted field that never closes", async () => {
    const records = await read(file('a,b\n1,"open\n2,3\n'), { delimiter: "," });
    expect(records[1]).toMatchObject({
      line: 2,
      error: "a quoted field is not closed before the end of the file",
    });
  });

  it("reads Windows-1252 and UTF-16 files, and starts again in them at a record's end", async () => {
    // "Café;12,50 €" and curly quotes, as Excel on Windows writes them.
    const cp1252 = Buffer.from([
      ...Buffer.from("name;price\r\n"),
      ...[0x43, 0x61, 0x66, 0xe9],
      ...Buffer.from(";12,50 "),
      0x80,
      ...Buffer.from("\r\n"),
      0x93,
      ...Buffer.from("Quoted"),
      0x94,
      ...Buffer.from(";1\r\n"),
    ]);
    const western = await read(file(cp1252), { delimiter: ";", encoding: "windows-1252" });
    expect(western.map((r) => r.fields)).toEqual([
      ["name", "price"],
      ["Café", "12,50 €"],
      ["\u201cQuoted\u201d", "1"],
    ]);
    expect(western[1]!.raw).toBe("Café;12,50 €");

    const lines = Array.from({ length: 200 }, (_, i) => `${i}\t"Zoë ${i}\tß"\t€${i}`);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`id\tname\tprice\r\n${lines.join("\r\n")}\r\n`, "utf16le"),
    ]);
    const p = file(utf16);
    const all = await read(p, { delimiter: "\t", encoding: "utf-16le", highWaterMark: 33 });
    expect(all).toHaveLength(201);
    expect(all[1]!.fields).toEqual(["0", "Zoë 0\tß", "€0"]);
    expect(all[200]).toMatchObject({ line: 201, raw: '199\t"Zoë 199\tß"\t€199' });
    const from = all[120]!;
    const rest = await read(p, {
      delimiter: "\t",
      encoding: "utf-16le",
      start: from.end,
      line: from.nextLine,
    });
    expect(rest.map((r) => [r.line, r.fields])).toEqual(all.slice(121).map((r) => [r.line, r.fields]));
  });

  it("detects the encoding from a byte-order mark, zero bytes or invalid UTF-8", () => {
    const detectEncoding = (head: Buffer) => encodingOf(sniff(head, head.length < 65_536));
    expect(detectEncoding(Buffer.from("\ufeffa,b\n"))).toBe("utf-8");
    expect(detectEncoding(Buffer.from("a,é\n"))).toBe("utf-8");
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toBe("utf-16le");
    expect(detectEncoding(Buffer.from("a,b\n1,2\n", "utf16le"))).toBe("utf-16le");
    expect(detectEncoding(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x80]))).toBe("windows-1252");
    // A character cut at the end of a full sample is not invalid UTF-8.
    const sample = Buffer.concat([Buffer.alloc(65_535, 0x61), Buffer.from("é").subarray(0, 1)]);
    expect(detectEncoding(sample)).toBe("utf-8");
  });

  it("keeps the text after a closing quote, and stops at a record over 1 MB with its line", async () => {
    expect((await read(file('"abc"def,x\n'), { delimiter: "," }))[0]!.fields).toEqual(['"abc"def', "x"]);
    const huge = file(`a,b\n1,2\n3,"${"x".repeat(1024 * 1024 + 10)}",4\n`);
    await expect(read(huge, { delimiter: "," })).rejects.toThrow(/^Line 3: a record longer than 1 MB/);
  });

  it("detects the delimiter", () => {
    expect(detectDelimiter(["a,b,c", "1,2,3"])).toBe(",");
    expect(detectDelimiter(["a;b;c", "1;2,5;3"])).toBe(";");
    expect(detectDelimiter(["a\tb", "1\t2"])).toBe("\t");
    expect(
      detectDelimiter([" customer_id  date number_of_cds  dollar_value", " 00001 19970101  1   11.77"]),
    ).toBe("whitespace");
    expect(splitRecord("", ",")).toEqual([""]);
  });
});

describe("values", () => {
  it("reads the date formats, as UTC, and refuses impossible dates", () => {
    const iso = (text: string, format: Parameters<typeof parseDate>[1]) => {
      const r = parseDate(text, format);
      return r.ok ? r.value.toISOString() : r.error;
    };
    expect(iso("2024-03-31", "iso")).toBe("2024-03-31T00:00:00.000Z");
    expect(iso("2024-03-31T14:05:06.5+02:00", "iso")).toBe("2024-03-31T12:05:06.500Z");
    expect(iso("2024-03-31 14:05", "iso")).toBe("2024-03-31T14:05:00.000Z");
    expect(iso("19970101", "yyyymmdd")).toBe("1997-01-01T00:00:00.000Z");
    expect(iso("31/03/2024", "dd/mm/yyyy")).toBe("2024-03-31T00:00:00.000Z");
    expect(iso("03/31/2024 09:30", "mm/dd/yyyy")).toBe("2024-03-31T09:30:00.000Z");
    expect(iso("31/02/2024", "dd/mm/yyyy")).toBe("“31/02/2024” is not a date in the format DD/MM/YYYY");
    expect(iso("03/31/2024", "dd/mm/yyyy")).toMatch(/not a date/);
    expect(detectDateFormat(["31/01/2024", "01/02/2024", "30/02/2024"])).toBe("dd/mm/yyyy");
    expect(detectDateFormat(["01/31/2024", "02/01/2024"])).toBe("mm/dd/yyyy");
    expect(detectDateFormat(["19970101", "19970112"])).toBe("yyyymmdd");
    expect(detectDateFormat(["soon", "later"])).toBeUndefined();
    expect(iso("yesterday", "iso")).toBe("“yesterday” is not a date in the format ISO 8601 (YYYY-MM-DD)");
  });

  it("reads amounts with separators and currency signs", () => {
    const amount = (text: string) => {
      const r = parseAmount(text);
      return r.ok ? r.value : r.error;
    };
    expect(amount("11.77")).toBe(11.77);
    expect(amount("$1,234.50")).toBe(1234.5);
    expect(amount("1.234,50 EUR")).toBe(1234.5);
    expect(amount("12,5")).toBe(12.5);
    expect(amount("-3")).toBe(-3);
    expect(amount("abc")).toBe("the amount “abc” is not a number");
    expect(propertyValue("5")).toBe(5);
    expect(propertyValue("00042")).toBe("00042");
    expect(propertyValue("blue")).toBe("blue");
  });
});

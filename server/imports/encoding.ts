import type { Content } from "~/server/files/sniff";
import type { Encoding } from "./options";

// What the CSV parser is told, and how its text becomes the file's. The parser
// decodes Windows-1252 as Latin-1, which maps each byte to the code point of
// the same number: the two differ only in 0x80–0x9F, where Windows-1252 has
// €, curly quotes, dashes and a few letters, mapped here after parsing.

/** The Node encoding the parser decodes with. */
export function parserEncoding(encoding: Encoding): BufferEncoding {
  return encoding === "utf-8" ? "utf8" : encoding === "utf-16le" ? "utf16le" : "latin1";
}

// Windows-1252's 0x80–0x9F; the five bytes it leaves undefined stay as they are.
const cp1252High =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

const latin1High = /[\u0080-\u009f]/g;

/** Text the parser decoded, as the file's encoding has it. */
export function fromParserText(text: string, encoding: Encoding): string {
  if (encoding !== "windows-1252") return text;
  return text.replace(latin1High, (c) => cp1252High[c.charCodeAt(0) - 0x80]!);
}

/** Decodes bytes of the file (a record's raw text) as the parser does. */
export function decodeBytes(bytes: Buffer, encoding: Encoding): string {
  return fromParserText(bytes.toString(parserEncoding(encoding)), encoding);
}

/** The encoding a file's first bytes suggest (server/files/sniff.ts tells them apart). */
export function encodingOf(content: Content): Encoding {
  return content === "utf16" ? "utf-16le" : content === "not-utf8" ? "windows-1252" : "utf-8";
}

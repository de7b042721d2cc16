// What a file is by its first bytes, whatever its name says. A CSV import must
// be text in an encoding the import reads (UTF-8, UTF-16LE or, for any other
// text, Windows-1252); an evidence file must be what its extension claims. Pure, so
// the browser can check a file before sending it with the same rules.

/** How much of a file's start is read to tell what it is. */
export const SNIFF_BYTES = 4096;

export type BinaryFormat = "png" | "jpeg" | "gif" | "pdf" | "zip" | "gzip" | "ole";

/**
 * What bytes can be: a binary format by its magic number, UTF-8 text, UTF-16
 * text (little-endian, as Windows writes it; "utf16be" the other way round),
 * other text, or none.
 */
export type Content = BinaryFormat | "text" | "utf16" | "utf16be" | "not-utf8" | "binary";

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const magicNumbers: { format: BinaryFormat; starts: number[][] }[] = [
  { format: "png", starts: [[0x89, ...ascii("PNG\r\n\x1a\n")]] },
  { format: "jpeg", starts: [[0xff, 0xd8, 0xff]] },
  { format: "gif", starts: [ascii("GIF87a"), ascii("GIF89a")] },
  { format: "pdf", starts: [ascii("%PDF-")] },
  // A ZIP's first local file header, or the end record of an empty one: also .xlsx and .docx.
  { format: "zip", starts: [ascii("PK\x03\x04"), ascii("PK\x05\x06")] },
  { format: "gzip", starts: [[0x1f, 0x8b]] },
  // OLE2 compound files: .xls, .doc and .msg from Office 97–2003.
  { format: "ole", starts: [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]] },
];

const labels: Record<Content, string> = {
  png: "a PNG image",
  jpeg: "a JPEG image",
  gif: "a GIF image",
  pdf: "a PDF document",
  zip: "a ZIP archive",
  gzip: "a gzip-compressed file",
  ole: "an Excel 97–2003 workbook or another old Office file",
  text: "UTF-8 text",
  utf16: "UTF-16 text",
  utf16be: "UTF-16 big-endian text",
  "not-utf8": "text in an encoding other than UTF-8",
  binary: "a binary file",
};

function startsWith(bytes: Uint8Array, prefix: number[]) {
  return prefix.length <= bytes.length && prefix.every((byte, i) => bytes[i] === byte);
}

function isUtf8(bytes: Uint8Array, complete: boolean) {
  try {
    // stream: a cut-off start of a file may end inside a character.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** Mostly-ASCII text in UTF-16LE without a byte-order mark: its odd bytes are zero, its even ones not. */
function looksLikeUtf16le(bytes: Uint8Array) {
  const pairs = Math.floor(bytes.length / 2);
  let oddZeros = 0;
  let evenZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i + 1] === 0) oddZeros++;
    if (bytes[2 * i] === 0) evenZeros++;
  }
  return pairs > 0 && oddZeros / pairs > 0.5 && evenZeros / pairs < 0.05;
}

/**
 * What the start of a file is. `complete`: the bytes are the whole file
 * (otherwise the last character may be cut off, which is not an error).
 */
export function sniff(head: Uint8Array, complete: boolean): Content {
  const known = magicNumbers.find(({ starts }) => starts.some((prefix) => startsWith(head, prefix)));
  if (known) return known.format;
  if (startsWith(head, [0xff, 0xfe])) return "utf16";
  if (startsWith(head, [0xfe, 0xff])) return "utf16be";
  if (head.includes(0)) return looksLikeUtf16le(head) ? "utf16" : "binary";
  return isUtf8(head, complete) ? "text" : "not-utf8";
}

/** "a PNG image"; a ZIP says whether it is an Excel workbook or a Word document, when its first entries tell. */
export function describeContent(content: Content, head?: Uint8Array): string {
  if (content === "zip" && head) {
    const names = new TextDecoder("latin1").decode(head);
    if (names.includes("xl/")) return "an Excel workbook (.xlsx)";
    if (names.includes("word/")) return "a Word document (.docx)";
  }
  return labels[content];
}

/** Why the start of a file is not a CSV a person can import, or null when it can be. */
export function csvIssue(head: Uint8Array, complete: boolean): string | null {
  const content = sniff(head, complete);
  if (content === "text" || content === "utf16" || content === "not-utf8") return null;
  if (content === "utf16be") {
    return `This file is ${labels[content]}, which the import does not read. Save it as “CSV UTF-8” and upload it again.`;
  }
  return `This file is not a CSV: it looks like ${describeContent(content, head)}.`;
}

/** Why the start of a file is not the `expected` content its name promises, or null when it is. */
export function contentMismatch(
  fileName: string,
  expected: BinaryFormat | "text",
  head: Uint8Array,
  complete: boolean,
): string | null {
  const content = sniff(head, complete);
  if (content === expected) return null;
  return `“${fileName}” is not ${labels[expected]}: it looks like ${describeContent(content, head)}`;
}

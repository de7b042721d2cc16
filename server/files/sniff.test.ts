import { describe, expect, it } from "vitest";
import { contentMismatch, csvIssue, sniff } from "./sniff";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "latin1")] : part)),
  );

// The first bytes of real files of each kind.
const samples = {
  png: bytes([0x89], "PNG\r\n\x1a\n", [0, 0, 0, 13], "IHDR"),
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF", [0]),
  gif: bytes("GIF89a", [1, 0, 1, 0]),
  pdf: bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
  xlsx: bytes("PK\x03\x04", [20, 0, 6, 0], "[Content_Types].xml", "....PK\x03\x04", "xl/workbook.xml"),
  docx: bytes("PK\x03\x04", [20, 0, 6, 0], "[Content_Types].xml", "....PK\x03\x04", "word/document.xml"),
  zip: bytes("PK\x03\x04", [20, 0, 0, 0], "photos/a.jpg"),
  gzip: bytes([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
  xls: bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
};

describe("sniff", () => {
  it("knows the common binary formats by their magic numbers", () => {
    expect(Object.values(samples).map((head) => sniff(head, false))).toEqual([
      "png",
      "jpeg",
      "gif",
      "pdf",
      "zip",
      "zip",
      "zip",
      "gzip",
      "ole",
    ]);
  });

  it("takes UTF-8 text, with or without a byte-order mark, even when the sample ends inside a character", () => {
    expect(sniff(new TextEncoder().encode("id,name\n1,Zoë\n"), true)).toBe("text");
    expect(sniff(bytes([0xef, 0xbb, 0xbf], "id,name\n"), true)).toBe("text");
    const cut = new TextEncoder().encode("name\nZoë").subarray(0, -1);
    expect(sniff(cut, false)).toBe("text");
    expect(sniff(cut, true)).toBe("not-utf8");
  });

  it("tells UTF-16, another encoding and NUL bytes apart from UTF-8 text", () => {
    expect(sniff(bytes([0xff, 0xfe], "i\0d\0"), false)).toBe("utf16");
    expect(sniff(bytes("i\0d\0,\0n\0a\0m\0e\0\n\0"), false)).toBe("utf16");
    expect(sniff(bytes([0xfe, 0xff], "\0i\0d"), false)).toBe("utf16be");
    expect(sniff(bytes("name\nZo\xeb\n"), true)).toBe("not-utf8");
    expect(sniff(bytes("a,b\n1,", [0], "2\n"), true)).toBe("binary");
  });
});

describe("csvIssue", () => {
  it("passes a CSV", () => {
    expect(csvIssue(bytes("customer;date;amount\r\nc-1;2024-01-31;19,95\r\n"), true)).toBeNull();
  });

  it("names what a file that is not a CSV looks like", () => {
    expect(csvIssue(samples.png, false)).toBe("This file is not a CSV: it looks like a PNG image.");
    expect(csvIssue(samples.jpeg, false)).toBe("This file is not a CSV: it looks like a JPEG image.");
    expect(csvIssue(samples.gif, false)).toBe("This file is not a CSV: it looks like a GIF image.");
    expect(csvIssue(samples.pdf, false)).toBe("This file is not a CSV: it looks like a PDF document.");
    expect(csvIssue(samples.xlsx, false)).toBe(
      "This file is not a CSV: it looks like an Excel workbook (.xlsx).",
    );
    expect(csvIssue(samples.zip, false)).toBe("This file is not a CSV: it looks like a ZIP archive.");
    expect(csvIssue(samples.gzip, false)).toBe(
      "This file is not a CSV: it looks like a gzip-compressed file.",
    );
    expect(csvIssue(bytes("a,b\n", [0, 0]), true)).toBe(
      "This file is not a CSV: it looks like a binary file.",
    );
  });

  it("passes a CSV in Windows-1252 or UTF-16LE, which the import reads, and says how to fix UTF-16BE", () => {
    expect(csvIssue(bytes("name\nZo\xeb\n"), true)).toBeNull();
    expect(csvIssue(bytes([0xff, 0xfe], "n\0"), false)).toBeNull();
    expect(csvIssue(bytes([0xfe, 0xff], "\0n"), false)).toBe(
      "This file is UTF-16 big-endian text, which the import does not read. Save it as “CSV UTF-8” and upload it again.",
    );
  });
});

describe("contentMismatch", () => {
  it("passes a file that is what its name says", () => {
    expect(contentMismatch("scan.png", "png", samples.png, false)).toBeNull();
    expect(contentMismatch("photo.jpg", "jpeg", samples.jpeg, false)).toBeNull();
    expect(contentMismatch("report.pdf", "pdf", samples.pdf, false)).toBeNull();
    expect(contentMismatch("budget.xlsx", "zip", samples.xlsx, false)).toBeNull();
    expect(contentMismatch("minutes.docx", "zip", samples.docx, false)).toBeNull();
    expect(contentMismatch("notes.txt", "text", bytes("Workshop notes\n"), true)).toBeNull();
  });

  it("names what a mislabelled file really is", () => {
    expect(contentMismatch("scan.png", "png", samples.pdf, false)).toBe(
      "“scan.png” is not a PNG image: it looks like a PDF document",
    );
    expect(contentMismatch("notes.txt", "text", samples.png, false)).toBe(
      "“notes.txt” is not UTF-8 text: it looks like a PNG image",
    );
    expect(contentMismatch("budget.xlsx", "zip", samples.xls, false)).toBe(
      "“budget.xlsx” is not a ZIP archive: it looks like an Excel 97–2003 workbook or another old Office file",
    );
    expect(contentMismatch("page.pdf", "pdf", bytes("<html><script>alert(1)</script>"), true)).toBe(
      "“page.pdf” is not a PDF document: it looks like UTF-8 text",
    );
  });
});

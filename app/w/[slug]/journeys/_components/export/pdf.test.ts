import { describe, expect, it } from "vitest";
import { jpegInfo, jpegToPdf, MAX_PAGE_POINTS } from "./pdf";

/** The bytes of a JPEG's headers (no real scan data, which the PDF writer never reads) of the given size. */
function fakeJpeg(width: number, height: number, components = 3): Uint8Array {
  const app0 = [
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ];
  // A quantisation table segment (length 67) before the frame, as encoders write it.
  const dqt = [0xff, 0xdb, 0x00, 0x43, 0x00, ...Array.from({ length: 64 }, (_, i) => (i % 50) + 1)];
  const frame = [
    0xff,
    0xc0,
    0x00,
    8 + 3 * components,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    components,
    ...Array.from({ length: components }, (_, i) => [i + 1, 0x11, 0x00]).flat(),
  ];
  // Scan data may hold any byte, including ones that look like PDF keywords.
  const scan = [
    0xff,
    0xda,
    0x00,
    0x08,
    0x01,
    0x01,
    0x00,
    0x00,
    0x3f,
    0x00,
    ...new TextEncoder().encode("endstream xref"),
    0x00,
  ];
  return new Uint8Array([0xff, 0xd8, ...app0, ...dqt, ...frame, ...scan, 0xff, 0xd9]);
}

/** Bytes as a string with one character per byte, so string offsets are byte offsets. */
function latin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}

describe("jpegInfo", () => {
  it("reads the size from the frame header after other segments", () => {
    expect(jpegInfo(fakeJpeg(1234, 567))).toEqual({ width: 1234, height: 567, components: 3 });
    expect(jpegInfo(fakeJpeg(1, 2, 1))).toEqual({ width: 1, height: 2, components: 1 });
  });

  it("refuses what is not a JPEG", () => {
    expect(() => jpegInfo(new TextEncoder().encode("\x89PNG"))).toThrow("not a JPEG");
    expect(() => jpegInfo(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toThrow("no frame header");
  });
});

describe("jpegToPdf", () => {
  const jpeg = fakeJpeg(1600, 900);
  const pdf = jpegToPdf(jpeg, { pixelRatio: 2 });
  const text = latin1(pdf);

  it("starts with the PDF header and ends with %%EOF", () => {
    expect(text.startsWith("%PDF-1.4\n")).toBe(true);
    expect(text.endsWith("%%EOF\n")).toBe(true);
  });

  it("has a cross-reference table whose offsets point at each object", () => {
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe("xref\n");
    const table = /^xref\n0 (\d+)\n((?:\d{10} \d{5} [fn] \n)+)trailer\n<< \/Size (\d+) \/Root 1 0 R >>/.exec(
      text.slice(startxref),
    );
    expect(table).not.toBeNull();
    const count = Number(table![1]);
    expect(Number(table![3])).toBe(count);
    const entries = table![2]!.match(/.{20}/gs)!;
    expect(entries).toHaveLength(count);
    expect(entries[0]).toBe("0000000000 65535 f \n");
    entries.slice(1).forEach((entry, i) => {
      const offset = Number(entry.slice(0, 10));
      expect(entry.endsWith(" 00000 n \n")).toBe(true);
      expect(text.slice(offset, offset + `${i + 1} 0 obj\n`.length)).toBe(`${i + 1} 0 obj\n`);
    });
    expect(count).toBe(6);
  });

  it("embeds the JPEG unchanged as a DCTDecode image of its size on a page of its size", () => {
    const image =
      /<< \/Type \/XObject \/Subtype \/Image \/Width (\d+) \/Height (\d+) \/ColorSpace \/DeviceRGB \/BitsPerComponent 8 \/Filter \/DCTDecode \/Length (\d+) >>\nstream\n/.exec(
        text,
      );
    expect(image).not.toBeNull();
    expect([Number(image![1]), Number(image![2])]).toEqual([1600, 900]);
    expect(Number(image![3])).toBe(jpeg.length);
    const start = image!.index + image![0].length;
    expect(pdf.slice(start, start + jpeg.length)).toEqual(jpeg);
    expect(text.slice(start + jpeg.length, start + jpeg.length + 10)).toBe("\nendstream");
    // 800 × 450 CSS pixels at 96 per inch are 600 × 337.5 points.
    expect(text).toContain("/MediaBox [0 0 600 337.5]");
    expect(text).toContain("q 600 0 0 337.5 0 0 cm /Im1 Do Q");
  });

  it("gives the content stream its exact length", () => {
    const content = /5 0 obj\n<< \/Length (\d+) >>\nstream\n([^]*?)\nendstream/.exec(text);
    expect(Number(content![1])).toBe(content![2]!.length);
  });

  it("shrinks a huge picture to the largest page PDF allows, keeping its shape", () => {
    const huge = latin1(jpegToPdf(fakeJpeg(60_000, 30_000)));
    expect(huge).toContain(`/MediaBox [0 0 ${MAX_PAGE_POINTS} ${MAX_PAGE_POINTS / 2}]`);
    expect(huge).toContain("/Width 60000 /Height 30000");
  });
});

// A one-page PDF holding one JPEG picture, written by hand: the journey's
// picture needs nothing more, and PDF readers decode JPEG themselves
// (DCTDecode), so the image's bytes go in unchanged.

export interface JpegInfo {
  width: number;
  height: number;
  /** 1 for greyscale, 3 for colour (YCbCr), 4 for CMYK. */
  components: number;
}

/** Markers that stand alone, without a length: start/end of image and the restart markers. */
function standalone(marker: number): boolean {
  return marker === 0xd8 || marker === 0xd9 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/** A start-of-frame marker (C0-CF), which holds the image size; C4, C8 and CC are other tables. */
function startOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Reads a JPEG's size and colour components from its frame header. */
export function jpegInfo(bytes: Uint8Array): JpegInfo {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("The picture is not a JPEG image.");
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error("The JPEG image is damaged (no marker where one should be).");
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (standalone(marker)) {
      at += 2;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (startOfFrame(marker)) {
      if (at + 10 > bytes.length) break;
      return {
        height: (bytes[at + 5]! << 8) | bytes[at + 6]!,
        width: (bytes[at + 7]! << 8) | bytes[at + 8]!,
        components: bytes[at + 9]!,
      };
    }
    // The scan data starts after SOS; a frame header always comes before it.
    if (marker === 0xda) break;
    at += 2 + length;
  }
  throw new Error("The JPEG image has no frame header.");
}

/** The largest page side PDF readers accept (200 inches), in points. */
export const MAX_PAGE_POINTS = 14_400;

const colourSpaces: Record<number, string> = { 1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK" };

function points(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * A PDF of one page the size of the picture (CSS pixels at 96 per inch, so a
 * picture taken at `pixelRatio` 2 prints at its size on screen), shrunk to fit
 * when a side would pass the largest page PDF allows.
 */
export function jpegToPdf(jpeg: Uint8Array, { pixelRatio = 1 }: { pixelRatio?: number } = {}): Uint8Array {
  const { width, height, components } = jpegInfo(jpeg);
  const colourSpace = colourSpaces[components];
  if (!colourSpace || width === 0 || height === 0) throw new Error("The JPEG image cannot be put in a PDF.");
  const fit = Math.min(
    1,
    MAX_PAGE_POINTS / ((width / pixelRatio) * 0.75),
    MAX_PAGE_POINTS / ((height / pixelRatio) * 0.75),
  );
  const pageWidth = points((width / pixelRatio) * 0.75 * fit);
  const pageHeight = points((height / pixelRatio) * 0.75 * fit);

  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let length = 0;
  const write = (part: string | Uint8Array) => {
    const bytes = typeof part === "string" ? encoder.encode(part) : part;
    chunks.push(bytes);
    length += bytes.length;
  };
  const offsets: number[] = [];
  const object = (body: () => void) => {
    offsets.push(length);
    write(`${offsets.length} 0 obj\n`);
    body();
    write("\nendobj\n");
  };

  // The second line's high bytes tell file tools the PDF is binary.
  write("%PDF-1.4\n");
  write(new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  object(() => write("<< /Type /Catalog /Pages 2 0 R >>"));
  object(() => write("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
  object(() =>
    write(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pageWidth} ${pageHeight}] ` +
        "/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
    ),
  );
  object(() => {
    write(
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace ${colourSpace} ` +
        `/BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
    );
    write(jpeg);
    write("\nendstream");
  });
  const content = encoder.encode(`q ${pageWidth} 0 0 ${pageHeight} 0 0 cm /Im1 Do Q`);
  object(() => {
    write(`<< /Length ${content.length} >>\nstream\n`);
    write(content);
    write("\nendstream");
  });

  const xref = length;
  // Each cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, keyword, space and newline.
  const entry = (offset: number, generation: string, keyword: "f" | "n") =>
    `${String(offset).padStart(10, "0")} ${generation} ${keyword} \n`;
  write(`xref\n0 ${offsets.length + 1}\n`);
  write(entry(0, "65535", "f"));
  for (const offset of offsets) write(entry(offset, "00000", "n"));
  write(`trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);

  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// Every file Centric answers with is a download, never a page: the browser
// saves it rather than showing it (Content-Disposition: attachment) and takes
// the type it is given rather than guessing one (nosniff), so an uploaded file
// whose bytes are really HTML or script can never run on Centric's origin.

/** RFC 5987's encoding of a header parameter: percent-encoded UTF-8, with the characters it reserves escaped too. */
function encodeHeaderParameter(value: string) {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment` with the name twice: plain ASCII for old clients, and exact in filename* for the rest. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_").trim() || "download";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeHeaderParameter(fileName)}`;
}

export function fileResponse(body: BodyInit, file: { fileName: string; contentType: string }): Response {
  return new Response(body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": contentDisposition(file.fileName),
      "x-content-type-options": "nosniff",
      // Workspace data: never kept by a shared cache.
      "cache-control": "private, no-store",
    },
  });
}

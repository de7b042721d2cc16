import { describe, expect, it } from "vitest";
import { contentDisposition, fileResponse } from "./file-response";

describe("file answers", () => {
  it("name the file exactly in filename* and in plain ASCII for old clients, whatever it contains", () => {
    expect(contentDisposition("scorecard.csv")).toBe(
      `attachment; filename="scorecard.csv"; filename*=UTF-8''scorecard.csv`,
    );
    expect(contentDisposition('Zoë\'s "notes" (v2).txt')).toBe(
      `attachment; filename="Zo_'s _notes_ (v2).txt"; filename*=UTF-8''Zo%C3%AB%27s%20%22notes%22%20%28v2%29.txt`,
    );
    // A line break cannot end the header and start another.
    expect(contentDisposition("a\r\nSet-Cookie: x=1.txt")).not.toMatch(/[\r\n]/);
  });

  it("are downloads the browser must not sniff, kept by no shared cache", () => {
    const response = fileResponse("a,b\n", { fileName: "x.csv", contentType: "text/csv; charset=utf-8" });
    expect(Object.fromEntries(response.headers)).toEqual({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="x.csv"; filename*=UTF-8''x.csv`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    });
  });
});

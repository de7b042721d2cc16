import { describe, expect, it } from "vitest";
import { describeUnstorable, findUnstorableText, unstorableReason } from "./storable-text";

describe("text PostgreSQL cannot store", () => {
  it("refuses NUL characters and lone surrogates, and keeps every other text", () => {
    expect(unstorableReason("a\u0000b")).toContain("NUL character");
    expect(unstorableReason("high \ud800 alone")).toContain("lone UTF-16 surrogate");
    expect(unstorableReason("low \udc00 alone")).toContain("lone UTF-16 surrogate");
    expect(unstorableReason("reversed pair \udc00\ud800")).toContain("lone UTF-16 surrogate");
    for (const fine of ["", "plain", "Zoë 🍩 日本語", "\u{1F600}", "tab\tnew\nline", "\uFFFD"]) {
      expect(unstorableReason(fine)).toBeUndefined();
    }
  });

  it("finds the first bad string in nested input, keys included, and names where it is", () => {
    expect(findUnstorableText({ data: { name: "ok", tags: ["fine", "bad\u0000"] } })).toEqual({
      path: "data.tags.1",
      reason: expect.stringContaining("NUL character"),
    });
    const badKey = findUnstorableText({ properties: { ["k\ud83d"]: 1 } });
    expect(badKey?.path).toBe("properties.k\ud83d");
    expect(badKey?.reason).toMatch(/^its name contains a lone UTF-16 surrogate/);
    expect(findUnstorableText({ a: [1, true, null, { b: "fine" }] })).toBeUndefined();
    expect(describeUnstorable(findUnstorableText("x\u0000")!)).toBe(
      "The text contains a NUL character (\\u0000), which cannot be stored",
    );
  });

  it("refuses input nested deeper than anything Centric takes, without walking it all", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    expect(findUnstorableText(deep)?.reason).toBe("is nested more than 64 levels deep");
  });
});

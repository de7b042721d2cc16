import { describe, expect, it } from "vitest";
import { originAllowed, parseOrigin, ZAllowedOrigins } from "./origins";

describe("parseOrigin", () => {
  it("keeps an origin in the form browsers send it", () => {
    expect(parseOrigin(" https://Shop.Example ")).toEqual({ ok: true, origin: "https://shop.example" });
    expect(parseOrigin("https://shop.example:443/")).toEqual({ ok: true, origin: "https://shop.example" });
    expect(parseOrigin("http://localhost:5173")).toEqual({ ok: true, origin: "http://localhost:5173" });
  });

  it("refuses what is not scheme://host[:port], saying what to write", () => {
    const error = (text: string) => (parseOrigin(text) as { error: string }).error;
    expect(error("shop.example")).toContain("needs its scheme: write https://shop.example");
    expect(error("https://shop.example/cart")).toContain("has a path");
    expect(error("https://shop.example/?a=1")).toContain("has a path");
    expect(error("ftp://shop.example")).toContain("https:// or http://");
    expect(error("https://ana:secret@shop.example")).toContain("no user name");
    expect(error("https://")).toContain("not a web address");
  });
});

describe("ZAllowedOrigins", () => {
  it("normalises and drops repeats, or names every bad entry", () => {
    expect(ZAllowedOrigins.parse(["https://a.example", "https://A.example/", "http://b.example:8080"])).toEqual([
      "https://a.example",
      "http://b.example:8080",
    ]);
    const result = ZAllowedOrigins.safeParse(["a.example", "https://b.example/x"]);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toHaveLength(2);
  });
});

describe("originAllowed", () => {
  it("lets any origin use a key without a list, and no Origin (a server) use any key", () => {
    expect(originAllowed([], "https://x.example")).toBe(true);
    expect(originAllowed(["https://a.example"], null)).toBe(true);
    expect(originAllowed(["https://a.example"], "https://a.example")).toBe(true);
    expect(originAllowed(["https://a.example"], "https://x.example")).toBe(false);
    expect(originAllowed(["https://a.example"], "null")).toBe(false);
  });
});

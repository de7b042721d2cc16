import { describe, expect, it } from "vitest";
import { isForeignOrigin, isStateChanging } from "./origin";

const headers = (values: Record<string, string>) => new Headers(values);

describe("isForeignOrigin", () => {
  it("takes a request without an Origin (a program, not a page)", () => {
    expect(isForeignOrigin(headers({ host: "centric.test" }), undefined)).toBe(false);
  });

  it("takes a page of the host the request was sent to, under any name and port Centric is reached by", () => {
    expect(
      isForeignOrigin(headers({ host: "127.0.0.1:3100", origin: "http://127.0.0.1:3100" }), undefined),
    ).toBe(false);
    expect(
      isForeignOrigin(headers({ host: "Centric.LAN:3000", origin: "http://centric.lan:3000" }), undefined),
    ).toBe(false);
  });

  it("takes the configured public URL, and the host a proxy says it forwarded", () => {
    const internal = { host: "127.0.0.1:3000", origin: "https://centric.example.com" };
    expect(isForeignOrigin(headers(internal), "https://centric.example.com/")).toBe(false);
    expect(
      isForeignOrigin(headers({ ...internal, "x-forwarded-host": "centric.example.com" }), undefined),
    ).toBe(false);
  });

  it("refuses another site, another port of the same host, and the opaque origin null", () => {
    expect(
      isForeignOrigin(headers({ host: "centric.test", origin: "https://attacker.example" }), undefined),
    ).toBe(true);
    expect(
      isForeignOrigin(headers({ host: "localhost:3000", origin: "http://localhost:8080" }), undefined),
    ).toBe(true);
    expect(isForeignOrigin(headers({ host: "centric.test", origin: "null" }), "http://centric.test")).toBe(
      true,
    );
  });
});

describe("isStateChanging", () => {
  it("is true of the methods that change things", () => {
    expect(["POST", "PUT", "PATCH", "DELETE", "post"].map(isStateChanging)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["GET", "HEAD", "OPTIONS"].map(isStateChanging)).toEqual([false, false, false]);
  });
});

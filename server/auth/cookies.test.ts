import { expect, it } from "vitest";
import { parseCookieHeader } from "./session-token";

it("reads a Cookie header: the first of repeated names wins, values are decoded where they can be", () => {
  expect(parseCookieHeader("a=1; a=2; b=%E0%A4%A; c=%20x; d")).toEqual({ a: "1", b: "%E0%A4%A", c: " x" });
  expect(parseCookieHeader(undefined)).toEqual({});
});

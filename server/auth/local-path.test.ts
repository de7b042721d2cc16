import { expect, it } from "vitest";
import { safeLocalPath } from "./local-path";

it("keeps paths of this site and refuses anything a browser would take to another host", () => {
  expect(safeLocalPath("/w/northwind-retail/customers?seen=30#list")).toBe("/w/northwind-retail/customers?seen=30#list");
  expect(safeLocalPath("/")).toBe("/");
  expect(safeLocalPath(undefined)).toBe("/");
  for (const away of [
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/x",
    "javascript:alert(1)",
    "evil.example",
    "",
  ]) {
    expect(safeLocalPath(away), JSON.stringify(away)).toBe("/");
  }
  expect(safeLocalPath("//evil.example", "/signin")).toBe("/signin");
});

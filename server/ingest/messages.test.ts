import { expect, it } from "vitest";
import { parseIsoTimestamp } from "./messages";

it("reads ISO-8601 dates and date-times, and nothing else", () => {
  const iso = (text: string) => parseIsoTimestamp(text)?.toISOString();
  expect(iso("2026-03-01T10:00:00Z")).toBe("2026-03-01T10:00:00.000Z");
  expect(iso("2026-03-01T10:00:00.123456Z")).toBe("2026-03-01T10:00:00.123Z");
  expect(iso("2026-03-01T10:00:00+05:30")).toBe("2026-03-01T04:30:00.000Z");
  expect(iso("2026-03-01T10:00:00+0530")).toBe("2026-03-01T04:30:00.000Z");
  expect(iso("2026-03-01T10:00-02")).toBe("2026-03-01T12:00:00.000Z");
  expect(iso("2026-03-01T10:00:00")).toBe("2026-03-01T10:00:00.000Z"); // no zone: UTC
  expect(iso("2026-03-01")).toBe("2026-03-01T00:00:00.000Z");
  expect(iso("0001-01-01T00:00:00Z")).toBe("0001-01-01T00:00:00.000Z");
  expect(iso("2024-02-29")).toBe("2024-02-29T00:00:00.000Z");
  for (const bad of ["1", "2024-02-30", "2023-02-29", "2026-13-01", "2026-03-01T24:00:00Z", "0000-01-01", "Tue, 01 Oct 2024 10:00:00 GMT", "+275760-09-13T00:00:00Z", "yesterday", ""]) {
    expect(parseIsoTimestamp(bad), bad).toBeUndefined();
  }
});

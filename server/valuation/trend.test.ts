import { describe, expect, it } from "vitest";
import { lastOfEachDay } from "./trend";

describe("lastOfEachDay", () => {
  it("keeps one item per UTC day, the day's last", () => {
    const at = (iso: string | null, id: string) => ({ at: iso ? new Date(iso) : null, id });
    const items = [
      at("2026-03-01T08:00:00Z", "a"),
      at("2026-03-01T23:59:59Z", "b"),
      at(null, "unfinished"),
      at("2026-03-02T00:00:00Z", "c"),
      at("2026-03-04T10:00:00Z", "d"),
      at("2026-03-04T11:00:00Z", "e"),
      at("2026-03-04T12:00:00Z", "f"),
    ];
    expect(lastOfEachDay(items).map((i) => i.id)).toEqual(["b", "c", "f"]);
    expect(lastOfEachDay([])).toEqual([]);
  });
});

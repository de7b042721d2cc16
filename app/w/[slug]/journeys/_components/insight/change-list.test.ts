import { describe, expect, it } from "vitest";
import type { DesignChange } from "~/server/journeys/diff";
import { describeChange, groupChanges, summarizeChanges } from "./change-list";

const changes: DesignChange[] = [
  {
    kind: "changed",
    item: "touchpoint",
    id: "welcome",
    label: "Welcome email",
    field: "delayHours",
    before: "1 day",
    after: "2 days",
    stageName: "Discover",
  },
  { kind: "added", item: "stage", id: "advocate", label: "Advocate" },
  {
    kind: "moved",
    item: "touchpoint",
    id: "tips",
    label: "Care tips",
    field: "stage",
    before: "Buy",
    after: "Use",
    stageName: "Use",
  },
  {
    kind: "changed",
    item: "journey",
    id: "journey",
    label: "Journey",
    field: "quietHours",
    before: "none",
    after: "21:00–08:00",
  },
  { kind: "removed", item: "arrow", id: "e1", label: "Entry → Welcome email" },
];

describe("groupChanges", () => {
  it("groups by kind in a fixed order and leaves out empty groups", () => {
    const groups = groupChanges(changes);
    expect(groups.map((g) => [g.title, g.changes.map((c) => c.id)])).toEqual([
      ["Added", ["advocate"]],
      ["Removed", ["e1"]],
      ["Changed", ["welcome", "journey"]],
      ["Moved", ["tips"]],
    ]);
    expect(groupChanges([])).toEqual([]);
  });
});

describe("describeChange", () => {
  it("writes the before and after with the field's name", () => {
    expect(describeChange(changes[0]!)).toEqual({
      subject: "Touchpoint “Welcome email” in Discover",
      detail: "delay: 1 day → 2 days",
    });
    expect(describeChange(changes[3]!)).toEqual({
      subject: "Journey",
      detail: "quiet hours: none → 21:00–08:00",
    });
  });
  it("names a move's stage and leaves added and removed items without detail", () => {
    expect(describeChange(changes[2]!).detail).toBe("stage: Buy → Use");
    expect(describeChange(changes[1]!)).toEqual({ subject: "Stage “Advocate”", detail: null });
    expect(describeChange(changes[4]!)).toEqual({ subject: "Arrow “Entry → Welcome email”", detail: null });
  });
});

describe("summarizeChanges", () => {
  it("counts the changes per kind", () => {
    expect(summarizeChanges(changes)).toBe("5 changes: 1 added, 1 removed, 2 changed, 1 moved.");
    expect(summarizeChanges([])).toBe("No changes.");
  });
});

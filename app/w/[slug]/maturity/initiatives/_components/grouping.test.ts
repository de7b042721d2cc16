import { describe, expect, it } from "vitest";
import { groupInitiatives } from "./grouping";

const dims = [
  { key: "recognition", name: "Customer recognition" },
  { key: "personalisation", name: "Personalisation" },
];
const items = [
  { id: "a", dimensionKey: "personalisation", status: "planned" as const },
  { id: "b", dimensionKey: "recognition", status: "done" as const },
  { id: "c", dimensionKey: "old-key", status: "blocked" as const },
  { id: "d", dimensionKey: "personalisation", status: "blocked" as const },
];

describe("groupInitiatives", () => {
  it("groups by dimension in the model's order, unknown keys last, empty groups left out", () => {
    const groups = groupInitiatives(items, "dimension", [...dims, { key: "governance", name: "Governance" }]);
    expect(groups.map((g) => [g.title, g.items.map((i) => i.id)])).toEqual([
      ["Customer recognition", ["b"]],
      ["Personalisation", ["a", "d"]],
      ["old-key (not in the current model)", ["c"]],
    ]);
  });

  it("groups by status with blocked work first and done last", () => {
    const groups = groupInitiatives(items, "status", dims);
    expect(groups.map((g) => [g.title, g.items.map((i) => i.id)])).toEqual([
      ["Blocked", ["c", "d"]],
      ["Planned", ["a"]],
      ["Done", ["b"]],
    ]);
  });
});

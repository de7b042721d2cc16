import { describe, expect, it } from "vitest";
import { commentsToShow, commentTarget, countComments, targetName } from "./comment-targets";
import { testDesign } from "./test-fixtures";

const day = (d: number) => new Date(Date.UTC(2026, 10, d));

describe("targetName", () => {
  const design = testDesign();
  it("names the journey, a stage and a touchpoint with its stage", () => {
    expect(targetName(design, { kind: "journey" })).toBe("the journey");
    expect(targetName(design, { kind: "stage", id: "buy" })).toBe("stage “Buy”");
    expect(targetName(design, { kind: "touchpoint", id: "lookbook" })).toBe(
      "touchpoint “Lookbook page” (Consider)",
    );
  });
  it("says when the item is no longer in the design", () => {
    expect(targetName(design, { kind: "stage", id: "gone" })).toBe("a removed stage");
    expect(targetName(design, { kind: "touchpoint", id: "buy" })).toBe("a removed touchpoint");
  });
});

describe("commentsToShow", () => {
  const comments = [
    { id: "a", target: { kind: "stage", id: "buy" }, createdAt: day(3), resolvedAt: null },
    { id: "b", target: { kind: "stage", id: "buy" }, createdAt: day(1), resolvedAt: day(2) },
    { id: "c", target: { kind: "touchpoint", id: "buy" }, createdAt: day(2), resolvedAt: null },
    { id: "d", target: { kind: "journey", id: null }, createdAt: day(4), resolvedAt: null },
    { id: "e", target: { kind: "stage", id: "buy" }, createdAt: day(2), resolvedAt: null },
  ] as const;

  it("keeps the target's thread, open comments first, oldest first", () => {
    const ids = commentsToShow(comments, { kind: "stage", id: "buy" }, false).map((c) => c.id);
    expect(ids).toEqual(["e", "a", "b"]);
  });
  it("does not mix a stage and a touchpoint that share an id", () => {
    expect(commentsToShow(comments, { kind: "touchpoint", id: "buy" }, false).map((c) => c.id)).toEqual([
      "c",
    ]);
  });
  it("shows every comment with the all filter", () => {
    expect(commentsToShow(comments, { kind: "journey" }, true).map((c) => c.id)).toEqual([
      "c",
      "e",
      "a",
      "d",
      "b",
    ]);
    expect(commentsToShow(comments, { kind: "journey" }, false).map((c) => c.id)).toEqual(["d"]);
  });
  it("counts open and resolved comments", () => {
    expect(countComments(comments)).toEqual({ open: 4, resolved: 1 });
  });
  it("reads a comment without a target id as about the journey", () => {
    expect(commentTarget(comments[3])).toEqual({ kind: "journey" });
  });
});

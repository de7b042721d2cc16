import { describe, expect, it } from "vitest";
import { builtInModel, validateModel } from "~/server/maturity/model";
import { draftOf, emptyDimension, evidenceLines, newDimensionKey, toDefinition } from "./draft";

describe("the model draft", () => {
  it("round-trips the built-in model unchanged", () => {
    expect(toDefinition(draftOf(builtInModel))).toEqual(builtInModel);
  });

  it("keeps one evidence example a line and drops blank lines", () => {
    expect(evidenceLines("First\n\n  Second  \r\nThird\n")).toEqual(["First", "Second", "Third"]);
  });

  it("adds a dimension with a free key and a cell per level, which validation then asks to fill in", () => {
    const draft = draftOf(builtInModel);
    const added = emptyDimension(draft);
    expect(added.key).toBe(newDimensionKey(builtInModel.dimensions.map((d) => d.key)));
    expect(added.levels.map((c) => c.level)).toEqual([1, 2, 3, 4, 5]);
    const result = validateModel(toDefinition({ ...draft, dimensions: [...draft.dimensions, added] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(`dimensions[7].levels[0].descriptor`);
  });

  it("skips keys already taken", () => {
    expect(newDimensionKey(["a", "dimension-3"])).toBe("dimension-4");
    expect(newDimensionKey(["dimension-2", "b"])).toBe("dimension-3");
  });
});

import { describe, expect, it } from "vitest";
import { parseRule } from "~/server/segments/rules";
import { defaultCondition, defaultGroup, emptyRule } from "./defaults";
import { conditionTypes } from "./labels";

const segments = [{ id: "5f0c6c1e-3c1a-4d43-9a53-0a9f7d1e2b11" }];

describe("new conditions", () => {
  it.each(conditionTypes)("a new %s condition is a valid rule", (type) => {
    const condition = defaultCondition(type, { segments });
    expect(condition.type).toBe(type);
    expect(parseRule(condition)).toEqual(condition);
  });

  it("a new group and a new segment's rule are valid", () => {
    expect(parseRule(defaultGroup("and"))).toMatchObject({ type: "or" });
    expect(parseRule(emptyRule())).toMatchObject({ type: "and" });
  });

  it("a segment condition without segments is left for the server to refuse", () => {
    expect(() => parseRule(defaultCondition("segment"))).toThrow(/segmentId/);
  });
});

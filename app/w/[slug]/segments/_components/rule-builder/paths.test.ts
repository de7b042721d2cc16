import { describe, expect, it } from "vitest";
import { MAX_RULE_DEPTH, type Rule } from "~/server/segments/rules";
import { segmentTemplates } from "~/server/segments/templates";
import {
  appendChild,
  countConditions,
  fitsDepth,
  getNode,
  issuesFor,
  locateIssues,
  parseIssuePath,
  removeNode,
  setNode,
  subIssues,
  treeDepth,
  unwrapNot,
  wrapInNot,
} from "./paths";

const a: Rule = { type: "eventCount", op: "gte", value: 1 };
const b: Rule = { type: "channelCount", op: "gte", value: 2 };
const c: Rule = { type: "rfmGroup", groups: ["champions"] };
const tree: Rule = { type: "and", rules: [a, { type: "not", rule: { type: "or", rules: [b, c] } }] };

describe("rule tree paths", () => {
  it("finds nodes through groups and NOTs", () => {
    expect(getNode(tree, [])).toBe(tree);
    expect(getNode(tree, [0])).toBe(a);
    expect(getNode(tree, [1, 0, 1])).toBe(c);
    expect(getNode(tree, [5])).toBeUndefined();
  });

  it("replaces a node without touching the original tree or its untouched branches", () => {
    const before = structuredClone(tree);
    const next = setNode(tree, [1, 0, 0], c);
    expect(getNode(next, [1, 0, 0])).toBe(c);
    expect(tree).toEqual(before);
    expect(getNode(next, [0])).toBe(a);
  });

  it("removes a node, and a NOT along with the rule inside it", () => {
    expect(removeNode(tree, [0])).toEqual({ type: "and", rules: [tree.type === "and" && tree.rules[1]] });
    expect(removeNode(tree, [1, 0])).toEqual({ type: "and", rules: [a] });
    expect(removeNode(tree, [1, 0, 0])).toEqual({
      type: "and",
      rules: [a, { type: "not", rule: { type: "or", rules: [c] } }],
    });
    expect(() => removeNode(tree, [])).toThrow();
  });

  it("appends to a group and tells where the child went", () => {
    const { rule, path } = appendChild(tree, [1, 0], a);
    expect(path).toEqual([1, 0, 2]);
    expect(getNode(rule, path)).toBe(a);
    expect(() => appendChild(tree, [0], a)).toThrow();
  });

  it("wraps in NOT and unwraps again", () => {
    const wrapped = wrapInNot(tree, [0]);
    expect(getNode(wrapped, [0])).toEqual({ type: "not", rule: a });
    expect(unwrapNot(wrapped, [0])).toEqual(tree);
  });

  it("counts conditions and levels as rules.ts does", () => {
    expect(countConditions(tree)).toBe(3);
    expect(treeDepth(a)).toBe(1);
    expect(treeDepth(tree)).toBe(4);
    expect(fitsDepth(1, MAX_RULE_DEPTH - 1)).toBe(true);
    expect(fitsDepth(2, MAX_RULE_DEPTH - 1)).toBe(false);
    for (const template of segmentTemplates) expect(countConditions(template.rule)).toBeGreaterThan(0);
  });
});

describe("server issues", () => {
  it("parses the server's paths", () => {
    expect(parseIssuePath("rule.rules[0].times.atLeast")).toEqual(["rules", 0, "times", "atLeast"]);
    expect(parseIssuePath("rule")).toEqual([]);
    expect(parseIssuePath("rule.rules[1].rule.rules[10].properties[2].test.value")).toEqual([
      "rules",
      1,
      "rule",
      "rules",
      10,
      "properties",
      2,
      "test",
      "value",
    ]);
  });

  it("places each issue on the deepest node its path reaches, keeping the rest as the field", () => {
    const located = locateIssues(tree, [
      { path: "rule.rules[0].value", message: "too big" },
      { path: "rule.rules[1].rule.rules[1].groups", message: "pick one" },
      { path: "rule", message: "too deep" },
      { path: "rule.rules[7].value", message: "gone" },
    ]);
    expect(located.get("root.0")).toEqual([{ field: "value", message: "too big" }]);
    expect(located.get("root.1.0.1")).toEqual([{ field: "groups", message: "pick one" }]);
    expect(located.get("root")).toEqual([
      { field: "", message: "too deep" },
      { field: "rules[7].value", message: "gone" },
    ]);
  });

  it("narrows issues to a field and below it", () => {
    const issues = [
      { field: "times.atLeast", message: "x" },
      { field: "timesX", message: "y" },
      { field: "properties[0].test.value", message: "z" },
    ];
    expect(issuesFor(issues, "times").map((i) => i.message)).toEqual(["x"]);
    expect(subIssues(subIssues(issues, "properties"), "[0]")).toEqual([
      { field: "test.value", message: "z" },
    ]);
  });
});

import { MAX_RULE_DEPTH, type Rule } from "~/server/segments/rules";

// A node of the rule tree is addressed by the child indices that lead to it:
// the index in an and/or group's `rules`, or 0 for the rule inside a NOT.
// Every change returns a new tree; the old one is never mutated.

export type NodePath = readonly number[];
export type Group = Extract<Rule, { type: "and" | "or" }>;

export function isGroup(rule: Rule): rule is Group {
  return rule.type === "and" || rule.type === "or";
}

export function children(rule: Rule): readonly Rule[] {
  if (isGroup(rule)) return rule.rules;
  if (rule.type === "not") return [rule.rule];
  return [];
}

/** A stable string for a path, for focus targets and issue lookups. */
export function pathKey(path: NodePath) {
  return path.length === 0 ? "root" : `root.${path.join(".")}`;
}

export function getNode(rule: Rule, path: NodePath): Rule | undefined {
  let node: Rule | undefined = rule;
  for (const index of path) {
    if (!node) return undefined;
    node = children(node)[index];
  }
  return node;
}

function withChild(parent: Rule, index: number, child: Rule): Rule {
  if (isGroup(parent)) {
    if (index < 0 || index >= parent.rules.length) throw new RangeError(`no child ${index}`);
    return { ...parent, rules: parent.rules.map((r, i) => (i === index ? child : r)) };
  }
  if (parent.type === "not" && index === 0) return { ...parent, rule: child };
  throw new RangeError(`a ${parent.type} rule has no child ${index}`);
}

/** The tree with the node at `path` replaced. */
export function setNode(rule: Rule, path: NodePath, node: Rule): Rule {
  if (path.length === 0) return node;
  const [index, ...rest] = path as [number, ...number[]];
  const child = children(rule)[index];
  if (!child) throw new RangeError(`no node at ${pathKey(path)}`);
  return withChild(rule, index, setNode(child, rest, node));
}

export function updateNode(rule: Rule, path: NodePath, update: (node: Rule) => Rule): Rule {
  const node = getNode(rule, path);
  if (!node) throw new RangeError(`no node at ${pathKey(path)}`);
  return setNode(rule, path, update(node));
}

/**
 * The tree without the node at `path`. Removing the rule inside a NOT removes
 * the NOT as well; a group left empty stays, so the editor can show it and the
 * server names the problem. The root cannot be removed.
 */
export function removeNode(rule: Rule, path: NodePath): Rule {
  if (path.length === 0) throw new RangeError("the root rule cannot be removed");
  const parentPath = path.slice(0, -1);
  const index = path[path.length - 1]!;
  const parent = getNode(rule, parentPath);
  if (!parent) throw new RangeError(`no node at ${pathKey(path)}`);
  if (parent.type === "not") return removeNode(rule, parentPath);
  if (!isGroup(parent) || !parent.rules[index]) throw new RangeError(`no node at ${pathKey(path)}`);
  return setNode(rule, parentPath, { ...parent, rules: parent.rules.filter((_, i) => i !== index) });
}

/** Appends a child to the group at `path`; returns the new tree and the child's path. */
export function appendChild(rule: Rule, path: NodePath, child: Rule): { rule: Rule; path: NodePath } {
  const group = getNode(rule, path);
  if (!group || !isGroup(group)) throw new RangeError(`no group at ${pathKey(path)}`);
  return {
    rule: setNode(rule, path, { ...group, rules: [...group.rules, child] }),
    path: [...path, group.rules.length],
  };
}

export function wrapInNot(rule: Rule, path: NodePath): Rule {
  return updateNode(rule, path, (node) => ({ type: "not", rule: node }));
}

/** Replaces the NOT at `path` by the rule inside it. */
export function unwrapNot(rule: Rule, path: NodePath): Rule {
  return updateNode(rule, path, (node) => (node.type === "not" ? node.rule : node));
}

export function countConditions(rule: Rule): number {
  if (isGroup(rule)) return rule.rules.reduce((sum, r) => sum + countConditions(r), 0);
  if (rule.type === "not") return countConditions(rule.rule);
  return 1;
}

/** Levels in the subtree, counted as rules.ts counts them: a lone condition is 1. */
export function treeDepth(rule: Rule): number {
  const kids = children(rule);
  return kids.length === 0 && !isGroup(rule) ? 1 : 1 + Math.max(0, ...kids.map(treeDepth));
}

/** Whether a node whose own level is `level` (root = 1) may hold `levels` more levels below it. */
export function fitsDepth(level: number, levels: number) {
  return level + levels <= MAX_RULE_DEPTH;
}

// --- issues -----------------------------------------------------------------

export interface FieldIssue {
  /** The part of the path below the node, e.g. "times.atLeast"; "" for the node itself. */
  field: string;
  message: string;
}

/** "rule.rules[0].times.atLeast" → ["rules", 0, "times", "atLeast"]; the leading "rule" is dropped. */
export function parseIssuePath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const pattern = /\.?([^.[\]]+)|\[(\d+)\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[2] !== undefined) keys.push(Number(match[2]));
    else if (match[1] !== undefined) keys.push(match[1]);
  }
  if (keys[0] === "rule") keys.shift();
  return keys;
}

function formatField(keys: readonly (string | number)[]) {
  return keys.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

/**
 * Places each server issue on the deepest node its path reaches: the key is the
 * node's pathKey and the field is what is left of the path (e.g. "times.atLeast").
 */
export function locateIssues(rule: Rule, issues: readonly { path: string; message: string }[]) {
  const byNode = new Map<string, FieldIssue[]>();
  for (const issue of issues) {
    const keys = parseIssuePath(issue.path);
    const nodePath: number[] = [];
    let node: Rule | undefined = rule;
    let i = 0;
    while (node && i < keys.length) {
      const next = keys[i + 1];
      if (isGroup(node) && keys[i] === "rules" && typeof next === "number" && node.rules[next]) {
        nodePath.push(next);
        node = node.rules[next];
        i += 2;
      } else if (node.type === "not" && keys[i] === "rule") {
        nodePath.push(0);
        node = node.rule;
        i += 1;
      } else break;
    }
    const key = pathKey(nodePath);
    const list = byNode.get(key) ?? [];
    list.push({ field: formatField(keys.slice(i)), message: issue.message });
    byNode.set(key, list);
  }
  return byNode;
}

/** Issues on `field` or below it (e.g. "times" holds "times.atLeast"). */
export function issuesFor(issues: readonly FieldIssue[], field: string) {
  return issues.filter(
    (issue) =>
      issue.field === field || issue.field.startsWith(`${field}.`) || issue.field.startsWith(`${field}[`),
  );
}

/** The issues below `prefix`, with the prefix taken off their field. */
export function subIssues(issues: readonly FieldIssue[], prefix: string): FieldIssue[] {
  return issuesFor(issues, prefix).map((issue) => ({
    ...issue,
    field: issue.field.slice(prefix.length).replace(/^\./, ""),
  }));
}

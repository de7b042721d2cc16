"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { Button, cx } from "~/app/_components/ui";
import { MAX_RULE_CONDITIONS, MAX_RULE_DEPTH, type Rule } from "~/server/segments/rules";
import { EventNameList } from "../../../_components/event-name-list";
import { EVENT_NAMES_LIST } from "./behaviour-editor";
import { ConditionRow } from "./condition-row";
import { defaultCondition, defaultGroup } from "./defaults";
import {
  appendChild,
  countConditions,
  fitsDepth,
  getNode,
  isGroup,
  locateIssues,
  pathKey,
  removeNode,
  setNode,
  treeDepth,
  unwrapNot,
  wrapInNot,
  type FieldIssue,
  type Group,
  type NodePath,
} from "./paths";

// The segment rule editor: a controlled tree of AND / OR / NOT groups and
// condition rows. Every change goes through onChange as a whole new tree; the
// only local state is where focus should go once that tree comes back.

export interface RuleBuilderProps {
  value: Rule;
  onChange(rule: Rule): void;
  /** Viewers: the same tree as sentences, without controls. */
  readOnly?: boolean;
  /** Segments a "member of another segment" condition may name. */
  segments: { id: string; name: string }[];
  /** The server's validation issues, with paths such as "rule.rules[0].times.atLeast". */
  issues?: { path: string; message: string }[];
}

interface Context {
  root: Rule;
  readOnly: boolean;
  segments: readonly { id: string; name: string }[];
  issues: Map<string, FieldIssue[]>;
  conditions: number;
  /** Applies a new tree; `focus` names the control (data-rb-focus) to focus once it renders. */
  change: (rule: Rule, focus: string | null, announce: string) => void;
}

const conditionLimit = `A segment may have at most ${MAX_RULE_CONDITIONS} conditions`;
const depthLimit = `Rules may nest at most ${MAX_RULE_DEPTH} levels deep`;

/** Where focus goes after the node at `path` is removed: the enclosing group's "Add condition". */
function afterRemoval(root: Rule, path: NodePath) {
  let parent = path.slice(0, -1);
  while (parent.length > 0 && getNode(root, parent)?.type === "not") parent = parent.slice(0, -1);
  return `${pathKey(parent)}:add`;
}

export function RuleBuilder({ value, onChange, readOnly = false, segments, issues }: RuleBuilderProps) {
  const container = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);
  const [announcement, setAnnouncement] = useState("");

  useEffect(() => {
    const target = pendingFocus.current;
    if (!target) return;
    pendingFocus.current = null;
    container.current?.querySelector<HTMLElement>(`[data-rb-focus="${target}"]`)?.focus();
  }, [value]);

  const located = useMemo(() => locateIssues(value, issues ?? []), [value, issues]);
  const conditions = countConditions(value);
  const context: Context = {
    root: value,
    readOnly,
    segments,
    issues: located,
    conditions,
    change: (rule, focus, announce) => {
      pendingFocus.current = focus;
      setAnnouncement(announce);
      onChange(rule);
    },
  };

  const rootIsGroup = isGroup(value);
  const addLimit =
    conditions >= MAX_RULE_CONDITIONS
      ? conditionLimit
      : !fitsDepth(1, treeDepth(value))
        ? depthLimit
        : undefined;

  return (
    <div ref={container} className="space-y-3">
      {!readOnly && <EventNameList id={EVENT_NAMES_LIST} />}
      <Node path={[]} node={value} context={context} />
      {!readOnly && !rootIsGroup && (
        // A single condition (or NOT) at the top: adding a second one puts both in an AND group.
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="secondary"
            className="px-2.5 py-1.5"
            disabled={Boolean(addLimit)}
            onClick={() =>
              context.change(
                { type: "and", rules: [value, defaultCondition("behaviour", { segments })] },
                `${pathKey([1])}:first`,
                "Condition added",
              )
            }
          >
            + Add condition
          </Button>
          {addLimit && <span className="text-xs text-slate-500">{addLimit}</span>}
        </div>
      )}
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

function NodeIssues({ issues }: { issues: readonly FieldIssue[] | undefined }) {
  if (!issues?.length) return null;
  return (
    <ul className="space-y-0.5 text-xs text-red-700">
      {issues.map((issue, i) => (
        <li key={i}>
          {issue.field && <span className="font-mono">{issue.field}: </span>}
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

function Node({ path, node, context }: { path: NodePath; node: Rule; context: Context }) {
  const key = pathKey(path);
  const level = path.length + 1;
  const { root, change } = context;
  const remove =
    path.length > 0 ? () => change(removeNode(root, path), afterRemoval(root, path), "Removed") : undefined;
  const parentIsNot = path.length > 0 && getNode(root, path.slice(0, -1))?.type === "not";
  const wrapReason = fitsDepth(level, treeDepth(node)) ? undefined : depthLimit;
  const wrap = {
    onClick: () => change(wrapInNot(root, path), `${key}:first`, "Wrapped in NOT"),
    disabledReason: wrapReason,
  };

  if (isGroup(node))
    return (
      <GroupNode
        path={path}
        node={node}
        context={context}
        wrap={parentIsNot ? undefined : wrap}
        remove={remove}
      />
    );

  if (node.type === "not") {
    return (
      <div
        role="group"
        aria-label="NOT: none of this is true"
        className="space-y-2 rounded-md border border-dashed border-red-300 bg-red-50/40 p-2 sm:p-3"
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-semibold tracking-wide text-red-800 uppercase">
            Not
          </span>
          {!context.readOnly && (
            <div className="flex flex-wrap gap-1">
              <Button
                variant="ghost"
                className="px-2 py-1 text-xs"
                data-rb-focus={`${key}:first`}
                onClick={() => change(unwrapNot(root, path), `${key}:first`, "NOT removed")}
              >
                Remove NOT
              </Button>
              {remove && (
                <Button variant="ghost" className="px-2 py-1 text-xs text-red-700" onClick={remove}>
                  Remove<span className="sr-only"> the NOT and what it holds</span>
                </Button>
              )}
            </div>
          )}
        </div>
        <NodeIssues issues={context.issues.get(key)} />
        <Node path={[...path, 0]} node={node.rule} context={context} />
      </div>
    );
  }

  return (
    <ConditionRow
      rule={node}
      focusKey={`${key}:first`}
      onChange={(rule) => change(setNode(root, path, rule), null, "")}
      issues={context.issues.get(key) ?? []}
      segments={context.segments}
      readOnly={context.readOnly}
      // A NOT directly inside a NOT only cancels out: offer "Remove NOT" on the outer one instead.
      actions={{ wrap: parentIsNot ? undefined : wrap, remove }}
    />
  );
}

function GroupNode({
  path,
  node,
  context,
  wrap,
  remove,
}: {
  path: NodePath;
  node: Group;
  context: Context;
  wrap?: { onClick: () => void; disabledReason?: string };
  remove?: () => void;
}) {
  const key = pathKey(path);
  const level = path.length + 1;
  const { root, change, readOnly, conditions } = context;
  const full = conditions >= MAX_RULE_CONDITIONS;
  const conditionReason = full ? conditionLimit : fitsDepth(level, 1) ? undefined : depthLimit;
  const groupReason = full ? conditionLimit : fitsDepth(level, 2) ? undefined : depthLimit;
  const word = node.type === "and" ? "and" : "or";
  const title = node.type === "and" ? "All of these are true" : "Any of these is true";
  const add = (child: Rule, what: string) => {
    const next = appendChild(root, path, child);
    change(next.rule, `${pathKey(next.path)}:first`, `${what} added`);
  };
  const setType = (type: "and" | "or") =>
    type !== node.type &&
    change(setNode(root, path, { ...node, type }), null, type === "and" ? "Match all" : "Match any");

  return (
    <div
      role="group"
      aria-label={title}
      className={cx(
        "space-y-2 rounded-lg border p-2 sm:p-3",
        path.length === 0 ? "border-slate-200 bg-slate-50" : "border-brand-100 bg-brand-50/40",
      )}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        {readOnly ? (
          <p className="text-sm font-medium text-slate-700">{title}</p>
        ) : (
          <div role="group" aria-label="Combine conditions" className="flex items-center gap-2">
            <span className="text-sm text-slate-700">Match</span>
            <div className="inline-flex rounded-md border border-slate-300 bg-white p-0.5">
              {(["and", "or"] as const).map((type) => (
                <button
                  key={type}
                  type="button"
                  aria-pressed={node.type === type}
                  data-rb-focus={type === "and" ? `${key}:first` : undefined}
                  onClick={() => setType(type)}
                  className={cx(
                    "rounded px-2.5 py-1 text-sm font-medium",
                    node.type === type ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100",
                  )}
                >
                  {type === "and" ? "all (AND)" : "any (OR)"}
                </button>
              ))}
            </div>
          </div>
        )}
        {!readOnly && (
          <div className="flex flex-wrap gap-1">
            {wrap && (
              <Button
                variant="ghost"
                className="px-2 py-1 text-xs disabled:text-slate-400 disabled:hover:bg-transparent"
                onClick={wrap.onClick}
                disabled={Boolean(wrap.disabledReason)}
                title={wrap.disabledReason}
              >
                Wrap in NOT<span className="sr-only"> (this group)</span>
              </Button>
            )}
            {remove && (
              <Button variant="ghost" className="px-2 py-1 text-xs text-red-700" onClick={remove}>
                Remove group
              </Button>
            )}
          </div>
        )}
      </div>
      <NodeIssues issues={context.issues.get(key)} />
      {node.rules.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white px-3 py-4 text-sm text-slate-600">
          This group is empty: add a condition{remove ? " or remove the group" : ""}.
        </p>
      ) : (
        <ol className="space-y-2">
          {node.rules.map((child, index) => (
            // Index keys: rows are controlled by the tree, and their drafts follow the value they show.
            <li key={index}>
              {index > 0 && (
                <p
                  aria-hidden="true"
                  className="mb-2 pl-3 text-xs font-semibold tracking-wide text-slate-600 uppercase"
                >
                  {word}
                </p>
              )}
              <Node path={[...path, index]} node={child} context={context} />
            </li>
          ))}
        </ol>
      )}
      {!readOnly && (
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <Button
            variant="secondary"
            className="px-2.5 py-1.5"
            data-rb-focus={`${key}:add`}
            disabled={Boolean(conditionReason)}
            aria-describedby={conditionReason ? `${key}-limit` : undefined}
            onClick={() => add(defaultCondition("behaviour", { segments: context.segments }), "Condition")}
          >
            + Add condition
          </Button>
          <Button
            variant="ghost"
            className="px-2.5 py-1.5 disabled:text-slate-400 disabled:hover:bg-transparent"
            disabled={Boolean(groupReason)}
            aria-describedby={groupReason ? `${key}-limit` : undefined}
            onClick={() => add(defaultGroup(node.type, { segments: context.segments }), "Group")}
          >
            + Add group
          </Button>
          {(conditionReason ?? groupReason) && (
            <span id={`${key}-limit`} className="text-xs text-slate-500">
              {conditionReason ?? groupReason}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { segments } from "~/db/schema";
import { RuleError } from "~/server/errors";
import type { SegmentResolver } from "./sql/options";
import type { Rule } from "./rules";

// Segments that refer to other segments. A stored segment's condition on
// another one reads that segment's materialised members (segment_members), so a
// rule never compiles another's rule in place; refreshes run referenced
// segments first (dependencyOrder) and a referenced segment's refresh queues
// its dependents (./job.ts). Cycles are refused when a rule is saved.

/** The ids of the segments a rule refers to, each once. */
export function segmentRefs(rule: Rule): string[] {
  const found = new Set<string>();
  const visit = (node: Rule) => {
    if (node.type === "and" || node.type === "or") node.rules.forEach(visit);
    else if (node.type === "not") visit(node.rule);
    else if (node.type === "segment") found.add(node.segmentId);
  };
  visit(rule);
  return [...found];
}

/** Whether a rule reads the customer-value figures (value or RFM group conditions). */
export function usesValue(rule: Rule): boolean {
  if (rule.type === "and" || rule.type === "or") return rule.rules.some(usesValue);
  if (rule.type === "not") return usesValue(rule.rule);
  return rule.type === "value" || rule.type === "rfmGroup";
}

async function workspaceRules(tx: DbOrTx, workspaceId: string) {
  const rows = await tx
    .select({ id: segments.id, name: segments.name, rule: segments.rule })
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId));
  return new Map(rows.map((row) => [row.id, row]));
}

/** Membership of a stored segment of the workspace; refuses ids that are not one. */
export async function storedSegmentResolver(tx: DbOrTx, workspaceId: string): Promise<SegmentResolver> {
  return resolverOf(await workspaceRules(tx, workspaceId));
}

function resolverOf(known: ReadonlyMap<string, unknown>): SegmentResolver {
  return (segmentId) => {
    if (!known.has(segmentId))
      throw new RuleError(`The segment ${segmentId} referred to does not exist in this workspace.`);
    return sql`exists (select 1 from segment_members sm where sm.workspace_id = c.workspace_id
      and sm.segment_id = ${segmentId}::uuid and sm.customer_id = c.id)`;
  };
}

/**
 * Refuses a rule for `segmentId` (null for a new segment) that refers to
 * segments that do not exist, or that leads back to the segment itself.
 * Returns the resolver of the segments it read, for compiling the rule.
 */
export async function assertReferencesValid(
  tx: DbOrTx,
  input: { workspaceId: string; segmentId: string | null; rule: Rule },
): Promise<SegmentResolver> {
  const known = await workspaceRules(tx, input.workspaceId);
  const name = (id: string) => known.get(id)?.name ?? id;
  for (const id of segmentRefs(input.rule)) {
    if (!known.has(id))
      throw new RuleError(`The segment ${id} referred to does not exist in this workspace.`);
  }
  const resolver = resolverOf(known);
  if (!input.segmentId) return resolver;
  const self = input.segmentId;
  // Depth-first from the rule's references; reaching `self` again is a cycle.
  const path: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): string[] | null => {
    if (id === self) return [...path, id];
    if (seen.has(id)) return null;
    seen.add(id);
    path.push(id);
    const segment = known.get(id);
    for (const next of segment ? segmentRefs(segment.rule) : []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    return null;
  };
  for (const id of segmentRefs(input.rule)) {
    const cycle = visit(id);
    if (cycle) {
      throw new RuleError(`A segment cannot depend on itself: ${[self, ...cycle].map(name).join(" → ")}.`);
    }
  }
  return resolver;
}

/** The segments whose rules refer to this one directly. */
export async function dependentsOf(tx: DbOrTx, workspaceId: string, segmentId: string) {
  const known = await workspaceRules(tx, workspaceId);
  return [...known.values()]
    .filter((row) => segmentRefs(row.rule).includes(segmentId))
    .map((row) => ({ id: row.id, name: row.name }));
}

/** Ids ordered so that every segment comes after those it refers to (ids outside the list are ignored). */
export function dependencyOrder(list: { id: string; rule: Rule }[]): string[] {
  const byId = new Map(list.map((item) => [item.id, item]));
  const ordered: string[] = [];
  const done = new Set<string>();
  const visit = (id: string, stack: Set<string>) => {
    if (done.has(id) || stack.has(id) || !byId.has(id)) return;
    stack.add(id);
    for (const ref of segmentRefs(byId.get(id)!.rule)) visit(ref, stack);
    stack.delete(id);
    done.add(id);
    ordered.push(id);
  };
  for (const item of list) visit(item.id, new Set());
  return ordered;
}

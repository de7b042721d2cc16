import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { RuleError } from "~/server/errors";
import { parseRule, type Rule } from "../rules";
import type { CompileOptions, MatchOptions, SegmentResolver } from "./options";
import { compileRule, standingIds } from "./rule-tree";
import { timestamp } from "./time-windows";

// The queries of the customers a rule picks in a workspace, for the callers
// that run them (../matching.ts, ../membership.ts), and the resolution of one
// segment's condition on another.

/** The WHERE of the customers a rule picks in a workspace (standing profiles only). */
export function matchingCondition(workspaceId: string, rule: unknown, options: MatchOptions = {}) {
  const compile = compileOptions(workspaceId, options);
  return standingCustomers(workspaceId, compileRule(parseRule(rule), compile), compile.asOf);
}

/** Standing profiles; as of a past moment, only those that existed then (seen or created before it). */
function standingCustomers(workspaceId: string, condition: SQL, asOf?: Date) {
  const existed = asOf
    ? sql` and (c.first_seen_at < ${timestamp(asOf)} or c.created_at < ${timestamp(asOf)})`
    : sql``;
  return sql`c.workspace_id = ${sql`${workspaceId}::uuid`} and c.merged_into is null${existed} and (${condition})`;
}

/** As of a moment, windows end at it, and the customer streams (which summarise every event) are not read. */
export function compileOptions(workspaceId: string, options: MatchOptions): CompileOptions {
  if (options.asOf) return { ...options, workspaceId, now: options.asOf, streams: false };
  return { ...options, workspaceId, now: options.now ?? new Date() };
}

/** A query of the ids of the customers a rule picks (each once), from the customer streams alone when it can. */
export function matchingIds(workspaceId: string, rule: unknown, options: MatchOptions = {}) {
  const parsed = parseRule(rule);
  const compile = compileOptions(workspaceId, options);
  return (
    standingIds(parsed, compile) ??
    sql`select c.id from customers c where ${standingCustomers(workspaceId, compileRule(parsed, compile), compile.asOf)}`
  );
}

/**
 * A resolver over known segment definitions: compiles a referenced segment's
 * rule in place, refusing unknown ids and cycles (a → b → a).
 */
export function resolverFromRules(
  definitions: ReadonlyMap<string, Rule>,
  options: Omit<CompileOptions, "resolveSegment">,
): SegmentResolver {
  const stack: string[] = [];
  const resolve: SegmentResolver = (segmentId) => {
    if (stack.includes(segmentId)) {
      throw new RuleError(`Segments refer to each other in a cycle: ${[...stack, segmentId].join(" → ")}.`);
    }
    const rule = definitions.get(segmentId);
    if (!rule) throw new RuleError(`Segment ${segmentId} does not exist.`);
    stack.push(segmentId);
    try {
      return compileRule(rule, { ...options, resolveSegment: resolve });
    } finally {
      stack.pop();
    }
  };
  return resolve;
}

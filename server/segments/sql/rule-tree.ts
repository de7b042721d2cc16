import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { BehaviourCondition, Rule } from "../rules";
import { RuleError } from "~/server/errors";
import { compileBehaviour, compileEventTime, compileSpend } from "./event-conditions";
import { byStream, hashedCondition, streamIds, streamTest } from "./event-streams";
import { passesWithoutEvents } from "./event-filters";
import { int } from "./fragments";
import type { CompileOptions } from "./options";
import { compileProfileCondition } from "./profile-conditions";
import { windowSpan } from "./time-windows";
import { compileValueCondition, isValueTree, valueTreeSet } from "./value-conditions";

// A rule tree → one boolean SQL condition over the row `customers c`. Every
// value and every jsonb key is a bind parameter; the SQL text is made only of
// the fragments of these modules (./). Leaves are coalesced to false, so NOT of a condition
// on a missing value matches.
//
// Two shapes of the same condition:
// - "customers" (default): event and value conditions are EXISTS / correlated
//   aggregates on (events.workspace_id, events.customer_id) = (c.workspace_id, c.id),
//   which events_timeline_idx serves: cheap per customer, for a few customers
//   (`c.id = any($ids) and …`), far too slow for a whole workspace (one index
//   descent and ~10 heap fetches per customer and condition).
// - "workspace": each of them is one uncorrelated `c.id in (select customer_id …
//   group by customer_id having …)` over the workspace's matching events (or
//   values), which PostgreSQL runs once and hashes (a hashed SubPlan; the coalesce
//   around every leaf keeps it from being pulled up into a join whose row
//   estimates, after a HAVING, are guesses). Event scans name every channel when
//   the condition names none, so events_segment_idx (workspace_id, channel, event,
//   timestamp) include (customer_id) is read by ranges, without the heap.
// Both shapes give the same customers (../segments.test.ts runs every rule in both).

export function compileRule(rule: Rule, options: CompileOptions): SQL {
  if (options.shape === "workspace") {
    // A subtree of value conditions is one scan of customer_values, not a set per leaf.
    if (isValueTree(rule)) return sql`coalesce((${valueTreeSet(rule, options)}), false)`;
    if (rule.type === "and") return compileAndOfWorkspace(rule.rules, options);
  }
  switch (rule.type) {
    case "and":
      return compileAndOfCustomers(rule.rules, options);
    case "or": {
      const parts = rule.rules.map((child) => sql`(${compileRule(child, options)})`);
      return sql.join(parts, sql` or `);
    }
    case "not":
      return sql`not (${compileRule(rule.rule, options)})`;
    case "segment": {
      if (!options.resolveSegment) throw new RuleError("Segment conditions cannot be used here.");
      const member = options.resolveSegment(rule.segmentId);
      return rule.member ? sql`coalesce((${member}), false)` : sql`not coalesce((${member}), false)`;
    }
    default:
      return sql`coalesce((${compileCondition(rule, options)}), false)`;
  }
}

function compileCondition(
  rule: Exclude<Rule, { type: "and" | "or" | "not" | "segment" }>,
  options: CompileOptions,
): SQL {
  switch (rule.type) {
    case "trait":
    case "channelShare":
    case "channelCount":
    case "eventCount":
      return compileProfileCondition(rule, options);
    case "behaviour":
      return compileBehaviour(rule, options);
    case "eventTime":
      return compileEventTime(rule, options);
    case "rfmGroup":
    case "value":
      return compileValueCondition(rule, options);
    case "spend":
      return compileSpend(rule, options);
  }
}

// ---------------------------------------------------------------------------
// The whole-workspace shape: one set per scan, not one per condition
// ---------------------------------------------------------------------------
//
// Each set below is one scan and one hash. Conditions that read the same rows
// share a scan: a subtree made only of value conditions reads customer_values
// once ("P(alive) ≤ 50 % and (top 20 % clv or top 20 % past revenue)"), and
// the behaviour conditions of an AND on the same event stream (event, type and
// channel) are counted together, each with its own FILTER ("at most 4
// purchases, one with 30 % off, none with less" reads the purchases once).

function compileAndOfWorkspace(children: readonly Rule[], options: CompileOptions): SQL {
  const { parts, kept } = andOfWorkspace(children, options);
  if (kept) parts.push(sql`coalesce((c.id in (${kept})), false)`);
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` and `,
  );
}

/**
 * An AND in the workspace shape: the tests of the customer row `c` (`parts`)
 * and the ids that the chain of its event streams keeps (`kept`). `standing`:
 * the chain starts from customer_streams, whose rows are all of standing
 * customers (../streams.ts), so `kept` needs no customer row to count.
 */
function andOfWorkspace(children: readonly Rule[], options: CompileOptions) {
  const parts: SQL[] = [];
  const values = children.filter(isValueTree);
  const { streams, others } = byStream(children);
  for (const child of others) {
    if (values.length > 1 && isValueTree(child)) continue;
    parts.push(compileRule(child, options));
  }
  if (values.length > 1) parts.push(compileRule({ type: "and", rules: [...values] }, options));
  // Every customer must be in each positive set, so each set reads only the rows
  // of the customers in the sets before it, narrowest window first: "no order in
  // 30 days" hashes the orders of the few who viewed 3 products and opened an
  // email, not all 435,000. The last set holds the customers in all of them.
  const sets = streams.map((rules) => ({
    rules,
    span: windowSpan(rules, options.now),
    positive: !rules.every(passesWithoutEvents),
  }));
  let within: SQL | undefined;
  let standing = false;
  for (const { rules } of sets.filter((set) => set.positive).sort((a, b) => a.span - b.span)) {
    if (within) {
      within = testWithin(within, [rules], options);
      continue;
    }
    const set = streamIds(rules, options);
    if (set === "everyone") continue;
    within = set.ids;
    standing = set.standing === true;
  }
  const withoutEvents = sets.filter((set) => !set.positive).map((set) => set.rules);
  if (!within) {
    for (const rules of withoutEvents) parts.push(hashedCondition(rules, options));
    return { parts, kept: undefined, standing: false };
  }
  const kept = withoutEvents.length === 0 ? within : testWithin(within, withoutEvents, options);
  return { parts, kept, standing };
}

/**
 * The ids of the customers a rule picks, when the whole rule is a chain of
 * event streams that starts from customer_streams: counting them then reads no
 * customer rows (testing a million customers against the set cost more than
 * finding it). Undefined for any other rule.
 */
export function standingIds(rule: Rule, options: CompileOptions): SQL | undefined {
  if (options.shape !== "workspace" || !options.streams) return undefined;
  const children = rule.type === "and" ? rule.rules : rule.type === "behaviour" ? [rule] : undefined;
  if (!children) return undefined;
  const { parts, kept, standing } = andOfWorkspace(children, options);
  return parts.length === 0 && standing ? kept : undefined;
}

/** Up to this many customers left by the sets before, the next sets are tested per customer. */
const FEW_TO_TEST_ONE_BY_ONE = 10_000;

/**
 * The customers of `within` (the positive sets of an AND so far) that every
 * stream's conditions hold: the next positive set, or the sets that hold
 * without events ("did not buy in 30 days"). Which way is cheaper depends on
 * how many customers are left, known only when the statement runs, so the
 * CTE's count decides. A few are tested one by one through the timeline index.
 * Many read each stream's rows of their customers once and hash them. A hashed
 * SubPlan is built only when first used, so the branch not taken costs nothing.
 * The CTE's rows are named `c` (shadowing the outer customers), so that the
 * per-customer conditions, written for `customers c`, read them.
 */
function testWithin(
  within: SQL,
  streams: readonly (readonly BehaviourCondition[])[],
  options: CompileOptions,
) {
  const perCustomer: CompileOptions = { ...options, shape: "customers" };
  const oneByOne = streams.map((rules) => streamCondition(rules, perCustomer));
  const hashed = streams.map((rules) => hashedCondition(rules, options, sql`select customer_id from p`));
  return sql`with p as materialized (${within})
    select c.id as customer_id from (select p.customer_id as id, ${sql`${options.workspaceId}::uuid`} as workspace_id from p) as c
    where case when (select count(*) from p) <= ${int(options.oneByOneUpTo ?? FEW_TO_TEST_ONE_BY_ONE)}
      then ${sql.join(oneByOne, sql` and `)} else ${sql.join(hashed, sql` and `)} end`;
}

/** One stream's conditions in the per-customer shape: a lone condition as it compiles alone, several in one read. */
function streamCondition(rules: readonly BehaviourCondition[], options: CompileOptions) {
  return rules.length === 1
    ? compileRule(rules[0]!, options)
    : sql`coalesce((${streamTest(rules, options)}), false)`;
}

/** An AND for a few customers: conditions on the same stream share one read of each customer's rows. */
function compileAndOfCustomers(children: readonly Rule[], options: CompileOptions): SQL {
  const { streams, others } = byStream(children);
  const parts = [
    ...others.map((child) => compileRule(child, options)),
    ...streams.map((rules) => streamCondition(rules, options)),
  ];
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` and `,
  );
}

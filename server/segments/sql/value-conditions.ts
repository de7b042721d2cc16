import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { textArray } from "~/db/sql";
import type { Rule, ValueCondition } from "../rules";
import { cmp, num } from "./fragments";
import type { CompileOptions } from "./options";

// Conditions on the fitted value models (customer_values): a measure against a
// bound or the workspace's top / bottom N %, and the RFM group; in the
// workspace shape, a subtree made only of them as one set (./rule-tree.ts).

export type ValueLeaf = Extract<Rule, { type: "value" | "rfmGroup" }>;

/** A value or RFM-group condition of one customer, over `customers c`. */
export function compileValueCondition(rule: ValueLeaf, options: CompileOptions): SQL {
  return sql`exists (select 1 from customer_values cv
        where cv.workspace_id = c.workspace_id and cv.customer_id = c.id and ${valueTest(rule, options)})`;
}

/** A value or RFM-group condition as a test of the row `customer_values cv`. */
function valueTest(rule: ValueLeaf, options: CompileOptions): SQL {
  if (rule.type === "rfmGroup") return sql`cv.rfm_group::text = any(${textArray(rule.groups)})`;
  const column = sql.raw(`cv.${valueColumns[rule.measure]}`);
  if (rule.op === "gte" || rule.op === "lte") return sql`${column} ${cmp(rule.op)} ${num(rule.value)}`;
  const known = options.thresholds?.get(thresholdKey(rule.measure, rule.op, rule.value));
  // A threshold read beforehand (../thresholds.ts) is a parameter; otherwise the subquery finds it.
  const threshold =
    known === undefined
      ? percentThreshold(options.workspaceId, rule.measure, rule.op, rule.value)
      : known === null
        ? sql`null::float8`
        : sql`${known}::float8`;
  return rule.op === "topPercent" ? sql`${column} >= ${threshold}` : sql`${column} <= ${threshold}`;
}

const valueColumns: Record<ValueCondition["measure"], string> = {
  clv: "clv",
  pAlive: "p_alive",
  expectedPurchases90d: "expected_purchases_90d",
  pastRevenue: "past_revenue",
};

type PercentOp = "topPercent" | "bottomPercent";

export function thresholdKey(measure: ValueCondition["measure"], op: PercentOp, percent: number) {
  return `${measure}:${op}:${percent}`;
}

/**
 * The value that starts the top (or ends the bottom) N % of the workspace's
 * customers with a measure, as a scalar subquery. It is
 * percentile_disc(fraction): the value at position max(ceil(fraction × n), 1)
 * of the n values in ascending order (PostgreSQL's own arithmetic), read from
 * the nearer end so that the clv and P(alive) indexes serve it without sorting
 * the workspace. It depends only on the workspace, so PostgreSQL
 * computes it once per statement.
 */
export function percentThreshold(
  workspaceId: string,
  measure: ValueCondition["measure"],
  op: PercentOp,
  percent: number,
): SQL {
  const column = sql.raw(`a.${valueColumns[measure]}`);
  const top = op === "topPercent";
  const fraction = sql`${num(top ? 1 - percent / 100 : percent / 100)}::float8`;
  const values = sql`customer_values a where a.workspace_id = ${sql`${workspaceId}::uuid`} and ${column} is not null`;
  const position = sql`greatest(ceil(${fraction} * count(*)::float8)::bigint, 1)`;
  // Without any value (every customer too new to score) the offset would be -1: no threshold, no member.
  return top
    ? sql`(select ${column} from ${values} order by ${column} desc
        offset (select greatest(count(*) - ${position}, 0) from ${values}) limit 1)`
    : sql`(select ${column} from ${values} order by ${column} asc
        offset (select ${position} - 1 from ${values}) limit 1)`;
}

export function isValueTree(rule: Rule): boolean {
  switch (rule.type) {
    case "value":
    case "rfmGroup":
      return true;
    case "and":
    case "or":
      return rule.rules.every(isValueTree);
    case "not":
      return isValueTree(rule.rule);
    default:
      return false;
  }
}

/** A value subtree as a condition on `customer_values cv`, each leaf false when its figure is missing. */
function valueTreeSql(rule: Rule, options: CompileOptions): SQL {
  switch (rule.type) {
    case "and":
    case "or":
      return sql.join(
        rule.rules.map((child) => sql`(${valueTreeSql(child, options)})`),
        rule.type === "and" ? sql` and ` : sql` or `,
      );
    case "not":
      return sql`not (${valueTreeSql(rule.rule, options)})`;
    default:
      return sql`coalesce((${valueTest(rule as ValueLeaf, options)}), false)`;
  }
}

/** What a value subtree says of a customer without a value row: every leaf false. */
function valueTreeWithoutRow(rule: Rule): boolean {
  switch (rule.type) {
    case "and":
      return rule.rules.every(valueTreeWithoutRow);
    case "or":
      return rule.rules.some(valueTreeWithoutRow);
    case "not":
      return !valueTreeWithoutRow(rule.rule);
    default:
      return false;
  }
}

export function valueTreeSet(rule: Rule, options: CompileOptions) {
  const rows = sql`customer_values cv where cv.workspace_id = ${sql`${options.workspaceId}::uuid`}`;
  const test = valueTreeSql(rule, options);
  // A customer without a value row passes when the tree does with every leaf false.
  return valueTreeWithoutRow(rule)
    ? sql`not (c.id in (select cv.customer_id from ${rows} and not (${test})))`
    : sql`c.id in (select cv.customer_id from ${rows} and ${test})`;
}

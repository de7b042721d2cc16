import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { ValueThresholds } from "./sql/options";
import { percentThreshold, thresholdKey } from "./sql/value-conditions";
import type { Rule, ValueCondition } from "./rules";

// Top / bottom N % of a value figure is a threshold over the whole workspace,
// a scan of its values that a live count would pay on every keystroke (twice
// for "At-risk high value"). customer_values change only when
// a value fit finishes, so each threshold is found once per fit and kept in
// value_thresholds. While a fit is storing its figures the table is half old,
// half new: thresholds are then found per statement and not kept.

type PercentCondition = ValueCondition & { op: "topPercent" | "bottomPercent" };

function percentConditions(rule: Rule, out: PercentCondition[] = []): PercentCondition[] {
  switch (rule.type) {
    case "and":
    case "or":
      for (const child of rule.rules) percentConditions(child, out);
      break;
    case "not":
      percentConditions(rule.rule, out);
      break;
    case "value":
      if (rule.op === "topPercent" || rule.op === "bottomPercent") out.push(rule as PercentCondition);
      break;
  }
  return out;
}

/** The thresholds a rule needs, from the latest fit's store or found now; empty when it needs none. */
export async function loadValueThresholds(
  db: DbOrTx,
  workspaceId: string,
  rule: Rule,
): Promise<ValueThresholds> {
  const conditions = percentConditions(rule);
  if (conditions.length === 0) return new Map();
  const state = await db.execute<{ fit_id: string | null; busy: boolean }>(sql`
    select
      (select id from value_fits where workspace_id = ${workspaceId} and status = 'succeeded' and purpose = 'live'
        order by finished_at desc nulls last limit 1) as fit_id,
      exists (select 1 from value_fits where workspace_id = ${workspaceId} and status in ('queued', 'running')
        and purpose = 'live') as busy`);
  const fitId = state.rows[0]?.fit_id ?? null;
  if (!fitId || state.rows[0]?.busy) return new Map();

  const wanted = new Map(conditions.map((c) => [thresholdKey(c.measure, c.op, c.value), c]));
  const stored = await db.execute<{ key: string; threshold: number | null }>(sql`
    select key, threshold from value_thresholds
    where workspace_id = ${workspaceId} and fit_id = ${fitId} and key = any(${sql.param([...wanted.keys()])}::text[])`);
  const known = new Map<string, number | null>(stored.rows.map((r) => [r.key, r.threshold]));
  for (const [key, condition] of wanted) {
    if (known.has(key)) continue;
    const found = await db.execute<{ threshold: number | null }>(sql`
      select (${percentThreshold(workspaceId, condition.measure, condition.op, condition.value)})::float8 as threshold`);
    const threshold = found.rows[0]?.threshold ?? null;
    // Kept only if no fit started meanwhile: a fit is running before it writes a figure.
    await db.execute(sql`
      insert into value_thresholds (workspace_id, fit_id, key, threshold)
      select ${workspaceId}, ${fitId}, ${key}, ${threshold}
      where not exists (select 1 from value_fits where workspace_id = ${workspaceId} and status in ('queued', 'running')
        and purpose = 'live')
      on conflict do nothing`);
    known.set(key, threshold);
  }
  return known;
}

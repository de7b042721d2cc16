import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { numericOrNull } from "~/db/sql";
import type { Rule } from "../rules";
import { cmp, num, param } from "./fragments";
import { compileEventSummary } from "./event-summaries";
import type { CompileOptions } from "./options";
import { compileTest } from "./value-tests";

// Conditions on the customer row alone: traits and the summary columns that
// ingestion keeps (event count, events per channel).

type ProfileCondition = Extract<Rule, { type: "trait" | "channelShare" | "channelCount" | "eventCount" }>;

export function compileProfileCondition(rule: ProfileCondition, options: CompileOptions): SQL {
  // Traits have no history: as of a past moment they are read as they are now.
  if (rule.type !== "trait" && options.asOf) return compileEventSummary(rule, options);
  switch (rule.type) {
    case "trait": {
      if (rule.field === "name" || rule.field === "email" || rule.field === "phone") {
        return compileTest(rule.test, { text: sql.raw(`c.${rule.field}`) });
      }
      const key = param(rule.field.slice("traits.".length));
      return compileTest(rule.test, { text: sql`(c.traits ->> ${key})`, json: sql`(c.traits -> ${key})` });
    }
    case "channelShare":
      return sql`coalesce(${numericOrNull(sql`c.channel_counts ->> ${sql`${rule.channel}::text`}`)}, 0)::float8 / nullif(c.event_count, 0) ${cmp(rule.op)} ${num(rule.value)}`;
    case "channelCount":
      return sql`(select count(*) from jsonb_each(c.channel_counts) as cc (k, v)
        where case when jsonb_typeof(cc.v) = 'number' then (cc.v)::numeric > 0 else false end) ${cmp(rule.op)} ${num(rule.value)}`;
    case "eventCount":
      return sql`c.event_count ${cmp(rule.op)} ${num(rule.value)}`;
  }
}

// Reconstructing a segment's size history (server/segments/history.ts): each
// template of server/segments/templates.ts evaluated as of every day of its
// range (at most 365 days, from the workspace's first event), in steps of
// --step days a transaction as the job runs them. Prints per rule the days, the
// total time, ms per day (p50 / p95 of the steps' per-day means) and the sizes
// of the first and last day. Nothing is written: each step rolls back.
//
//   node --import tsx bench/segment-history.ts (--database-url URL | --embedded DIR)
//     [--slug northwind-retail] [--only key,key] [--step 7] [--days 365]
//
// The demo app's own database works too (--embedded with its CENTRIC_DATA_DIR's
// database folder, the app stopped), as does the 1 M database of bench/load-demo.ts.

import { eq } from "drizzle-orm";
import * as schema from "~/db/schema";
import { dayOf, historyRange, sizesAsOf, addDays } from "~/server/segments/history";
import type { Rule } from "~/server/segments/rules";
import { segmentTemplates } from "~/server/segments/templates";
import { args, connectLoadedDatabase, fmt, ms, now, runMain, stats } from "./lib";

const a = args();
const SLUG = a.str("slug") ?? "northwind-retail";
const ONLY = a.str("only")?.split(",");
const STEP = a.num("step", 7);
const DAYS = a.num("days", 365);

class RolledBack extends Error {}

async function main() {
  const handle = await connectLoadedDatabase(a);
  const { db } = handle;
  try {
    const [ws] = await db
      .select({ id: schema.workspaces.id })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.slug, SLUG));
    if (!ws) throw new Error(`There is no workspace ${SLUG}.`);
    const customers = await db.$count(schema.customers, eq(schema.customers.workspaceId, ws.id));
    console.log(`workspace ${SLUG}: ${fmt(customers)} customers; steps of ${STEP} days`);
    const definitions = new Map<string, Rule>();
    const until = dayOf(new Date());
    for (const template of segmentTemplates.filter((t) => !ONLY || ONLY.includes(t.key))) {
      const rule = template.rule as Rule;
      const range = await historyRange(db, { workspaceId: ws.id, rule, definitions, until });
      const from = range ? [range.from, addDays(until, -DAYS)].sort().at(-1)! : until;
      if (!range || from >= until) {
        console.log(
          `${template.key}: no days to reconstruct${range?.valueSince ? ` (value fit on ${range.valueSince})` : ""}`,
        );
        continue;
      }
      const perDay: number[] = [];
      const sizes: number[] = [];
      const started = now();
      let days = 0;
      for (let day = from; day < until;) {
        const batch: string[] = [];
        for (; day < until && batch.length < STEP; day = addDays(day, 1)) batch.push(day);
        const t = now();
        await db
          .transaction(async (tx) => {
            const result = await sizesAsOf(tx, { workspaceId: ws.id, rule, definitions, days: batch });
            sizes.push(...result.map((r) => r.size));
            throw new RolledBack();
          })
          .catch((error: unknown) => {
            if (!(error instanceof RolledBack)) throw error;
          });
        perDay.push((now() - t) / batch.length);
        days += batch.length;
      }
      const total = now() - started;
      const s = stats(perDay);
      console.log(
        `${template.key}: ${days} days from ${from}${range.valueSince ? " (value fit)" : ""} in ${(total / 1000).toFixed(1)} s; ` +
          `per day p50 ${ms(s.p50)}, p95 ${ms(s.p95)}; size ${fmt(sizes[0]!)} → ${fmt(sizes.at(-1)!)}`,
      );
    }
  } finally {
    await handle.close();
  }
}

runMain(main);

// Customer search at 1,000,000 customers: by email prefix (short, first.last,
// whole address) and by identifier (userId, anonymousId, loyalty card, phone),
// through listCustomers in-process and through tRPC customer.list over HTTP as
// a signed-in user; p50/p95 per kind, and EXPLAIN (ANALYZE, BUFFERS) of the
// queries listCustomers sends.
//
//   node --import tsx bench/search.ts --database-url URL [--n 100] [--no-http]
//
// Target: p95 under 50 ms.

import { eq } from "drizzle-orm";
import * as schema from "~/db/schema";
import { demoWorkspaces } from "~/server/demo/seed";
import { listCustomers } from "~/server/customers/list";
import { slugify } from "~/server/workspaces/workspaces";
import { signIn, startApp, trpcGet } from "./app";
import { args, fmt, ms, now, stats, runMain, connectLoadedDatabase, capturingDb } from "./lib";

const a = args();
const N = a.num("n", 100);
const HTTP = !a.flag("no-http");

async function main() {
  const handle = await connectLoadedDatabase(a);
  const { url, db, pool } = handle;
  const app = HTTP ? await startApp(url) : undefined;
  try {
    const [ws] = await db
      .select({ id: schema.workspaces.id })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.slug, slugify(demoWorkspaces[0]!.name)));
    const workspaceId = ws!.id;
    const total = Number(
      (await pool.query("select count(*) n from customers where workspace_id = $1", [workspaceId])).rows[0].n,
    );
    console.log(`database: ${fmt(total)} customers`);

    // Search terms from N customers spread over the table (random uuid order).
    const people = (
      await pool.query<{ id: string; email: string | null }>(
        `select id, email from customers where workspace_id = $1 and email is not null order by id limit $2`,
        [workspaceId, N],
      )
    ).rows;
    const ids = async (kind: string) =>
      (
        await pool.query<{ value: string }>(
          `select distinct on (customer_id) value from identities where workspace_id = $1 and kind = $2 and customer_id = any($3::uuid[]) order by customer_id, value`,
          [workspaceId, kind, people.map((p) => p.id)],
        )
      ).rows.map((r) => r.value);
    const emails = people.map((p) => p.email!);
    const terms: Record<string, string[]> = {
      "email prefix, 3 letters (broad)": emails.map((e) => e.slice(0, 3)),
      "email prefix, first.last": emails.map((e) => e.replace(/\d*@.*$/, "")),
      "email prefix, whole local part": emails.map((e) => e.replace(/@.*$/, "")),
      "identifier: userId": await ids("user_id"),
      "identifier: anonymousId": await ids("anonymous_id"),
      "identifier: phone": await ids("phone"),
      "name prefix (first name + space + 2 letters)": (
        await pool.query<{ name: string }>(
          `select name from customers where workspace_id = $1 and id = any($2::uuid[])`,
          [workspaceId, people.map((p) => p.id)],
        )
      ).rows.map((r) => r.name.split(" ")[0] + " " + r.name.split(" ")[1]!.slice(0, 2)),
    };
    // Loyalty cards are anonymousIds too; the store customers among the sample.
    const cards = (
      await pool.query<{ value: string }>(
        `select value from identities where workspace_id = $1 and kind = 'anonymous_id' and value like 'card-%' order by customer_id limit $2`,
        [workspaceId, N],
      )
    ).rows.map((r) => r.value);
    terms["identifier: loyalty card"] = cards;

    const cookie = app ? await signIn(app.base, "admin@centric.demo", "centric-admin-demo") : "";
    if (app)
      for (let i = 0; i < 20; i++)
        await trpcGet(app.base, cookie, "customer.list", { workspaceId, search: emails[i % emails.length] });

    const summary: string[] = [];
    for (const [kind, list] of Object.entries(terms)) {
      const inProcess: number[] = [];
      const overHttp: number[] = [];
      let found = 0;
      let broad = 0;
      for (const search of list) {
        let t = now();
        const result = await listCustomers({ db, workspaceId, search });
        inProcess.push(now() - t);
        if (result.customers.length > 0) found++;
        if (result.broadSearch) broad++;
        if (app) {
          t = now();
          await trpcGet(app.base, cookie, "customer.list", { workspaceId, search });
          overHttp.push(now() - t);
        }
      }
      const s = stats(inProcess);
      const h = stats(overHttp);
      const line =
        `${kind} (${list.length} searches, ${found} found, ${broad} broad): listCustomers p50 ${ms(s.p50)} p95 ${ms(s.p95)}` +
        (app ? `; tRPC customer.list over HTTP p50 ${ms(h.p50)} p95 ${ms(h.p95)}` : "") +
        `; target p95 < 50 ms: ${Math.max(s.p95, app ? h.p95 : 0) < 50 ? "MET" : "MISSED"}`;
      summary.push(line);
      console.log(line);
    }

    // The plans of the queries listCustomers sends.
    const { db: cap, captured } = capturingDb(pool);
    for (const [label, search] of [
      ["email prefix first.last", terms["email prefix, first.last"]![0]!],
      ["identifier (userId)", terms["identifier: userId"]![0]!],
    ] as const) {
      captured.length = 0;
      await listCustomers({ db: cap, workspaceId, search });
      for (const [i, q] of captured.entries()) {
        const plan = await pool.query(`explain (analyze, buffers) ${q.sql}`, q.params);
        console.log(
          `\nEXPLAIN (ANALYZE, BUFFERS) search "${search}" (${label}), query ${i + 1} of ${captured.length}:\n${q.sql}\n` +
            plan.rows.map((r) => r["QUERY PLAN"]).join("\n"),
        );
      }
    }
  } finally {
    await app?.stop();
    await handle.close();
  }
}

runMain(main);

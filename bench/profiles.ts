// The profile API (GET /v1/profiles/{id}) over HTTP with a read key, as a web
// page or a site's server calls it: p50/p95 over a sample of customers found by
// userId and by anonymousId (and unknown ids, which answer 404), interleaved
// with a no-op route (GET /api/health: Next.js, no auth, no database) as the
// same-run baseline, and the profile's statement in-process (no HTTP); then
// EXPLAIN (ANALYZE, BUFFERS) of that statement.
//
//   node --import tsx bench/profiles.ts --database-url URL | --embedded DIR [--customers 200] [--rounds 2]
//
// Any database the app can run on: the 1M one bench/load-demo.ts loads, or a
// demo database (`npm start`'s embedded server in CENTRIC_DATA_DIR/postgres).
// The app runs without the per-key rate limit (CENTRIC_PROFILE_RATE=0).
// Target (docs/benchmarks.md#profile-api): p95 under 20 ms.

import { and, eq } from "drizzle-orm";
import * as schema from "~/db/schema";
import { demoWorkspaces } from "~/server/demo/seed";
import { findProfile } from "~/server/profiles/profile";
import { createReadKey } from "~/server/profiles/read-keys";
import { slugify } from "~/server/workspaces/workspaces";
import { startApp } from "./app";
import { recordFigure } from "./figures";
import { args, capturingDb, connectLoadedDatabase, fmt, ms, now, runMain, stats } from "./lib";

const a = args();
const N = a.num("customers", 200);
const ROUNDS = a.num("rounds", 2);

interface Target {
  kind: "user_id" | "anonymous_id";
  value: string;
}

const pathOf = (t: Target) =>
  `/v1/profiles/${encodeURIComponent(t.value)}${t.kind === "anonymous_id" ? "?type=anonymous" : ""}`;

async function main() {
  const handle = await connectLoadedDatabase(a);
  const { url, db, pool } = handle;
  process.env.CENTRIC_PROFILE_RATE = "0";
  const app = await startApp(url);
  const [ws] = await db
    .select({ id: schema.workspaces.id })
    .from(schema.workspaces)
    .where(eq(schema.workspaces.slug, slugify(demoWorkspaces[0]!.name)));
  const workspaceId = ws!.id;
  const readKey = await createReadKey(db, { workspaceId, name: "bench/profiles.ts", createdBy: null });
  try {
    const size = (
      await pool.query(
        `select (select count(*) from customers where workspace_id = $1) c,
          (select count(*) from segment_members where workspace_id = $1) m,
          (select count(*) from journey_enrollments where workspace_id = $1 and state = 'active') j,
          (select count(*) from customer_values where workspace_id = $1) v`,
        [workspaceId],
      )
    ).rows[0];
    console.log(
      `database: ${fmt(Number(size.c))} customers, ${fmt(Number(size.m))} segment memberships, ` +
        `${fmt(Number(size.j))} active journey enrolments, ${fmt(Number(size.v))} valued customers`,
    );

    // Half by userId, the rest by anonymousId, spread over the key space (random uuid order of customers).
    const pick = async (kind: Target["kind"], n: number) =>
      (
        await pool.query<{ value: string }>(
          `select i.value from identities i where i.workspace_id = $1 and i.kind = $2 order by i.customer_id limit ${n}`,
          [workspaceId, kind],
        )
      ).rows.map((r): Target => ({ kind, value: r.value }));
    const users = await pick("user_id", Math.round(N / 2));
    const anonymous = await pick("anonymous_id", N - users.length);
    const sample = [...users, ...anonymous];
    const unknown: Target[] = Array.from({ length: 20 }, (_, i) => ({
      kind: "user_id",
      value: `bench-nobody-${i}`,
    }));
    console.log(
      `sample: ${users.length} by userId, ${anonymous.length} by anonymousId, ${unknown.length} unknown`,
    );

    const get = async (path: string) => {
      const response = await fetch(`${app.base}${path}`, {
        headers: { authorization: `Bearer ${readKey.key}` },
      });
      await response.arrayBuffer();
      return response.status;
    };
    // Warm-up: route compilation, pool connections, the journeys' designs.
    for (const t of sample.slice(0, 40)) await get(pathOf(t));
    const first = await fetch(`${app.base}${pathOf(sample[0]!)}`, {
      headers: { authorization: `Bearer ${readKey.key}` },
    });
    console.log(`a profile (${first.status}): ${(await first.text()).slice(0, 600)}\n`);

    const all = {
      profile: [] as number[],
      notFound: [] as number[],
      health: [] as number[],
      sql: [] as number[],
    };
    for (let round = 1; round <= ROUNDS; round++) {
      const profile: number[] = [];
      const health: number[] = [];
      const direct: number[] = [];
      const notFound: number[] = [];
      let statuses = new Map<number, number>();
      for (const [i, t] of sample.entries()) {
        let t0 = now();
        await (await fetch(`${app.base}/api/health`)).arrayBuffer();
        health.push(now() - t0);

        t0 = now();
        const status = await get(pathOf(t));
        profile.push(now() - t0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);

        t0 = now();
        await findProfile(db, { workspaceId, kind: t.kind, value: t.value });
        direct.push(now() - t0);

        if (i % 10 === 0) {
          t0 = now();
          await get(pathOf(unknown[(i / 10) % unknown.length]!));
          notFound.push(now() - t0);
        }
      }
      all.profile.push(...profile);
      all.health.push(...health);
      all.sql.push(...direct);
      all.notFound.push(...notFound);
      const p = stats(profile);
      const h = stats(health);
      const d = stats(direct);
      const nf = stats(notFound);
      console.log(
        [
          `round ${round}${round === 1 ? " (first read of each profile)" : " (repeat)"}: statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(", ")}`,
          `  GET /v1/profiles/{id}:           p50 ${ms(p.p50)} p95 ${ms(p.p95)} p99 ${ms(p.p99)} (n=${p.n})`,
          `  unknown id (404):                p50 ${ms(nf.p50)} p95 ${ms(nf.p95)} (n=${nf.n})`,
          `  GET /api/health (no-op route):   p50 ${ms(h.p50)} p95 ${ms(h.p95)}`,
          `  findProfile in-process (no HTTP): p50 ${ms(d.p50)} p95 ${ms(d.p95)}`,
          `  p95 − no-op p95 = ${ms(p.p95 - h.p95)}`,
        ].join("\n"),
      );
      statuses = new Map();
    }

    recordFigure({
      key: "profiles.http.p95",
      label: "profile API GET /v1/profiles/{id} with a read key, p95",
      value: stats(all.profile).p95,
      unit: "ms",
      target: { op: "<", value: 20 },
      baseline: { label: "GET /api/health p95", value: stats(all.health).p95, unit: "ms" },
    });

    // The plan of the profile's statement, for the first customer of the sample with the most segments.
    const cap = capturingDb(pool);
    const [busiest] = (
      await pool.query<{ value: string }>(
        `select i.value from identities i join segment_members m on m.workspace_id = i.workspace_id and m.customer_id = i.customer_id
         where i.workspace_id = $1 and i.kind = 'user_id' group by i.value order by count(*) desc, i.value limit 1`,
        [workspaceId],
      )
    ).rows;
    await findProfile(cap.db, { workspaceId, kind: "user_id", value: busiest?.value ?? users[0]!.value });
    const statement = cap.captured.find((q) => q.sql.includes("from identities i"))!;
    const plan = await pool.query(`explain (analyze, buffers) ${statement.sql}`, statement.params);
    console.log(
      `\nEXPLAIN (ANALYZE, BUFFERS) of the profile statement:\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`,
    );
  } finally {
    await db
      .delete(schema.profileReadKeys)
      .where(
        and(eq(schema.profileReadKeys.workspaceId, workspaceId), eq(schema.profileReadKeys.id, readKey.id)),
      );
    await app.stop();
    await handle.close();
  }
}

runMain(main);

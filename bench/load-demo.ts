// Loads N demo customers (default 1,000,000, ≈11 events each) into a
// PostgreSQL database for the benchmarks, fast: rows are made in TypeScript
// with identity resolution computed directly (bench/demo-rows.ts) and
// streamed with COPY into customers, identities and events; the secondary
// indexes are dropped before and recreated after the load (the same
// definitions, read from pg_indexes), then ANALYZE.
//
//   node --import tsx bench/load-demo.ts [--database-url URL] [--customers N] [--keep]
//
// Without --database-url it starts a throw-away PostgreSQL 15 server (durable
// settings); --keep leaves that server running and prints its URL for the
// other benchmarks. The database is migrated and seeded with the demo users and
// workspaces (server/demo/seed.ts); the customers go into Northwind Retail, with the
// seed's own generator seed and clock, and an audit entry so that `npm start`
// does not load its few thousand on top. The workspace must have no customers yet.

import { once } from "node:events";
import { eq } from "drizzle-orm";
import { from as copyFrom } from "pg-copy-streams";
import { connect } from "~/db";
import { migrateDatabase } from "~/db/migrate";
import { auditEvents, customers, workspaces } from "~/db/schema";
import { demoWorkspaces, seedDemo } from "~/server/demo/seed";
import { generateDemoCustomers, generateDemoMessages } from "~/server/demo/generate";
import { slugify } from "~/server/workspaces/workspaces";
import {
  CUSTOMER_COLUMNS,
  checkAgainstIngest,
  customerRows,
  EVENT_COLUMNS,
  IDENTITY_COLUMNS,
} from "./demo-rows";
import { args, fmt, machine, now, serverFrom, runMain } from "./lib";

const a = args();
const total = a.num("customers", 1_000_000);
const keep = a.flag("keep");
const keepIndexes = a.flag("keep-indexes");

/** Secondary indexes of the loaded tables (not the primary keys), to drop and recreate. */
const TABLES = ["customers", "identities", "events"];
/** server/demo/seed.ts's generator seed (not exported there): the same customers as `npm start` seeds. */
const DEMO_SEED = 20_240_601;
const demoDataWorkspace = demoWorkspaces[0]!;

async function main() {
  console.log(`machine: ${machine()}`);
  const server = await serverFrom(a);
  console.log(`database: ${server.url}${server.throwaway ? " (throw-away PostgreSQL 15, durable)" : ""}`);
  const handle = connect(server.url, { max: 4 });
  const { db, pool } = handle;
  try {
    await migrateDatabase(db);
    await seedDemo(db, { customers: 0 });
    const [workspace] = await db
      .select({ id: workspaces.id, createdAt: workspaces.createdAt })
      .from(workspaces)
      .where(eq(workspaces.slug, slugify(demoDataWorkspace.name)));
    if (!workspace) throw new Error("The demo workspace is missing after seeding.");
    const [existing] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.workspaceId, workspace.id))
      .limit(1);
    if (existing) throw new Error("The demo workspace has customers already: load into a fresh database.");

    // The demo generator's rows agree with the real ingestion rules.
    const checked = checkAgainstIngest(
      generateDemoMessages({ customers: 200, seed: DEMO_SEED, now: workspace.createdAt }),
    );
    console.log(
      `checked ${checked} messages against server/ingest normalisation: same channel, amount, name, time`,
    );

    const version = await pool.query(
      "select version(), current_setting('shared_buffers') sb, current_setting('max_wal_size') wal",
    );
    console.log(
      `server: ${version.rows[0].version.split(",")[0]}; shared_buffers ${version.rows[0].sb}, max_wal_size ${version.rows[0].wal}`,
    );

    // Drop the secondary indexes; keep their definitions to recreate them.
    const indexes = (
      await pool.query<{ indexname: string; indexdef: string; tablename: string }>(
        `select i.indexname, i.indexdef, i.tablename from pg_indexes i
         where i.schemaname = 'public' and i.tablename = any($1)
           and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
         order by i.tablename, i.indexname`,
        [TABLES],
      )
    ).rows;
    if (!keepIndexes) {
      for (const index of indexes) await pool.query(`drop index "${index.indexname}"`);
      console.log(
        `dropped ${indexes.length} secondary indexes: ${indexes.map((i) => i.indexname).join(", ")}`,
      );
    }

    const firstId = Number((await pool.query("select nextval('events_id_seq') as v")).rows[0].v);
    let nextId = firstId;
    const nextEventId = () => nextId++;
    const receivedAt = workspace.createdAt.toISOString();

    // Three COPY streams on three connections, written as the generator goes.
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    const streams = [
      clients[0]!.query(copyFrom(`copy customers (${CUSTOMER_COLUMNS}) from stdin`)),
      clients[1]!.query(copyFrom(`copy identities (${IDENTITY_COLUMNS}) from stdin`)),
      clients[2]!.query(copyFrom(`copy events (${EVENT_COLUMNS}) from stdin`)),
    ];
    const buffers: string[][] = [[], [], []];
    const sizes = [0, 0, 0];
    const FLUSH = 1 << 20;
    const flush = async (i: number) => {
      if (buffers[i]!.length === 0) return;
      const ok = streams[i]!.write(buffers[i]!.join(""));
      buffers[i] = [];
      sizes[i] = 0;
      if (!ok) await once(streams[i]!, "drain");
    };
    const push = async (i: number, line: string) => {
      buffers[i]!.push(line, "\n");
      sizes[i]! += line.length + 1;
      if (sizes[i]! >= FLUSH) await flush(i);
    };

    const t0 = now();
    let lastReport = t0;
    let loadedCustomers = 0;
    let loadedIdentities = 0;
    let loadedEvents = 0;
    let purchases = 0;
    for (const { customer, messages } of generateDemoCustomers({
      customers: total,
      seed: DEMO_SEED,
      now: workspace.createdAt,
    })) {
      const rows = customerRows(workspace.id, customer, messages, nextEventId, receivedAt);
      if (!rows) continue;
      await push(0, rows.customer);
      for (const line of rows.identities) await push(1, line);
      for (const line of rows.events) await push(2, line);
      loadedCustomers++;
      loadedIdentities += rows.identities.length;
      loadedEvents += rows.eventCount;
      purchases += messages.filter((m) => m.type === "track" && m.event === "Order Completed").length;
      if (now() - lastReport > 15_000) {
        lastReport = now();
        const s = (lastReport - t0) / 1000;
        console.log(
          `  … ${fmt(loadedCustomers)} customers, ${fmt(loadedEvents)} events in ${s.toFixed(0)} s (${fmt(loadedEvents / s)} events/s)`,
        );
      }
    }
    for (let i = 0; i < 3; i++) {
      await flush(i);
      streams[i]!.end();
    }
    await Promise.all(streams.map((s) => once(s, "finish")));
    clients.forEach((c) => c.release());
    const tCopy = (now() - t0) / 1000;
    const rowsTotal = loadedCustomers + loadedIdentities + loadedEvents;
    console.log(
      `COPY: ${fmt(loadedCustomers)} customers, ${fmt(loadedIdentities)} identities, ${fmt(loadedEvents)} events ` +
        `(${fmt(purchases)} orders) in ${tCopy.toFixed(1)} s: ${fmt(loadedEvents / tCopy)} events/s, ${fmt(rowsTotal / tCopy)} rows/s (generation included)`,
    );

    await pool.query("select setval('events_id_seq', $1)", [nextId - 1]);

    const t1 = now();
    if (!keepIndexes) {
      // Two at a time: the machine has two cores; each build may use parallel workers too.
      const queue = [...indexes].sort(
        (x, y) => (x.tablename === "events" ? -1 : 1) - (y.tablename === "events" ? -1 : 1),
      );
      const worker = async () => {
        const client = await pool.connect();
        try {
          await client.query("set maintenance_work_mem = '1GB'");
          for (let index = queue.shift(); index; index = queue.shift()) {
            const ti = now();
            await client.query(index.indexdef);
            console.log(`  index ${index.indexname}: ${((now() - ti) / 1000).toFixed(1)} s`);
          }
        } finally {
          client.release();
        }
      };
      await Promise.all([worker(), worker()]);
    }
    const tIndex = (now() - t1) / 1000;
    const t2 = now();
    // VACUUM too: it sets the visibility map (index-only scans), as autovacuum would do soon after the load anyway.
    await pool.query("vacuum (analyze) customers, identities, events");
    const tAnalyze = (now() - t2) / 1000;

    await db.insert(auditEvents).values({
      workspaceId: workspace.id,
      actorUserId: null,
      action: "seed.demo",
      summary: `loaded ${total.toLocaleString("en")} generated demo customers with their histories (bench/load-demo.ts)`,
      details: { demoCustomers: total, events: loadedEvents },
    });

    const sizesRow = (
      await pool.query(
        `select pg_size_pretty(pg_total_relation_size('events')) events, pg_size_pretty(pg_total_relation_size('customers')) customers,
                pg_size_pretty(pg_total_relation_size('identities')) identities, pg_size_pretty(pg_database_size(current_database())) db`,
      )
    ).rows[0];
    const totalS = (now() - t0) / 1000;
    console.log(`indexes rebuilt in ${tIndex.toFixed(1)} s; VACUUM ANALYZE ${tAnalyze.toFixed(1)} s`);
    console.log(
      `TOTAL ${totalS.toFixed(1)} s for ${fmt(loadedEvents)} events: ${fmt(loadedEvents / totalS)} events/s end to end; ` +
        `sizes: events ${sizesRow.events}, customers ${sizesRow.customers}, identities ${sizesRow.identities}, database ${sizesRow.db}`,
    );
    if (total < 1_000_000) {
      const factor = 1_000_000 / total;
      console.log(
        `extrapolated to 1,000,000 customers (linear): ≈ ${((totalS * factor) / 60).toFixed(1)} min`,
      );
    }
    // Sanity: summary columns agree with the events for a few customers.
    const check = await pool.query(
      `
      with sample as (select id, event_count, purchase_count, total_spend, first_seen_at, last_seen_at, channel_counts
                      from customers where workspace_id = $1 order by id limit 200)
      select count(*) filter (where s.event_count <> a.n or s.purchase_count <> a.p or s.total_spend <> a.spend
                                or s.first_seen_at <> a.f or s.last_seen_at <> a.l or s.channel_counts <> a.ch) as bad, count(*) as n
      from sample s cross join lateral (
        select sum(n)::int n, sum(p)::int p, sum(spend) spend, min(f) f, max(l) l, jsonb_object_agg(channel, n) ch from (
          select channel, count(*) n, count(*) filter (where type = 'track' and amount is not null) p,
                 coalesce(sum(amount) filter (where type = 'track'), 0) spend, min(timestamp) f, max(timestamp) l
          from events e where e.workspace_id = $1 and e.customer_id = s.id group by channel) x) a`,
      [workspace.id],
    );
    console.log(
      `summary check on ${check.rows[0].n} customers: ${check.rows[0].bad} differ from their events`,
    );
    if (keep && server.throwaway) {
      console.log(
        `\nKEPT RUNNING: DATABASE_URL=${server.url}\n(data in ${(server as { dir?: string }).dir}; stop it with pg_ctl stop -D <dir>/data)`,
      );
    }
  } finally {
    await handle.close();
    if (!keep) await server.stop();
  }
  if (keep && server.throwaway) {
    // Leave the server running: drop the exit hook that would stop it.
    process.removeAllListeners("exit");
  }
}

runMain(main);

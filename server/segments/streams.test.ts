import { and, eq, isNull, sql, TransactionRollbackError } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { DbOrTx } from "~/db";
import { customers, customerStreamCursors, jobs } from "~/db/schema";
import { IMPORT_JOB_KIND } from "~/server/imports/job-kind";
import { mergeProfiles, undoMerge } from "~/server/identity/merge";
import { ingestMessages } from "~/server/ingest/ingest";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { segmentLoopTurn } from "./live";
import { buildStreams, seasonBits, streamsBuilt, streamsCursor, syncStreams } from "./streams";

/** A workspace's stream rows as comparable text, in a fixed order. */
async function streamRows(db: DbOrTx, workspaceId: string) {
  const result = await db.execute<Record<string, unknown>>(sql`
    select customer_id::text, event, channel::text, n, first_at, last_at, times::text, min_discount::text,
      max_discount::text, month_days::text
    from customer_streams where workspace_id = ${workspaceId}::uuid
    order by customer_id, event, channel`);
  return result.rows.map((row) => JSON.stringify(row));
}

/** What a build from scratch gives, with the rows there now put back afterwards. */
async function rebuilt(db: DbOrTx, workspaceId: string) {
  let rows: string[] = [];
  await db
    .transaction(async (tx) => {
      await buildStreams(tx, { workspaceId, settleMs: 0 });
      rows = await streamRows(tx, workspaceId);
      tx.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return rows;
}

describeEachDatabase("customer streams", (getDb) => {
  let workspaceId: string;
  let adminId: string;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    const f = await makeWorkspace(getDb());
    workspaceId = f.workspace.id;
    adminId = f.admin.id;
  });

  const ingest = (messages: unknown[]) => ingestMessages(getDb(), { workspaceId, messages, source: "api" });
  const order = (id: string, userId: string, timestamp: string, discount?: number, channel = "web") => ({
    type: "track",
    userId,
    event: "Order Completed",
    properties: { revenue: 20, ...(discount === undefined ? {} : { discount }) },
    context: { channel },
    messageId: id,
    timestamp,
  });

  it("summarises each customer's events per event and channel, per event and per channel", async () => {
    await ingest([
      order("o1", "u1", "2025-11-25T10:00:00Z", 0.3),
      order("o2", "u1", "2025-01-03T10:00:00Z", 0.1, "store"),
      order("o3", "u1", "2024-02-29T10:00:00Z"),
      { type: "page", userId: "u1", name: "Home", messageId: "p1", timestamp: "2025-06-01T10:00:00Z" },
      {
        type: "identify",
        userId: "u1",
        traits: { email: "u1@example.test" },
        messageId: "i1",
        timestamp: "2025-06-02T10:00:00Z",
      },
    ]);
    expect(await streamsBuilt(getDb(), workspaceId)).toBe(false);
    await syncStreams(getDb(), { workspaceId, settleMs: 0 });
    expect(await streamsBuilt(getDb(), workspaceId)).toBe(true);

    const rows = await getDb().execute<{
      event: string;
      channel: string;
      n: number;
      times: string;
      min_discount: string | null;
      max_discount: string | null;
      days: string;
    }>(sql`
      select event, channel::text, n, times::text, min_discount::text, max_discount::text,
        (select string_agg(i::text, ',' order by i) from generate_series(0, 371) i where substring(month_days from i + 1 for 1) = B'1') as days
      from customer_streams where workspace_id = ${workspaceId}::uuid order by event, channel`);
    const byKey = new Map(rows.rows.map((row) => [`${row.event || "*"}/${row.channel || "*"}`, row]));
    // An identify has no event name: it counts only in its channel's stream.
    expect([...byKey.keys()].sort()).toEqual([
      "*/other",
      "*/store",
      "*/web",
      "Home/*",
      "Home/web",
      "Order Completed/*",
      "Order Completed/store",
      "Order Completed/web",
    ]);
    const orders = byKey.get("Order Completed/*")!;
    expect(orders.n).toBe(3);
    expect(orders.times.match(/\d{4}-\d{2}-\d{2}/g)).toEqual(["2024-02-29", "2025-01-03", "2025-11-25"]);
    expect([orders.min_discount, orders.max_discount].map(Number)).toEqual([0.1, 0.3]);
    // 29 Feb, 3 Jan and 25 Nov are the same bits in every year: (month - 1) * 31 + day - 1.
    expect(orders.days).toBe([2, 1 * 31 + 28, 10 * 31 + 24].sort((a, b) => a - b).join(","));
    expect(byKey.get("*/web")!.n).toBe(3);
    expect(byKey.get("*/other")!.n).toBe(1);
    expect(byKey.get("Order Completed/web")!.n).toBe(2);
  });

  it("takes a step's customers a group at a time, moving the cursor with the last group", async () => {
    await ingest([order("o1", "u1", "2026-01-05T10:00:00Z")]);
    await buildStreams(getDb(), { workspaceId, settleMs: 0 });
    await ingest(
      Array.from({ length: 7 }, (_, i) =>
        order(`n${i}`, `u${i % 5}`, `2026-01-0${1 + (i % 9)}T10:00:00Z`, i / 10),
      ),
    );
    expect(await syncStreams(getDb(), { workspaceId, settleMs: 0, customersPerTransaction: 2 })).toEqual({
      events: 7,
      built: false,
    });
    expect(await streamRows(getDb(), workspaceId)).toEqual(await rebuilt(getDb(), workspaceId));
    expect(await syncStreams(getDb(), { workspaceId, settleMs: 0 })).toEqual({ events: 0, built: false });
  });

  it("leaves a tracking-API merge's survivor to the loop, dropping the merged profile's rows at once", async () => {
    await ingest([
      { ...order("o1", "u1", "2026-01-05T10:00:00Z"), userId: undefined, anonymousId: "anon-1" },
      order("o2", "u1", "2026-01-06T10:00:00Z"),
    ]);
    await buildStreams(getDb(), { workspaceId, settleMs: 0 });
    const standing = async () =>
      (
        await getDb()
          .select({ id: customers.id })
          .from(customers)
          .where(and(eq(customers.workspaceId, workspaceId), isNull(customers.mergedInto)))
      ).map((c) => c.id);
    const streamCustomers = async () =>
      (
        await getDb().execute<{ id: string }>(
          sql`select distinct customer_id::text as id from customer_streams where workspace_id = ${workspaceId}::uuid`,
        )
      ).rows.map((r) => r.id);
    expect(await streamCustomers()).toHaveLength(2);

    await ingest([
      {
        type: "identify",
        userId: "u1",
        anonymousId: "anon-1",
        messageId: "i1",
        timestamp: "2026-01-07T10:00:00Z",
      },
    ]);
    const [survivor] = await standing();
    // The merged profile counts no more; the survivor waits for the loop, marked.
    expect(await streamCustomers()).toEqual([survivor]);
    const stale = await getDb().execute<{ id: string }>(
      sql`select customer_id::text as id from customer_streams_stale where workspace_id = ${workspaceId}::uuid`,
    );
    expect(stale.rows.map((r) => r.id)).toContain(survivor);
    expect(await streamRows(getDb(), workspaceId)).not.toEqual(await rebuilt(getDb(), workspaceId));

    await syncStreams(getDb(), { workspaceId, settleMs: 0 });
    expect(await streamRows(getDb(), workspaceId)).toEqual(await rebuilt(getDb(), workspaceId));
    const left = await getDb().execute(
      sql`select 1 from customer_streams_stale where workspace_id = ${workspaceId}::uuid`,
    );
    expect(left.rows).toHaveLength(0);
  });

  it("waits while an import runs in the workspace, then takes what it added", async () => {
    await ingest([order("o1", "u1", "2026-01-05T10:00:00Z")]);
    await buildStreams(getDb(), { workspaceId, settleMs: 0 });
    const before = await streamsCursor(getDb(), workspaceId);
    const [job] = await getDb()
      .insert(jobs)
      .values({ workspaceId, kind: IMPORT_JOB_KIND, status: "running" })
      .returning({ id: jobs.id });
    await ingest([order("o2", "u2", "2026-01-06T10:00:00Z")]);
    expect(await segmentLoopTurn(getDb(), { settleMs: 0 })).toMatchObject({ deferred: 1 });
    expect(await streamsCursor(getDb(), workspaceId)).toBe(before);

    await getDb().update(jobs).set({ status: "succeeded" }).where(eq(jobs.id, job!.id));
    expect(await segmentLoopTurn(getDb(), { settleMs: 0 })).toMatchObject({ deferred: 0 });
    expect(await streamsCursor(getDb(), workspaceId)).toBeGreaterThan(before!);
    expect(await streamRows(getDb(), workspaceId)).toEqual(await rebuilt(getDb(), workspaceId));
  });

  it("takes new events after its cursor, once they have settled", async () => {
    await ingest([order("o1", "u1", "2026-01-05T10:00:00Z")]);
    await buildStreams(getDb(), { workspaceId, settleMs: 0 });
    const built = await streamsCursor(getDb(), workspaceId);

    await ingest([order("o2", "u1", "2026-01-06T10:00:00Z", 0.5), order("o3", "u2", "2026-01-07T10:00:00Z")]);
    // Just received: they wait, and the cursor stays.
    expect(await syncStreams(getDb(), { workspaceId, settleMs: 60_000 })).toEqual({
      events: 0,
      built: false,
    });
    expect(await streamsCursor(getDb(), workspaceId)).toBe(built);

    expect(await syncStreams(getDb(), { workspaceId, settleMs: 0 })).toEqual({ events: 2, built: false });
    expect(await streamsCursor(getDb(), workspaceId)).toBeGreaterThan(built!);
    expect(await streamRows(getDb(), workspaceId)).toEqual(await rebuilt(getDb(), workspaceId));
    expect(await syncStreams(getDb(), { workspaceId, settleMs: 0 })).toEqual({ events: 0, built: false });
  });

  it("follows merges and splits, which move events without adding any", async () => {
    await ingest([
      { type: "identify", userId: "c1", traits: { email: "c1@example.com" }, messageId: "c1-1" },
      order("c1-2", "c1", "2026-01-05T10:00:00Z", 0.2),
    ]);
    await ingest([
      { type: "identify", anonymousId: "kiosk-3", traits: { phone: "+31 6 1234 5678" }, messageId: "c2-1" },
      {
        ...order("c2-2", "", "2026-02-05T10:00:00Z", 0.4, "store"),
        userId: undefined,
        anonymousId: "kiosk-3",
      },
    ]);
    await syncStreams(getDb(), { workspaceId, settleMs: 0 });
    const [a, b] = (
      await getDb()
        .select()
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), isNull(customers.mergedInto)))
    ).sort((x, y) => (x.email ? -1 : y.email ? 1 : 0));

    const { mergeId } = await mergeProfiles(getDb(), {
      workspaceId,
      survivorId: a!.id,
      mergedId: b!.id,
      actorUserId: adminId,
    });
    const merged = await streamRows(getDb(), workspaceId);
    expect(merged).toEqual(await rebuilt(getDb(), workspaceId));
    expect(merged.every((row) => row.includes(a!.id))).toBe(true);
    expect(merged.some((row) => row.includes('"n":2') && row.includes('"Order Completed"'))).toBe(true);

    await undoMerge(getDb(), { workspaceId, mergeId, actorUserId: adminId });
    const split = await streamRows(getDb(), workspaceId);
    expect(split).toEqual(await rebuilt(getDb(), workspaceId));
    expect(split.some((row) => row.includes(b!.id))).toBe(true);
  });

  it("goes with its workspace", async () => {
    await ingest([order("o1", "u1", "2026-01-05T10:00:00Z")]);
    await buildStreams(getDb(), { workspaceId, settleMs: 0 });
    await getDb().execute(sql`delete from workspaces where id = ${workspaceId}::uuid`);
    expect(await streamRows(getDb(), workspaceId)).toEqual([]);
    expect(await getDb().select().from(customerStreamCursors)).toEqual([]);
  });
});

it("marks the days of yearly periods, over New Year too, or every other day", () => {
  const days = (bits: string) => [...bits].flatMap((bit, i) => (bit === "1" ? [i] : []));
  const bit = (month: number, day: number) => (month - 1) * 31 + day - 1;
  expect(days(seasonBits({ periods: [{ from: "12-30", to: "01-02" }] }))).toEqual([
    bit(1, 1),
    bit(1, 2),
    bit(12, 30),
    bit(12, 31),
  ]);
  const outside = seasonBits({ periods: [{ from: "03-01", to: "12-31" }], outside: true });
  expect(days(outside)).toEqual([
    ...Array.from({ length: 31 }, (_, d) => bit(1, d + 1)),
    ...Array.from({ length: 31 }, (_, d) => bit(2, d + 1)),
  ]);
});

import { and, eq, isNull } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { customers, events, identities, identityMerges } from "~/db/schema";
import { mergeProfiles, undoMerge } from "~/server/identity/merge";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { ingestMessages } from "./ingest";

describeEachDatabase("ingestion and identity resolution", (getDb) => {
  let workspaceId: string;
  let adminId: string;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    const f = await makeWorkspace(getDb());
    workspaceId = f.workspace.id;
    adminId = f.admin.id;
  });

  const ingest = (messages: unknown[], db: Database = getDb()) => ingestMessages(db, { workspaceId, messages, source: "api" });
  const activeCustomers = () =>
    getDb()
      .select()
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), isNull(customers.mergedInto)));
  const eventsOf = (customerId: string) =>
    getDb()
      .select()
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), eq(events.customerId, customerId)));

  it("stores a track event with its channel and keeps the customer's summary", async () => {
    const result = await ingest([
      { type: "track", userId: "u1", event: "Order Completed", properties: { revenue: 42.5 }, context: { channel: "POS" }, messageId: "m1", timestamp: "2026-03-01T10:00:00Z" },
      { type: "page", userId: "u1", name: "Home", messageId: "m2", timestamp: "2026-03-02T10:00:00Z" },
      { type: "track", userId: "u1", event: "Email Opened", messageId: "m3", timestamp: "2026-02-01T10:00:00Z" },
    ]);
    expect(result).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const [customer] = await activeCustomers();
    expect(customer).toMatchObject({
      eventCount: 3,
      purchaseCount: 1,
      totalSpend: 42.5,
      channelCounts: { store: 1, web: 1, email: 1 },
    });
    expect(customer?.firstSeenAt?.toISOString()).toBe("2026-02-01T10:00:00.000Z");
    expect(customer?.lastSeenAt?.toISOString()).toBe("2026-03-02T10:00:00.000Z");
    const stored = await eventsOf(customer!.id);
    expect(stored.find((e) => e.messageId === "m1")).toMatchObject({ channel: "store", amount: 42.5, event: "Order Completed", source: "api" });
  });

  it("stores a repeated messageId once, within a batch and across batches", async () => {
    const message = { type: "track", userId: "u1", event: "Viewed", messageId: "same" };
    expect(await ingest([message, message])).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await ingest([message])).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const [customer] = await activeCustomers();
    expect(customer?.eventCount).toBe(1);
  });

  it("refuses times and amounts the store cannot hold, by index, and stores the rest of the batch", async () => {
    const result = await ingest([
      { type: "track", userId: "u1", event: "Fine", messageId: "t-ok", timestamp: "2026-03-01T10:00:00+02:00" },
      { type: "track", userId: "u1", event: "T", messageId: "t1", timestamp: "1" },
      { type: "track", userId: "u1", event: "T", messageId: "t2", timestamp: "2024-02-30" },
      { type: "track", userId: "u1", event: "T", messageId: "t3", timestamp: "Tue, 01 Oct 2024 10:00:00 GMT" },
      { type: "track", userId: "u1", event: "T", messageId: "t4", timestamp: "0000-01-01T00:00:00Z" },
      { type: "track", userId: "u1", event: "T", messageId: "t5", timestamp: "+275760-09-13T00:00:00Z" },
      // A skew that takes the corrected time out of every calendar.
      { type: "track", userId: "u1", event: "T", messageId: "t6", originalTimestamp: "9999-12-31T00:00:00Z", sentAt: "0001-01-01T00:00:00Z" },
      { type: "track", userId: "u1", event: "Order Completed", messageId: "t7", properties: { revenue: 1e12 } },
      { type: "track", userId: "u1", event: "Order Completed", messageId: "t-ok2", properties: { revenue: 999_999_999_999.99 }, timestamp: "2026-03-02" },
    ]);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const r of result.rejected.slice(0, 5)) expect(r.error).toMatch(/^timestamp: must be an ISO-8601 date-time/);
    expect(result.rejected[5]?.error).toContain("falls outside the years 1–9999");
    expect(result.rejected[6]?.error).toContain("must be below 1e+12");
    const stored = await getDb()
      .select({ messageId: events.messageId, timestamp: events.timestamp })
      .from(events)
      .where(eq(events.workspaceId, workspaceId))
      .orderBy(events.messageId);
    expect(stored.map((e) => [e.messageId, e.timestamp.toISOString()])).toEqual([
      ["t-ok", "2026-03-01T08:00:00.000Z"],
      ["t-ok2", "2026-03-02T00:00:00.000Z"],
    ]);
  });

  it("refuses, by index, what the store's indexes or the stack cannot take, and stores the rest of the batch", async () => {
    // Incompressible, as PostgreSQL would otherwise shrink a long index entry below its limit.
    const noise = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7_919 + (i >> 3) * 104_729) % 89))).join("");
    const digits = (n: number) => Array.from({ length: n }, (_, i) => (i * 7_919 + (i >> 2) * 31) % 10).join("");
    const result = await ingest([
      { type: "track", userId: "u1", event: "Fine", messageId: "ok1" },
      { type: "track", userId: "u1", event: "Deep", properties: { tree: JSON.parse(`${"[".repeat(20_000)}${"]".repeat(20_000)}`) } },
      { type: "track", userId: noise(3_000), event: "E" },
      { type: "track", userId: "u1", event: noise(3_000) },
      { type: "page", userId: "u1", name: noise(3_000) },
      { type: "track", userId: "u1", event: "E", messageId: noise(3_000) },
      { type: "identify", userId: "u1", traits: { name: noise(3_000) } },
      { type: "identify", userId: "u1", traits: { email: `${noise(3_000)}@example.com` } },
      { type: "track", userId: "u1", event: "E", properties: { discount: digits(6_000) } },
      { type: "identify", userId: "u1", traits: { name: "Ana Lima", email: "ana@example.com" }, messageId: "ok2" },
      { type: "track", userId: "u1", event: "Sale", properties: { discount: "0.15" }, messageId: "ok3" },
    ]);
    expect(result.accepted).toBe(3);
    expect(result.rejected.map((r) => [r.index, r.error.replace(/ is longer than .*$/, " is too long")])).toEqual([
      [1, `properties.tree${".0".repeat(62)} is nested more than 64 levels deep`],
      [2, "userId is too long"],
      [3, "event is too long"],
      [4, "name is too long"],
      [5, "messageId is too long"],
      [6, "traits.name is too long"],
      [7, "traits.email is too long"],
      [8, "properties.discount has more than 100 digits"],
    ]);
    expect(result.rejected[1]?.error).toBe("userId is longer than 800 bytes, the limit for ids, event names, names and emails");
  });

  it("stores the good messages of a batch and reports the bad ones by index", async () => {
    const result = await ingest([
      { type: "track", userId: "u1", event: "Fine", messageId: "ok1" },
      { type: "track", event: "No ids", messageId: "bad1" },
      { type: "track", userId: "u1", messageId: "bad2" },
      { type: "explode", userId: "u1" },
      { type: "track", userId: "u1", event: "Big", properties: { blob: "x".repeat(33_000) } },
      { type: "identify", userId: "u1", timestamp: "yesterday" },
      { type: "page", anonymousId: "a1", messageId: "ok2" },
      { type: "track", userId: "u1", event: "Nul\u0000byte", messageId: "bad3" },
      { type: "track", userId: "u1", event: "Half", properties: { note: "lone \ud800 surrogate" }, messageId: "bad4" },
      { type: "track", userId: "u1", event: "Emoji 🍩", properties: { note: "a whole pair 😀" }, messageId: "ok3" },
    ]);
    expect(result.accepted).toBe(3);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(result.rejected[5]?.error).toBe("event contains a NUL character (\\u0000), which cannot be stored");
    expect(result.rejected[6]?.error).toContain("properties.note contains a lone UTF-16 surrogate");
    expect(result.rejected[0]?.error).toBe("userId or anonymousId is required");
    expect(result.rejected[1]?.error).toContain("event");
    expect(result.rejected[2]?.error).toContain("type must be one of");
    expect(result.rejected[3]?.error).toContain("32 KB");
    expect(result.rejected[4]?.error).toContain("timestamp");
  });

  it("attaches an anonymous history to the customer once identify links them", async () => {
    await ingest([
      { type: "page", anonymousId: "anon-1", name: "Shoes", messageId: "p1", timestamp: "2026-01-01T00:00:00Z" },
      { type: "page", anonymousId: "anon-1", name: "Boots", messageId: "p2", timestamp: "2026-01-01T00:01:00Z" },
    ]);
    await ingest([{ type: "track", userId: "u-9", event: "Signed In", messageId: "t1" }]);
    expect(await activeCustomers()).toHaveLength(2);

    await ingest([{ type: "identify", userId: "u-9", anonymousId: "anon-1", traits: { email: "Ann@Example.com", name: "Ann Lee" }, messageId: "i1" }]);
    const [customer, ...rest] = await activeCustomers();
    expect(rest).toHaveLength(0);
    expect(customer).toMatchObject({ name: "Ann Lee", email: "ann@example.com", eventCount: 4 });
    expect((await eventsOf(customer!.id)).map((e) => e.messageId).sort()).toEqual(["i1", "p1", "p2", "t1"]);
    const ids = await getDb().select().from(identities).where(eq(identities.workspaceId, workspaceId));
    expect(ids.map((i) => [i.kind, i.value, i.customerId === customer!.id]).sort()).toEqual([
      ["anonymous_id", "anon-1", true],
      ["email", "ann@example.com", true],
      ["user_id", "u-9", true],
    ]);
    const merges = await getDb().select().from(identityMerges).where(eq(identityMerges.workspaceId, workspaceId));
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({ survivorId: customer!.id, reason: "shared identifier", identityKind: "anonymous_id", messageId: "i1" });
  });

  it("merges two sources that share an email, keeping the merge history", async () => {
    await ingest([{ type: "identify", anonymousId: "pos-77", traits: { email: "bo@example.com" }, context: { channel: "store" }, messageId: "s1" }]);
    await ingest([{ type: "track", anonymousId: "pos-77", event: "Order Completed", properties: { total: 80 }, context: { channel: "store" }, messageId: "s2" }]);
    await ingest([{ type: "identify", userId: "web-5", traits: { email: "bo@example.com" }, messageId: "w1" }]);
    const [customer, ...rest] = await activeCustomers();
    expect(rest).toHaveLength(0);
    expect(customer).toMatchObject({ eventCount: 3, totalSpend: 80, channelCounts: { store: 2, other: 1 } });
  });

  it("does not merge two people with different userIds who share an email", async () => {
    await ingest([{ type: "identify", userId: "alice", traits: { email: "family@example.com" }, messageId: "a" }]);
    await ingest([{ type: "identify", userId: "bob", traits: { email: "family@example.com" }, messageId: "b" }]);
    expect(await activeCustomers()).toHaveLength(2);
  });

  it("alias joins the previous id's history to the user", async () => {
    await ingest([{ type: "track", anonymousId: "old-device", event: "Opened App", messageId: "o1" }]);
    await ingest([{ type: "alias", userId: "u-100", previousId: "old-device", messageId: "al1" }]);
    const [customer, ...rest] = await activeCustomers();
    expect(rest).toHaveLength(0);
    expect(customer?.eventCount).toBe(2);
  });

  it("a person merges two profiles by hand and undoes it; they are not merged again automatically", async () => {
    await ingest([{ type: "identify", userId: "c1", traits: { email: "c1@example.com" }, messageId: "c1-1" }]);
    await ingest([
      { type: "identify", anonymousId: "kiosk-3", traits: { phone: "+31 6 1234 5678" }, messageId: "c2-1" },
      { type: "track", anonymousId: "kiosk-3", event: "Order Completed", properties: { revenue: 10 }, messageId: "c2-2" },
    ]);
    const [a, b] = (await activeCustomers()).sort((x, y) => (x.email ? -1 : y.email ? 1 : 0));
    const { mergeId } = await mergeProfiles(getDb(), { workspaceId, survivorId: a!.id, mergedId: b!.id, actorUserId: adminId });
    expect(await activeCustomers()).toHaveLength(1);
    expect((await eventsOf(a!.id)).length).toBe(3);
    expect((await activeCustomers())[0]).toMatchObject({
      eventCount: 3,
      purchaseCount: 1,
      totalSpend: 10,
      channelCounts: { other: 3 },
      email: "c1@example.com",
      phone: "+31 6 1234 5678",
      traits: { email: "c1@example.com", phone: "+31 6 1234 5678" },
    });

    await undoMerge(getDb(), { workspaceId, mergeId, actorUserId: adminId });
    const after = await activeCustomers();
    expect(after).toHaveLength(2);
    expect((await eventsOf(b!.id)).map((e) => e.messageId).sort()).toEqual(["c2-1", "c2-2"]);
    expect(after.find((c) => c.id === a!.id)).toMatchObject({ eventCount: 1, totalSpend: 0 });
    expect(after.find((c) => c.id === b!.id)).toMatchObject({ eventCount: 2, totalSpend: 10 });

    // An event that carries both identifiers does not undo the person's split.
    await ingest([{ type: "identify", userId: "c1", anonymousId: "kiosk-3", messageId: "c1-2" }]);
    expect(await activeCustomers()).toHaveLength(2);
    await expect(undoMerge(getDb(), { workspaceId, mergeId, actorUserId: adminId })).rejects.toThrow(/already been undone/);
  });

  it("keeps workspaces apart: the same ids in another workspace are another customer", async () => {
    const other = await makeWorkspace(getDb(), "Other brand");
    await ingest([{ type: "identify", userId: "shared-id", messageId: "x1" }]);
    await ingestMessages(getDb(), { workspaceId: other.workspace.id, messages: [{ type: "identify", userId: "shared-id", messageId: "x1" }], source: "api" });
    expect(await activeCustomers()).toHaveLength(1);
    const all = await getDb().select().from(customers);
    expect(all).toHaveLength(2);
  });

  it("loses nothing when two clients send about the same new visitor at once", async () => {
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 20 }, (_, i) => ({ type: "page", anonymousId: "busy-visitor", name: `p${b}-${i}`, messageId: `c${b}-${i}` })),
    );
    const results = await Promise.all(batches.map((batch) => ingest(batch)));
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(120);
    const active = await activeCustomers();
    expect(active).toHaveLength(1);
    expect(active[0]?.eventCount).toBe(120);
    expect(new Set(results.map((r) => r.rejected.length))).toEqual(new Set([0]));
  });
});

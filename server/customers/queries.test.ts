import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import type { Database } from "~/db";
import { customers } from "~/db/schema";
import type { RfmGroup } from "~/server/valuation/types";
import { NotFoundError, RuleError } from "~/server/errors";
import { describeEachDatabase, transactionPerTest } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { listCustomers } from "./list";
import type { CustomerSort } from "./list-sorts";
import { getCustomer, getEvent, listTimeline } from "./queries";
import {
  insertCustomer,
  insertCustomerValue,
  insertEvents,
  insertIdentity,
  insertMerge,
  type EventSeed,
} from "./test-fixtures";

const DAY = 24 * 3600 * 1000;

const now = new Date("2026-06-15T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

type ListArgs = Omit<Parameters<typeof listCustomers>[0], "db" | "workspaceId" | "cursor">;

/** Every page of a list, following the cursors; fails on a loop. */
async function allPages(db: Database, workspaceId: string, args: ListArgs) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await listCustomers({ db, workspaceId, now, ...args, cursor });
    expect(result.customers.length).toBeLessThanOrEqual(args.limit ?? 50);
    ids.push(...result.customers.map((c) => c.id));
    if (!result.nextCursor) return ids;
    expect(result.customers.length).toBe(args.limit ?? 50);
    cursor = result.nextCursor;
  }
  throw new Error("the list never ended");
}

describeEachDatabase("customer queries", (getFileDb) => {
  let workspaceId: string;
  let otherWorkspaceId: string;
  let admin: Awaited<ReturnType<typeof makeWorkspace>>["admin"];

  beforeAll(async () => {
    const db = getFileDb();
    const a = await makeWorkspace(db, "Northwind");
    workspaceId = a.workspace.id;
    admin = a.admin;
    otherWorkspaceId = (await makeWorkspace(db, "Elsewhere")).workspace.id;
  });

  // The fixture is built once per database; each test runs in a transaction that is rolled back.
  const getDb = transactionPerTest(getFileDb);

  const names = (rows: { name: string | null }[]) => rows.map((row) => row.name);

  it("finds customers by name or email prefix in any case, and by any identifier, exact or prefix", async () => {
    const db = getDb();
    const ada = await insertCustomer(db, workspaceId, {
      name: "Ada Lovelace",
      email: "countess@analytical.test",
      lastSeenAt: daysAgo(1),
    });
    const grace = await insertCustomer(db, workspaceId, {
      name: "Grace Hopper",
      email: "Grace.H@navy.test",
      lastSeenAt: daysAgo(2),
    });
    const anon = await insertCustomer(db, workspaceId, { lastSeenAt: daysAgo(3) });
    await insertIdentity(db, workspaceId, anon, "anonymous_id", "anon-7f3a9c");
    await insertIdentity(db, workspaceId, grace, "user_id", "U-1001");
    await insertIdentity(db, workspaceId, ada, "phone", "+441234567");

    const search = async (text: string) =>
      names((await listCustomers({ db, workspaceId, search: text })).customers);
    expect(await search("ADA")).toEqual(["Ada Lovelace"]);
    expect(await search("grace.h")).toEqual(["Grace Hopper"]);
    expect(await search("COUNTESS@")).toEqual(["Ada Lovelace"]);
    expect(await search("anon-7f3a9c")).toEqual([null]);
    expect(await search("anon-7f")).toEqual([null]);
    expect(await search("U-1001")).toEqual(["Grace Hopper"]);
    expect(await search("u-10")).toEqual([]);
    expect(await search("+4412")).toEqual(["Ada Lovelace"]);
    expect(await search("lovelace")).toEqual([]);
    // LIKE's wildcards are taken literally.
    expect(await search("%")).toEqual([]);
    expect(await search("_da")).toEqual([]);

    // A profile without name or email shows an identifier instead.
    const [row] = (await listCustomers({ db, workspaceId, search: "anon-7f" })).customers;
    expect(row?.identifier).toEqual({ kind: "anonymous_id", value: "anon-7f3a9c" });
  });

  it("filters by channel, last seen (within days, before a date) and minimum spend", async () => {
    const db = getDb();
    await insertCustomer(db, workspaceId, {
      name: "Web only",
      lastSeenAt: daysAgo(2),
      channelCounts: { web: 4 },
      totalSpend: 10,
    });
    await insertCustomer(db, workspaceId, {
      name: "Store regular",
      lastSeenAt: daysAgo(20),
      channelCounts: { store: 9, web: 1 },
      totalSpend: 480,
    });
    await insertCustomer(db, workspaceId, {
      name: "Lapsed",
      lastSeenAt: daysAgo(400),
      channelCounts: { email: 2 },
      totalSpend: 2500,
    });
    await insertCustomer(db, workspaceId, {
      name: "Zero store",
      lastSeenAt: daysAgo(1),
      channelCounts: { store: 0 },
    });
    await insertCustomer(db, workspaceId, { name: "Imported, never seen", totalSpend: 900 });

    const list = async (args: ListArgs) =>
      names((await listCustomers({ db, workspaceId, now, ...args })).customers);
    expect(await list({ channel: "store" })).toEqual(["Store regular"]);
    expect(await list({ channel: "web" })).toEqual(["Web only", "Store regular"]);
    expect(await list({ lastSeenWithinDays: 7 })).toEqual(["Zero store", "Web only"]);
    expect(await list({ lastSeenWithinDays: 30 })).toEqual(["Zero store", "Web only", "Store regular"]);
    expect(await list({ lastSeenBefore: daysAgo(90) })).toEqual(["Lapsed"]);
    expect(await list({ minSpend: 480 })).toEqual(["Store regular", "Lapsed", "Imported, never seen"]);
    expect(await list({ minSpend: 100, lastSeenWithinDays: 30, channel: "web" })).toEqual(["Store regular"]);
    expect(await list({ minSpend: 100, sort: "name" })).toEqual([
      "Imported, never seen",
      "Lapsed",
      "Store regular",
    ]);
  });

  it.each<CustomerSort>(["lastSeen", "name"])(
    "pages through every customer sorted by %s, with ties and missing values, without duplicates or gaps",
    async (sort) => {
      const db = getDb();
      const created: { id: string; name: string | null; lastSeenAt: Date | null; spend: number }[] = [];
      for (let i = 0; i < 37; i++) {
        // Ties on both keys (same day, same name in other case), and some without either.
        const name = i % 7 === 0 ? null : ["adams", "Baker", "baker", "Chen", "d'Souza", "Évora"][i % 6]!;
        const lastSeenAt = i % 5 === 0 ? null : daysAgo(i % 4);
        const spend = i * 10;
        const id = await insertCustomer(db, workspaceId, { name, lastSeenAt, totalSpend: spend });
        created.push({ id, name, lastSeenAt, spend });
      }
      // Merged profiles and another workspace's customers never appear.
      const survivor = created[3]!.id;
      await insertCustomer(db, workspaceId, { name: "Baker", lastSeenAt: daysAgo(1), mergedInto: survivor });
      await insertCustomer(db, otherWorkspaceId, { name: "Baker", lastSeenAt: daysAgo(1) });

      const byKey = (a: (typeof created)[number], b: (typeof created)[number]) => {
        if (sort === "name") {
          const [x, y] = [a.name?.toLowerCase() ?? null, b.name?.toLowerCase() ?? null];
          if (x !== y) {
            if (x === null) return 1;
            if (y === null) return -1;
            return Buffer.compare(Buffer.from(x), Buffer.from(y));
          }
        } else {
          const [x, y] = [a.lastSeenAt?.getTime() ?? null, b.lastSeenAt?.getTime() ?? null];
          if (x !== y) {
            if (x === null) return 1;
            if (y === null) return -1;
            return y - x;
          }
        }
        return a.id < b.id ? -1 : 1;
      };

      const expected = [...created].sort(byKey).map((c) => c.id);
      for (const limit of [1, 4, 50]) {
        expect(await allPages(db, workspaceId, { sort, limit })).toEqual(expected);
      }
      const rich = [...created]
        .filter((c) => c.spend >= 150)
        .sort(byKey)
        .map((c) => c.id);
      expect(await allPages(db, workspaceId, { sort, limit: 3, minSpend: 150 })).toEqual(rich);
      const bakers = [...created]
        .filter((c) => c.name?.toLowerCase() === "baker")
        .sort(byKey)
        .map((c) => c.id);
      expect(await allPages(db, workspaceId, { sort, limit: 2, search: "BAK" })).toEqual(bakers);
    },
  );

  it.each<"value" | "alive">(["value", "alive"])(
    "pages through every customer sorted by %s, with ties, missing values and value filters, without duplicates or gaps",
    async (sort) => {
      const db = getDb();
      const groups = ["champions", "loyal", "lost"] as const;
      const fitId = crypto.randomUUID();
      const created: { id: string; clv: number | null; pAlive: number | null; group: RfmGroup | null }[] = [];
      for (let i = 0; i < 41; i++) {
        const name = i % 3 === 0 ? "Baker" : `Customer ${i}`;
        const id = await insertCustomer(db, workspaceId, { name, lastSeenAt: daysAgo(i % 4) });
        // Some without a value row (no purchase), some without a CLV (no spend model); ties on both keys.
        const valued = i % 6 !== 0;
        const clv = valued && i % 5 !== 0 ? [120.5, 80, 0.25, 1e-7][i % 4]! : null;
        const pAlive = valued ? [0.9, 0.5, 0.1234567890123][i % 3]! : null;
        const group = valued ? groups[i % 3]! : null;
        if (valued)
          await insertCustomerValue(db, workspaceId, id, {
            fitId,
            clv,
            pAlive: pAlive!,
            group: group!,
          });
        created.push({ id, clv, pAlive, group });
      }
      // Merged profiles and another workspace's customers never appear, whatever their value.
      const merged = await insertCustomer(db, workspaceId, { name: "Baker", mergedInto: created[1]!.id });
      await insertCustomerValue(db, workspaceId, merged, {
        fitId,
        clv: 1e6,
        pAlive: 1,
        group: "champions",
      });
      const theirs = await insertCustomer(db, otherWorkspaceId, { name: "Baker" });
      await insertCustomerValue(db, otherWorkspaceId, theirs, {
        fitId,
        clv: 1e6,
        pAlive: 1,
        group: "champions",
      });

      const key = (c: (typeof created)[number]) => (sort === "value" ? c.clv : c.pAlive);
      const byKey = (a: (typeof created)[number], b: (typeof created)[number]) => {
        const [x, y] = [key(a), key(b)];
        if (x !== y) {
          if (x === null) return 1;
          if (y === null) return -1;
          return y - x;
        }
        return a.id < b.id ? -1 : 1;
      };
      const ids = (list: typeof created) => [...list].sort(byKey).map((c) => c.id);

      for (const limit of [1, 4, 50]) {
        expect(await allPages(db, workspaceId, { sort, limit })).toEqual(ids(created));
      }
      expect(await allPages(db, workspaceId, { sort, limit: 3, rfmGroup: "loyal" })).toEqual(
        ids(created.filter((c) => c.group === "loyal")),
      );
      expect(await allPages(db, workspaceId, { sort, limit: 2, minClv: 80 })).toEqual(
        ids(created.filter((c) => c.clv !== null && c.clv >= 80)),
      );
      expect(await allPages(db, workspaceId, { sort, limit: 2, search: "bak" })).toEqual(
        ids(created.filter((_, i) => i % 3 === 0)),
      );
      expect(await allPages(db, workspaceId, { sort, limit: 5, lastSeenWithinDays: 1 })).toEqual(
        ids(created.filter((_, i) => i % 4 <= 1)),
      );

      // Rows carry their value figures, also in the sorts that read them after the page.
      for (const anySort of [sort, "lastSeen", "name"] as const) {
        const { customers: page } = await listCustomers({ db, workspaceId, sort: anySort, limit: 50 });
        expect(page.length).toBeGreaterThan(0);
        for (const row of page) {
          const c = created.find((x) => x.id === row.id)!;
          expect([row.clv, row.pAlive, row.rfmGroup]).toEqual([c.clv, c.pAlive, c.group]);
        }
      }
      // A cursor of one sort does not serve another.
      const { nextCursor } = await listCustomers({ db, workspaceId, sort, limit: 1 });
      await expect(
        listCustomers({ db, workspaceId, sort: sort === "value" ? "alive" : "value", cursor: nextCursor }),
      ).rejects.toBeInstanceOf(RuleError);
      const forged = Buffer.from(
        JSON.stringify({ s: sort, v: "1; drop table", id: crypto.randomUUID() }),
      ).toString("base64url");
      await expect(listCustomers({ db, workspaceId, sort, cursor: forged })).rejects.toBeInstanceOf(
        RuleError,
      );
    },
  );

  it("caps a broad search, says so, and still sorts what it found", async () => {
    const db = getDb();
    for (let i = 0; i < 6; i++) {
      await insertCustomer(db, workspaceId, {
        name: `Mary ${i}`,
        email: `mary${i}@example.test`,
        lastSeenAt: daysAgo(i),
      });
    }
    const narrow = await listCustomers({ db, workspaceId, search: "mary 1", maxSearchMatches: 3 });
    expect([names(narrow.customers), narrow.broadSearch]).toEqual([["Mary 1"], false]);
    const broad = await listCustomers({ db, workspaceId, search: "ma", maxSearchMatches: 3 });
    expect(broad.broadSearch).toBe(true);
    expect(names(broad.customers)).toEqual(["Mary 0", "Mary 1", "Mary 2"]);
  });

  it("keeps microsecond last-seen times apart across pages", async () => {
    const db = getDb();
    const ids = [];
    for (let i = 0; i < 4; i++)
      ids.push(await insertCustomer(db, workspaceId, { name: `Micro ${i}`, lastSeenAt: daysAgo(1) }));
    const stamps = [
      "2026-06-01 10:00:00.000001+00",
      "2026-06-01 10:00:00.000002+00",
      "2026-06-01 10:00:00.000003+00",
      "2026-06-01 10:00:00.000004+00",
    ];
    for (const [i, id] of ids.entries()) {
      await db.execute(
        sql`update ${customers} set last_seen_at = ${stamps[i]}::timestamptz where ${customers.workspaceId} = ${workspaceId} and ${customers.id} = ${id}`,
      );
    }
    expect(await allPages(db, workspaceId, { limit: 1 })).toEqual([...ids].reverse());
  });

  it("refuses a cursor that is not one, or belongs to another sort", async () => {
    const db = getDb();
    for (let i = 0; i < 3; i++)
      await insertCustomer(db, workspaceId, { name: `C${i}`, lastSeenAt: daysAgo(i) });
    const { nextCursor } = await listCustomers({ db, workspaceId, limit: 1 });
    await expect(listCustomers({ db, workspaceId, sort: "name", cursor: nextCursor })).rejects.toBeInstanceOf(
      RuleError,
    );
    await expect(listCustomers({ db, workspaceId, cursor: "garbage" })).rejects.toBeInstanceOf(RuleError);
    const forged = Buffer.from(
      JSON.stringify({ s: "lastSeen", v: "not a time", id: crypto.randomUUID() }),
    ).toString("base64url");
    await expect(listCustomers({ db, workspaceId, cursor: forged })).rejects.toBeInstanceOf(RuleError);
    await expect(
      listTimeline({ db, workspaceId, customerId: crypto.randomUUID(), cursor: "e30" }),
    ).rejects.toBeInstanceOf(RuleError);
  });

  it("shows one customer: profile, identities, both directions of merge history, channel mix and spend", async () => {
    const db = getDb();
    const id = await insertCustomer(db, workspaceId, {
      name: "Ada Lovelace",
      email: "ada@example.test",
      traits: { plan: "gold", city: "London" },
      lastSeenAt: daysAgo(1),
      firstSeenAt: daysAgo(300),
      eventCount: 10,
      purchaseCount: 2,
      totalSpend: 150,
      channelCounts: { web: 6, store: 3, email: 1 },
    });
    const absorbed = await insertCustomer(db, workspaceId, { name: "A. Lovelace", mergedInto: id });
    const splitOff = await insertCustomer(db, workspaceId, { name: "Someone else" });
    await insertIdentity(db, workspaceId, id, "email", "ada@example.test", {
      source: "msg-1",
      firstSeenAt: daysAgo(300),
    });
    await insertIdentity(db, workspaceId, id, "anonymous_id", "anon-1", {
      source: "import:abc",
      profileId: absorbed,
      firstSeenAt: daysAgo(200),
    });
    await insertMerge(db, workspaceId, {
      survivorId: id,
      mergedId: absorbed,
      reason: "shared identifier",
      identityKind: "anonymous_id",
      identityValue: "anon-1",
      createdAt: daysAgo(100),
    });
    await insertMerge(db, workspaceId, {
      survivorId: splitOff,
      mergedId: id,
      actorUserId: admin.id,
      createdAt: daysAgo(50),
      undoneAt: daysAgo(49),
      undoneBy: admin.id,
    });
    await insertEvents(db, workspaceId, id, [
      { timestamp: daysAgo(250), event: "Order Completed", amount: 100, channel: "web" },
      { timestamp: daysAgo(240), event: "Product Viewed" },
      { timestamp: daysAgo(10), event: "Order Completed", amount: 50, channel: "store" },
      { timestamp: daysAgo(2), event: "Product Viewed" },
    ]);

    const result = await getCustomer({ db, workspaceId, id });
    if (result.mergedInto !== null) throw new Error("expected a profile");
    expect(result.profile).toMatchObject({
      name: "Ada Lovelace",
      email: "ada@example.test",
      traits: { plan: "gold", city: "London" },
    });
    expect(result.identities.map((i) => [i.kind, i.value, i.source, i.fromMergedProfile])).toEqual([
      ["anonymous_id", "anon-1", "import:abc", true],
      ["email", "ada@example.test", "msg-1", false],
    ]);
    expect(result.identityCount).toBe(2);
    expect(
      result.merges.map((m) => [
        m.direction,
        m.otherProfile.name,
        m.reason,
        m.actorName,
        m.undone,
        m.undoneByName,
      ]),
    ).toEqual([
      ["mergedInto", "Someone else", "manual", admin.name, true, admin.name],
      ["absorbed", "A. Lovelace", "shared identifier", null, false, null],
    ]);
    expect(result.merges[1]).toMatchObject({ identityKind: "anonymous_id", identityValue: "anon-1" });
    expect(result.channelMix).toEqual([
      { channel: "web", count: 6, share: 0.6 },
      { channel: "store", count: 3, share: 0.3 },
      { channel: "email", count: 1, share: 0.1 },
    ]);
    expect(result.spend).toEqual({
      purchases: 2,
      total: 150,
      averageOrder: 75,
      firstPurchaseAt: daysAgo(250),
      lastPurchaseAt: daysAgo(10),
    });
    expect(result.eventNames).toEqual([
      { event: "Order Completed", count: 2 },
      { event: "Product Viewed", count: 2 },
    ]);
  });

  it("answers a merged profile with the profile that stands now, following merges of merges", async () => {
    const db = getDb();
    const final = await insertCustomer(db, workspaceId, { name: "Final" });
    const middle = await insertCustomer(db, workspaceId, { name: "Middle", mergedInto: final });
    const first = await insertCustomer(db, workspaceId, { name: "First", mergedInto: middle });
    expect(await getCustomer({ db, workspaceId, id: first })).toEqual({ mergedInto: final });
    expect(names((await listCustomers({ db, workspaceId })).customers)).toEqual(["Final"]);
  });

  it("keeps workspaces apart: another workspace's customer and event are not found", async () => {
    const db = getDb();
    const theirs = await insertCustomer(db, otherWorkspaceId, {
      name: "Theirs",
      email: "theirs@example.test",
      lastSeenAt: daysAgo(1),
    });
    await insertIdentity(db, otherWorkspaceId, theirs, "user_id", "shared-id");
    const [eventId] = await insertEvents(db, otherWorkspaceId, theirs, [{ timestamp: daysAgo(1) }]);
    const ours = await insertCustomer(db, workspaceId, { name: "Ours", lastSeenAt: daysAgo(1) });
    await insertIdentity(db, workspaceId, ours, "user_id", "shared-id");

    expect(names((await listCustomers({ db, workspaceId })).customers)).toEqual(["Ours"]);
    expect(names((await listCustomers({ db, workspaceId, search: "shared-id" })).customers)).toEqual([
      "Ours",
    ]);
    expect(names((await listCustomers({ db, workspaceId, search: "theirs" })).customers)).toEqual([]);
    await expect(getCustomer({ db, workspaceId, id: theirs })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getCustomer({ db, workspaceId, id: crypto.randomUUID() })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getEvent({ db, workspaceId, id: eventId! })).rejects.toBeInstanceOf(NotFoundError);
    expect((await listTimeline({ db, workspaceId, customerId: theirs })).events).toEqual([]);

    // Through the router, as a member: NOT_FOUND, and bad input is refused by name.
    const caller = callerAs(db, admin);
    await expect(caller.customer.get({ workspaceId, id: theirs })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(caller.customer.event({ workspaceId, id: eventId! })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      caller.customer.timeline({ workspaceId, customerId: ours, from: daysAgo(1), to: daysAgo(2) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("pages a timeline newest first with keyset cursors, through ties and microseconds, with filters", async () => {
    const db = getDb();
    const id = await insertCustomer(db, workspaceId, { name: "Busy", lastSeenAt: daysAgo(0) });
    const other = await insertCustomer(db, workspaceId, { name: "Other", lastSeenAt: daysAgo(0) });
    const channelsCycle = ["web", "email", "store", "mobile"] as const;
    const seeds: EventSeed[] = Array.from({ length: 130 }, (_, i) => ({
      // Groups of three share a timestamp, so the id breaks ties.
      timestamp: daysAgo(Math.floor(i / 3)),
      channel: channelsCycle[i % 4]!,
      type: i % 10 === 0 ? ("page" as const) : ("track" as const),
      event: i % 10 === 0 ? "Home" : i % 2 ? "Product Viewed" : "Order Completed",
      amount: i % 2 ? null : 20,
      properties:
        i % 10 === 0 ? { title: "Welcome <b>home</b>" } : { products: [{ sku: "a" }, { sku: "b" }] },
    }));
    // Three events a microsecond apart: a Date would collapse them.
    seeds.push(
      {
        timestamp: "2026-06-20 08:00:00.000001+00",
        channel: "web",
        type: "track",
        event: "Micro",
        amount: null,
        properties: {},
      },
      {
        timestamp: "2026-06-20 08:00:00.000003+00",
        channel: "web",
        type: "track",
        event: "Micro",
        amount: null,
        properties: {},
      },
      {
        timestamp: "2026-06-20 08:00:00.000002+00",
        channel: "web",
        type: "track",
        event: "Micro",
        amount: null,
        properties: {},
      },
    );
    const ids = await insertEvents(db, workspaceId, id, seeds);
    await insertEvents(db, workspaceId, other, [{ timestamp: daysAgo(0) }]);

    const expectedOrder = seeds
      .map((seed, i) => ({
        id: ids[i]!,
        at: typeof seed.timestamp === "string" ? seed.timestamp : seed.timestamp.toISOString(),
        seed,
      }))
      .map((row) => ({ ...row, key: new Date(row.at.replace(" ", "T").replace("+00", "Z")).getTime() }));
    const micro = (row: (typeof expectedOrder)[number]) =>
      typeof row.seed.timestamp === "string" ? Number(row.at.slice(20, 26)) : 0;
    expectedOrder.sort((a, b) => b.key - a.key || micro(b) - micro(a) || b.id - a.id);

    const walk = async (
      filters: Omit<Parameters<typeof listTimeline>[0], "db" | "workspaceId" | "customerId">,
    ) => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await listTimeline({ db, workspaceId, customerId: id, ...filters, cursor });
        seen.push(...page.events.map((e) => e.id));
        if (!page.nextCursor) return seen;
        cursor = page.nextCursor;
      }
      throw new Error("the timeline never ended");
    };

    const first = await listTimeline({ db, workspaceId, customerId: id });
    expect(first.events).toHaveLength(50);
    expect(first.events[0]).toMatchObject({ event: "Micro", channel: "web", type: "track" });
    expect(await walk({})).toEqual(expectedOrder.map((r) => r.id));
    expect(await walk({ limit: 7 })).toEqual(expectedOrder.map((r) => r.id));

    const only = (test: (seed: (typeof seeds)[number]) => boolean) =>
      expectedOrder.filter((r) => test(r.seed)).map((r) => r.id);
    expect(await walk({ channels: ["store"], limit: 9 })).toEqual(only((s) => s.channel === "store"));
    expect(await walk({ channels: ["store", "email"], limit: 9 })).toEqual(
      only((s) => s.channel === "store" || s.channel === "email"),
    );
    expect(await walk({ types: ["page"] })).toEqual(only((s) => s.type === "page"));
    expect(await walk({ events: ["Order Completed"], limit: 11 })).toEqual(
      only((s) => s.event === "Order Completed"),
    );
    const from = daysAgo(20);
    const to = daysAgo(10);
    expect(await walk({ from, to, channels: ["web"], limit: 2 })).toEqual(
      only(
        (s) => s.channel === "web" && s.timestamp instanceof Date && s.timestamp >= from && s.timestamp < to,
      ),
    );

    // Compact rows: a one-line summary, as plain text; the full event on request.
    const page = (await listTimeline({ db, workspaceId, customerId: id, types: ["page"], limit: 1 }))
      .events[0]!;
    expect(page.summary).toBe("Viewed Home — Welcome <b>home</b>");
    const order = (
      await listTimeline({ db, workspaceId, customerId: id, events: ["Order Completed"], limit: 1 })
    ).events[0]!;
    expect(order).toMatchObject({ amount: 20, summary: "Order Completed — 2 items" });
    const full = await getEvent({ db, workspaceId, id: page.id });
    expect(full.properties).toEqual({ title: "Welcome <b>home</b>" });
    expect(full.customerId).toBe(id);
  });
});

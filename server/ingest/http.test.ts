import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import zlib from "node:zlib";
import RudderAnalytics from "@rudderstack/rudder-sdk-node";
import { Analytics } from "@segment/analytics-node";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { customers, events } from "~/db/schema";
import { createWriteKey, revokeWriteKey } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { handleTrackingRequest, type TrackingOptions } from "./http";
import { MessageRateLimiter } from "./rate-limit";
import { listRefusals, RefusalLog } from "./refusals";

describeEachDatabase("tracking API (Segment HTTP spec)", (getDb) => {
  let workspaceId: string;
  let key: { id: string; key: string };

  let options: TrackingOptions;
  let lastHeaders: Headers;

  beforeEach(async () => {
    options = { refusals: new RefusalLog() };
    await truncateAllTables(getDb());
    const f = await makeWorkspace(getDb());
    workspaceId = f.workspace.id;
    key = await createWriteKey(getDb(), { workspaceId, name: "Web site", createdBy: f.admin.id });
  });

  const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString("base64")}`;
  async function post(type: string, body: unknown, headers: Record<string, string> = { authorization: basic(key.key) }) {
    const request = new Request(`http://centric.test/api/v1/${type}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const response = await handleTrackingRequest(getDb(), request, type, options);
    lastHeaders = response.headers;
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  afterEach(() => options.refusals!.flush());

  const stored = () => getDb().select().from(events).where(eq(events.workspaceId, workspaceId));

  it("accepts each call type at its own path", async () => {
    for (const [type, body] of [
      ["identify", { userId: "u1", traits: { email: "u1@example.com" } }],
      ["track", { userId: "u1", event: "Order Completed", properties: { revenue: 9.5 } }],
      ["page", { userId: "u1", name: "Home" }],
      ["screen", { userId: "u1", name: "Cart" }],
      ["group", { userId: "u1", groupId: "acme" }],
      ["alias", { userId: "u1", previousId: "anon-1" }],
    ] as const) {
      expect(await post(type, body), type).toEqual({ status: 200, body: { success: true } });
    }
    expect((await stored()).map((e) => `${e.type}:${e.channel}`).sort()).toEqual([
      "alias:other",
      "group:other",
      "identify:other",
      "page:web",
      "screen:mobile",
      "track:other",
    ]);
  });

  it("answers Segment's short paths and /v1/import as the calls they stand for", async () => {
    for (const [path, body] of [
      ["i", { userId: "u1", traits: { name: "Ana" } }],
      ["t", { userId: "u1", event: "Signed Up" }],
      ["p", { userId: "u1", name: "Home" }],
      ["s", { userId: "u1", name: "Cart" }],
      ["g", { userId: "u1", groupId: "acme" }],
      ["a", { userId: "u1", previousId: "anon-1" }],
      ["b", { batch: [{ type: "track", userId: "u1", event: "In a batch" }] }],
      ["import", { batch: [{ type: "track", userId: "u1", event: "Imported" }] }],
    ] as const) {
      expect((await post(path, body)).status, path).toBe(200);
    }
    expect((await stored()).map((e) => `${e.type}:${e.event ?? ""}`).sort()).toEqual([
      "alias:",
      "group:",
      "identify:",
      "page:Home",
      "screen:Cart",
      "track:Imported",
      "track:In a batch",
      "track:Signed Up",
    ]);
    expect(await post("x", {})).toMatchObject({ status: 404, body: { error: expect.stringContaining("short paths") } });
    expect((await post("__proto__", {})).status).toBe(404);
  });

  it("takes gzip and deflate bodies within the same limits once decompressed", async () => {
    const send = async (path: string, encoding: string, body: Buffer) => {
      const request = new Request(`http://centric.test/api/v1/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": encoding, authorization: basic(key.key) },
        body: new Uint8Array(body),
      });
      const response = await handleTrackingRequest(getDb(), request, path, options);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const json = (value: unknown) => Buffer.from(JSON.stringify(value));
    const gzip = promisify(zlib.gzip);
    const track = (event: string) => json({ userId: "z", event });
    expect((await send("track", "gzip", await gzip(track("Gzipped")))).status).toBe(200);
    expect((await send("track", "deflate", await promisify(zlib.deflate)(track("Deflated")))).status).toBe(200);
    expect((await send("track", "deflate", await promisify(zlib.deflateRaw)(track("Raw deflate")))).status).toBe(200);
    expect((await send("b", "GZIP", await gzip(json({ batch: [{ type: "track", userId: "z", event: "Batched" }] })))).status).toBe(200);
    expect((await stored()).map((e) => e.event).sort()).toEqual(["Batched", "Deflated", "Gzipped", "Raw deflate"]);

    // 600 KB of one repeated letter gzips to under 1 KB: refused for what it becomes.
    const bomb = await gzip(json({ batch: [{ type: "track", userId: "z", event: "E", properties: { pad: "a".repeat(600 * 1024) } }] }));
    expect(bomb.length).toBeLessThan(5 * 1024);
    expect(await send("batch", "gzip", bomb)).toMatchObject({
      status: 413,
      body: { error: "The request body is larger than 500 KB once decompressed, the limit for /v1/batch." },
    });
    expect(await send("track", "gzip", Buffer.from("not gzip at all"))).toMatchObject({
      status: 400,
      body: { error: "The body is not valid gzip data." },
    });
    expect(await send("track", "br", track("Brotli"))).toMatchObject({
      status: 415,
      body: { error: expect.stringContaining("Content-Encoding br is not supported") },
    });
    expect(await stored()).toHaveLength(4);
  });

  it("takes userId \"\" with an anonymousId as anonymous, and context.traits as identify traits", async () => {
    expect((await post("track", { userId: "", anonymousId: "anon-9", event: "Viewed" })).status).toBe(200);
    expect(
      (await post("identify", { userId: "ana", anonymousId: "anon-9", context: { traits: { name: "Ana Lima", email: "ana@example.com" } } }))
        .status,
    ).toBe(200);
    const profiles = await getDb()
      .select({ name: customers.name, email: customers.email, events: customers.eventCount })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), sql`${customers.mergedInto} is null`));
    expect(profiles).toEqual([{ name: "Ana Lima", email: "ana@example.com", events: 2 }]);
  });

  it("refuses a missing, unknown or revoked key with 401 and says why", async () => {
    expect(await post("track", { userId: "u", event: "E" }, {})).toMatchObject({ status: 401, body: { error: expect.stringContaining("Missing write key") } });
    expect(await post("track", { userId: "u", event: "E" }, { authorization: basic("x".repeat(32)) })).toMatchObject({
      status: 401,
      body: { error: expect.stringContaining("Invalid write key") },
    });
    await revokeWriteKey(getDb(), { workspaceId, keyId: key.id });
    expect((await post("track", { userId: "u", event: "E" })).status).toBe(401);
    expect(await stored()).toHaveLength(0);
  });

  it("accepts the write key in the body, as analytics-node also sends it", async () => {
    expect((await post("track", { writeKey: key.key, userId: "u", event: "E" }, {})).status).toBe(200);
  });

  it("answers malformed JSON, a non-object, missing ids and oversize bodies with a 4xx naming the problem", async () => {
    expect(await post("track", "{not json")).toMatchObject({ status: 400, body: { error: expect.stringContaining("Malformed JSON") } });
    expect(await post("track", "[1,2]")).toMatchObject({ status: 400, body: { error: "The body must be a JSON object." } });
    expect(await post("track", { event: "E" })).toMatchObject({ status: 400, body: { error: "userId or anonymousId is required" } });
    expect(await post("track", { userId: "u", event: "E", properties: { big: "x".repeat(33 * 1024) } })).toMatchObject({
      status: 413,
      body: { error: expect.stringContaining("32 KB") },
    });
    const batch = Array.from({ length: 20 }, () => ({ type: "track", userId: "u", event: "E", properties: { big: "y".repeat(30 * 1024) } }));
    expect(await post("batch", { batch })).toMatchObject({ status: 413, body: { error: expect.stringContaining("500 KB") } });
    expect(await post("batch", { batch: "nope" })).toMatchObject({ status: 400, body: { error: "batch: must be an array of messages." } });
    expect(await post("nonsense", {})).toMatchObject({ status: 404 });
    expect(await stored()).toHaveLength(0);
  });

  it("stores the good messages of a batch, reports the bad ones by index, and is idempotent", async () => {
    const batch = [
      { type: "track", userId: "u1", event: "A", messageId: "m-1" },
      { type: "track", event: "no ids", messageId: "m-2" },
      { type: "page", anonymousId: "a1", messageId: "m-3" },
    ];
    const first = await post("batch", { batch, context: { channel: "store" } });
    expect(first).toEqual({
      status: 200,
      body: { success: true, accepted: 2, duplicates: 0, rejected: [{ index: 1, error: "userId or anonymousId is required" }] },
    });
    // The batch's context reached each message; page keeps its own channel rule only when none is given.
    expect((await stored()).map((e) => e.channel)).toEqual(["store", "store"]);
    const again = await post("batch", { batch });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await stored()).toHaveLength(2);
  });

  it("keeps a customer's total spend past 1e12 instead of failing the batch", async () => {
    // Each amount is below the per-message limit; their sum is not, and must still be stored.
    const batch = [1, 2, 3].map((n) => ({ type: "track", userId: "big-spender", event: "Order Completed", messageId: `big-${n}`, properties: { revenue: 999_999_999_999.99 } }));
    expect(await post("batch", { batch })).toEqual({ status: 200, body: { success: true, accepted: 3, duplicates: 0, rejected: [] } });
    expect(await post("track", { userId: "big-spender", event: "Order Completed", properties: { revenue: 0.04 } })).toEqual({ status: 200, body: { success: true } });
    const [row] = await getDb()
      .select({ spend: sql<string>`${customers.totalSpend}::text`, purchases: customers.purchaseCount })
      .from(customers)
      .where(eq(customers.workspaceId, workspaceId));
    expect(row).toEqual({ spend: "3000000000000.01", purchases: 4 });
  });

  it("keeps __proto__ keys of properties, traits and context as ordinary keys", async () => {
    const body = (fields: string) => `{"userId":"proto-user","messageId":"${fields.length}",${fields}}`;
    expect(await post("track", body(`"event":"E","properties":{"__proto__":{"polluted":true},"plain":1},"context":{"__proto__":"c"}`))).toMatchObject({ status: 200 });
    expect(await post("identify", body(`"traits":{"__proto__":{"tier":"gold"},"name":"Proto"}`))).toMatchObject({ status: 200 });
    const rows = await getDb().execute<{ type: string; properties: string; traits: string | null; context: string }>(sql`
      select type, properties::text, traits::text, context::text from events where workspace_id = ${workspaceId} order by type`);
    expect(rows.rows).toEqual([
      { type: "identify", properties: "{}", traits: '{"name": "Proto", "__proto__": {"tier": "gold"}}', context: "{}" },
      { type: "track", properties: '{"plain": 1, "__proto__": {"polluted": true}}', traits: null, context: '{"__proto__": "c"}' },
    ]);
    const [customer] = await getDb().execute<{ traits: string }>(sql`select traits::text from customers where workspace_id = ${workspaceId}`).then((r) => r.rows);
    expect(customer?.traits).toBe('{"name": "Proto", "__proto__": {"tier": "gold"}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("limits each write key's messages a second with 429 and Retry-After, counting messages, not requests", async () => {
    let now = 0;
    options.limiter = new MessageRateLimiter({ perSecond: 100, burst: 150 }, () => now);
    const batch = (tag: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: "track", userId: `u${i}`, event: "E", messageId: `${tag}-${i}` }));
    expect(await post("batch", { batch: batch("a", 100) })).toMatchObject({ status: 200, body: { accepted: 100 } });
    const limited = await post("batch", { batch: batch("b", 100) });
    expect(limited).toEqual({
      status: 429,
      body: {
        success: false,
        error: "Rate limit: a write key may send 100 messages a second, up to 150 at once; this request of 100 messages is over it. Retry after 1 s.",
      },
    });
    expect(lastHeaders.get("retry-after")).toBe("1");
    // Single calls cost one message each: 50 are left.
    for (let i = 0; i < 50; i++) expect((await post("track", { userId: "s", event: "E" })).status).toBe(200);
    expect(await post("track", { userId: "s", event: "E" })).toMatchObject({ status: 429, body: { error: expect.stringContaining("this request of 1 message is over it") } });
    // Another key of the workspace has a bucket of its own.
    const other = await createWriteKey(getDb(), { workspaceId, name: "App", createdBy: null });
    expect((await post("batch", { batch: batch("c", 100) }, { authorization: basic(other.key) })).status).toBe(200);
    now += 1_000;
    expect(await post("batch", { batch: batch("b", 100) })).toMatchObject({ status: 200, body: { accepted: 100 } });
    expect(await stored()).toHaveLength(350);
  });

  it("holds the limit across concurrent requests", async () => {
    options.limiter = new MessageRateLimiter({ perSecond: 1, burst: 100 }, () => 0);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, r) =>
        post("batch", { batch: Array.from({ length: 20 }, (_, i) => ({ type: "track", userId: `c${r}`, event: "E", messageId: `c-${r}-${i}` })) }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    expect(await stored()).toHaveLength(100);
  });

  it("records what it refused per write key: counts per reason and the latest messages, without the key", async () => {
    options.limiter = new MessageRateLimiter({ perSecond: 1, burst: 1_000 }, () => 0);
    const batch = [
      { type: "track", userId: "u1", event: "Fine" },
      { type: "track", event: "No ids", properties: { note: "n".repeat(1_000) } },
      { type: "track", userId: "u1", event: "Big", properties: { blob: "x".repeat(33_000) } },
    ];
    expect((await post("batch", { batch, writeKey: key.key })).status).toBe(200);
    expect((await post("identify", { writeKey: key.key, traits: {} })).status).toBe(400);
    expect((await post("track", '{"userId": "u", "event": "E",')).status).toBe(400);
    expect((await post("batch", { batch: { not: "a list" } })).status).toBe(400);
    expect((await post("track", { userId: "u", event: "E", properties: { big: "y".repeat(33 * 1024) } })).status).toBe(413);
    expect((await post("batch", { batch: Array.from({ length: 999 }, () => ({ type: "track", userId: "u", event: "E" })) })).status).toBe(429);
    // Without a key that names the workspace nothing can be recorded.
    expect((await post("track", "{oops", { authorization: basic("x".repeat(32)) })).status).toBe(400);
    await options.refusals!.flush();

    const [record, ...others] = await listRefusals(getDb(), workspaceId);
    expect(others).toEqual([]);
    expect(record).toMatchObject({ keyId: key.id, keyName: "Web site", total: 1_005 });
    expect(Object.fromEntries(record!.counts.map((c) => [c.reason, c.count]))).toEqual({
      rate_limited: 999,
      invalid: 2,
      too_large: 2,
      malformed: 2,
    });
    expect(record!.latest.map(({ reason, error, position }) => ({ reason, error, position }))).toEqual([
      { reason: "too_large", error: "The request body is larger than 32 KB, the limit for /v1/track.", position: null },
      { reason: "malformed", error: "batch: must be an array of messages.", position: null },
      { reason: "malformed", error: expect.stringMatching(/^Malformed JSON/), position: null },
      { reason: "invalid", error: "userId or anonymousId is required", position: null },
      { reason: "too_large", error: expect.stringContaining("32 KB"), position: 2 },
      { reason: "invalid", error: "userId or anonymousId is required", position: 1 },
    ]);
    const excerpts = record!.latest.map((e) => e.excerpt);
    expect(excerpts[0]).toBeNull();
    expect(excerpts[2]).toBe('{"userId": "u", "event": "E",');
    expect(excerpts[3]).toBe('{"traits":{},"type":"identify"}');
    expect(excerpts[5]).toMatch(/^\{"type":"track","event":"No ids","properties":\{"note":"n{200,}…$/);
    for (const excerpt of excerpts) expect(excerpt ?? "").not.toContain(key.key);
  });

  /** Runs `run` against the handler served over real HTTP on a free port. */
  async function served(run: (host: string) => Promise<void>) {
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      const response = await handleTrackingRequest(getDb(), request, req.url!.split("/").pop()!, options);
      res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await run(`http://127.0.0.1:${port}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it("takes events from the real @segment/analytics-node client", async () => {
    await served(async (host) => {
      const analytics = new Analytics({ writeKey: key.key, host, flushAt: 3, maxRetries: 0 });
      analytics.identify({ userId: "node-user", traits: { email: "node@example.com", name: "Node User" } });
      analytics.track({ userId: "node-user", event: "Order Completed", properties: { revenue: 12 } });
      analytics.page({ userId: "node-user", name: "Checkout" });
      await analytics.closeAndFlush({ timeout: 10_000 });
    });
    const rows = await getDb()
      .select({ type: events.type, event: events.event })
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), eq(events.userId, "node-user")));
    expect(rows.map((r) => `${r.type}:${r.event ?? ""}`).sort()).toEqual(["identify:", "page:Checkout", "track:Order Completed"]);
  });

  /** The customers standing (not merged away) with their events, "type:event" sorted. */
  async function standingProfiles() {
    const rows = await getDb()
      .select({ id: customers.id, email: customers.email, type: events.type, event: events.event, channel: events.channel })
      .from(events)
      .innerJoin(customers, eq(customers.id, events.customerId))
      .where(and(eq(events.workspaceId, workspaceId), sql`${customers.mergedInto} is null`));
    const byProfile = new Map<string, { email: string | null; events: string[] }>();
    for (const row of rows) {
      const profile = byProfile.get(row.id) ?? { email: row.email, events: [] };
      profile.events.push(`${row.type}:${row.event ?? ""}`);
      byProfile.set(row.id, profile);
    }
    return [...byProfile.values()].map((p) => ({ ...p, events: p.events.sort() }));
  }

  it("keeps a person's anonymous history from @segment/analytics-node on one profile", async () => {
    await served(async (host) => {
      const analytics = new Analytics({ writeKey: key.key, host, flushAt: 1, maxRetries: 0 });
      const flushed = () => new Promise<void>((resolve) => analytics.once("http_response", () => resolve()));
      analytics.page({ anonymousId: "seg-anon", name: "Landing" });
      await flushed();
      analytics.track({ anonymousId: "seg-anon", event: "Product Viewed" });
      await flushed();
      analytics.identify({ userId: "seg-user", anonymousId: "seg-anon", traits: { email: "seg@example.com" } });
      await flushed();
      analytics.track({ userId: "seg-user", event: "Order Completed", properties: { revenue: 30 } });
      await analytics.closeAndFlush({ timeout: 10_000 });
    });
    expect(await standingProfiles()).toEqual([
      {
        email: "seg@example.com",
        events: ["identify:", "page:Landing", "track:Order Completed", "track:Product Viewed"],
      },
    ]);
  });

  it("takes the real @rudderstack/rudder-sdk-node client's gzipped batches, anonymous history included", async () => {
    await served(async (host) => {
      // Unmodified: gzip on, as it is by default; one batch per call so the order is that of the calls.
      const rudder = new RudderAnalytics(key.key, { dataPlaneUrl: host, flushAt: 1, retryCount: 0, logLevel: "error" });
      const flush = () => new Promise<void>((resolve, reject) => rudder.flush((error?: Error) => (error ? reject(error) : resolve())));
      rudder.page({ anonymousId: "rs-anon", name: "Landing" });
      await flush();
      rudder.track({ anonymousId: "rs-anon", event: "Product Viewed", properties: { sku: "A-1" } });
      await flush();
      rudder.identify({ userId: "rs-user", anonymousId: "rs-anon", traits: { email: "rs@example.com", name: "Rudder User" } });
      await flush();
      rudder.track({ userId: "rs-user", event: "Order Completed", properties: { revenue: 25 } });
      rudder.screen({ userId: "rs-user", name: "Cart" });
      rudder.group({ userId: "rs-user", groupId: "acme" });
      await flush();
    });
    expect(await standingProfiles()).toEqual([
      {
        email: "rs@example.com",
        events: ["group:", "identify:", "page:Landing", "screen:Cart", "track:Order Completed", "track:Product Viewed"],
      },
    ]);
    const [profile] = await getDb().select({ name: customers.name }).from(customers).where(and(eq(customers.workspaceId, workspaceId), sql`${customers.mergedInto} is null`));
    expect(profile?.name).toBe("Rudder User");
  });

  it("has @segment/analytics-node wait for Retry-After on a 429 and send again, losing nothing", async () => {
    options.limiter = new MessageRateLimiter({ perSecond: 3, burst: 3 });
    const statuses: number[] = [];
    await served(async (host) => {
      const analytics = new Analytics({ writeKey: key.key, host, flushAt: 3, maxRetries: 0 });
      analytics.on("http_response", (response) => statuses.push(response.status));
      for (let i = 0; i < 6; i++) analytics.track({ userId: "patient", event: `E${i}` });
      await analytics.closeAndFlush({ timeout: 10_000 });
    });
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(await stored()).toHaveLength(6);
  });
});

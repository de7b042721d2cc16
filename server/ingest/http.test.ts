import http from "node:http";
import type { AddressInfo } from "node:net";
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

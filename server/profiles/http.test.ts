import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { customers, events, journeyEnrollments, segmentMembers, valueFits } from "~/db/schema";
import {
  insertCustomer,
  insertCustomerValue,
  insertEvents,
  insertIdentity,
} from "~/server/customers/test-fixtures";
import { mergeProfiles } from "~/server/identity/merge";
import { handleTrackingRequest } from "~/server/ingest/http";
import { MessageRateLimiter } from "~/server/ingest/rate-limit";
import { goLive } from "~/server/journeys/run/control";
import { followLiveRuns } from "~/server/journeys/run/entries";
import { runDueSteps } from "~/server/journeys/run/runner";
import { createJourney } from "~/server/journeys/store";
import { publishJourney } from "~/server/journeys/versions";
import { createSegment } from "~/server/segments/store";
import { createWriteKey } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { handleProfileRequest, profilePreflight } from "./http";
import { createReadKey, revokeReadKey, setReadKeyOrigins } from "./read-keys";

// The profile API on both databases: what it answers for a userId and an
// anonymousId, merged profiles, and every refusal — unknown ids, missing,
// wrong, revoked and write keys, another workspace's customers (the read key
// matrix), browser origins and the rate limit.

const SHOP = "https://shop.example";
const OTHER = "https://elsewhere.example";
const unlimited = () => new MessageRateLimiter({ perSecond: 0, burst: 1 });

describeEachDatabase("the profile API", (getDb) => {
  let db: Database;
  let a: Awaited<ReturnType<typeof makeWorkspace>>;
  let b: Awaited<ReturnType<typeof makeWorkspace>>;
  let keyA: { id: string; key: string };
  let keyB: { id: string; key: string };
  let ada: string;

  const get = (
    id: string,
    { key = keyA.key, query = "", headers = {}, limiter = unlimited() } = {} as {
      key?: string | null;
      query?: string;
      headers?: Record<string, string>;
      limiter?: MessageRateLimiter;
    },
  ) =>
    handleProfileRequest(
      db,
      // The id is passed as Next.js hands it over, decoded; the URL carries only the query.
      new Request(`http://centric.test/api/v1/profiles/id${query}`, {
        headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers },
      }),
      id,
      { limiter },
    );

  const body = async (response: Response) => (await response.json()) as Record<string, unknown>;

  beforeAll(() => {
    db = getDb();
  });

  beforeEach(async () => {
    await truncateAllTables(db);
    a = await makeWorkspace(db, "Brand A");
    b = await makeWorkspace(db, "Brand B");
    keyA = await createReadKey(db, { workspaceId: a.workspace.id, name: "Web shop", createdBy: a.admin.id });
    keyB = await createReadKey(db, { workspaceId: b.workspace.id, name: "Web shop", createdBy: b.admin.id });
    ada = await insertCustomer(db, a.workspace.id, {
      name: "Ada",
      traits: { plan: "gold", firstName: "Ada" },
      lastSeenAt: new Date("2026-11-30T10:00:00Z"),
    });
    await insertIdentity(db, a.workspace.id, ada, "user_id", "u-ada");
    await insertIdentity(db, a.workspace.id, ada, "anonymous_id", "anon-ada");
  });

  it("answers a customer by userId: traits, segments, value and live journeys with their step", async () => {
    const workspaceId = a.workspace.id;
    const segment = await createSegment(db, {
      workspaceId,
      userId: a.admin.id,
      name: "Gold members",
      description: "",
      rule: { type: "eventCount", op: "gte", value: 1 },
      schedule: "off",
    });
    await db.insert(segmentMembers).values({ workspaceId, segmentId: segment.id, customerId: ada });
    const fitId = randomUUID();
    await db.insert(valueFits).values({
      workspaceId,
      id: fitId,
      status: "succeeded",
      calibrationEnd: "2026-11-30",
      horizonWeeks: 52,
      discountRate: 0.1,
      finishedAt: new Date("2026-12-01T06:00:00Z"),
    });
    await insertCustomerValue(db, workspaceId, ada, { clv: 420.5, pAlive: 0.9, group: "champions", fitId });
    const { id: journeyId } = await createJourney(db, {
      workspaceId,
      userId: a.admin.id,
      segmentId: segment.id,
      name: "Welcome",
      description: "",
      design: {
        stages: [
          {
            id: "s1",
            name: "Welcomed",
            touchpoints: [
              {
                id: "t1",
                channel: "email",
                title: "Welcome aboard",
                trigger: { kind: "segmentEntry" },
                delayHours: 48,
                ownerTeam: "marketing",
              },
            ],
          },
        ],
        flow: {
          nodes: [
            { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
            { kind: "touchpoint", id: "n1", touchpointId: "t1", position: { x: 200, y: 0 } },
            { kind: "exit", id: "done", label: "Done", position: { x: 400, y: 0 } },
          ],
          edges: [
            { id: "e1", source: "entry", target: "n1" },
            { id: "e2", source: "n1", target: "done" },
          ],
        },
      },
    });
    await publishJourney(db, { workspaceId, userId: a.admin.id, id: journeyId });
    await goLive(db, {
      workspaceId,
      journeyId,
      userId: a.admin.id,
      reentryDays: null,
      exitOnSegmentLeave: false,
      moveToNewVersion: false,
      timezone: "UTC",
      // No control group: the one customer is always on the journey's way.
      holdoutPercent: 0,
    });
    while (await followLiveRuns(db, { workspaceId, now: new Date() }));
    while ((await runDueSteps(db, { workspaceId, now: new Date() })).steps > 0);

    // Seed 001's case: an email reader who buys on the web is reached by email.
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    await insertEvents(db, workspaceId, ada, [
      { event: "Email Opened", channel: "email", timestamp: daysAgo(3) },
      { event: "Email Opened", channel: "email", timestamp: daysAgo(2) },
      { event: "Email Link Clicked", channel: "email", timestamp: daysAgo(2) },
      { event: "Order Completed", channel: "web", timestamp: daysAgo(1), amount: 40 },
    ]);

    const response = await get("u-ada");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const profile = await body(response);
    expect(profile).toMatchObject({
      customerId: ada,
      userId: "u-ada",
      traits: { plan: "gold", firstName: "Ada" },
      lastSeenAt: "2026-11-30T10:00:00.000Z",
      segments: [{ id: segment.id, name: "Gold members" }],
      value: { tier: "champions", clv: 420.5, pAlive: 0.9, fittedAt: "2026-12-01T06:00:00.000Z" },
      preferredChannel: {
        channel: "email",
        reason: "Reads email (2 opens, 1 click) and buys on the web (1 order): email reaches them best",
      },
      journeys: [{ journeyId, name: "Welcome", step: "Waiting to send: Welcome aboard" }],
    });

    // Held out as the journey's control group, the customer is not shown as in it: pages must not adapt to it either.
    await db
      .update(journeyEnrollments)
      .set({ holdout: true })
      .where(eq(journeyEnrollments.workspaceId, workspaceId));
    expect((await body(await get("u-ada"))).journeys).toEqual([]);
  });

  it("answers an anonymous visitor by anonymousId, with no userId, value or journeys yet", async () => {
    const visitor = await insertCustomer(db, a.workspace.id, {});
    await insertIdentity(db, a.workspace.id, visitor, "anonymous_id", "anon-visitor");
    const response = await get("anon-visitor", { query: "?type=anonymous" });
    expect(response.status).toBe(200);
    expect(await body(response)).toEqual({
      customerId: visitor,
      userId: null,
      traits: {},
      firstSeenAt: null,
      lastSeenAt: null,
      segments: [],
      value: null,
      preferredChannel: {
        channel: null,
        reason: "Too few reactions in the last 180 days (0; 3 on one channel needed): no preferred channel",
      },
      journeys: [],
    });
    // An anonymousId is not a userId.
    expect((await get("anon-visitor")).status).toBe(404);
  });

  it("answers a merged profile's identifiers with the survivor", async () => {
    const old = await insertCustomer(db, a.workspace.id, { traits: { plan: "trial" } });
    await insertIdentity(db, a.workspace.id, old, "anonymous_id", "anon-laptop");
    await mergeProfiles(db, {
      workspaceId: a.workspace.id,
      survivorId: ada,
      mergedId: old,
      actorUserId: a.admin.id,
    });
    const [merged] = await db
      .select({ into: customers.mergedInto })
      .from(customers)
      .where(eq(customers.id, old));
    expect(merged?.into).toBe(ada);
    const profile = await body(await get("anon-laptop", { query: "?type=anonymous" }));
    expect(profile.customerId).toBe(ada);
    expect(profile.userId).toBe("u-ada");
  });

  it("answers 404 with a clear error for an unknown or unstorable id, and 400 for a bad type", async () => {
    for (const id of ["nobody", "bad\u0000id", "\ud800"]) {
      const response = await get(id);
      expect(response.status, id).toBe(404);
      expect(await body(response)).toEqual({ error: "No customer has that userId." });
    }
    const badType = await get("u-ada", { query: "?type=email" });
    expect(badType.status).toBe(400);
    expect((await body(badType)).error).toMatch(/type must be/);
    expect((await get("x".repeat(501))).status).toBe(400);
  });

  it("refuses a missing, unknown, revoked or write key with 401, and takes Basic like a write key", async () => {
    const missing = await get("u-ada", { key: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await get("u-ada", { key: "not-a-key" })).status).toBe(401);
    // Well-formed, for this workspace, but never issued.
    const forged = `${keyA.key.slice(0, -4)}AAAA`;
    expect((await get("u-ada", { key: forged })).status).toBe(401);

    const basic = await get("u-ada", {
      key: null,
      headers: { authorization: `Basic ${Buffer.from(`${keyA.key}:`).toString("base64")}` },
    });
    expect(basic.status).toBe(200);

    const writeKey = await createWriteKey(db, {
      workspaceId: a.workspace.id,
      name: "Site",
      createdBy: a.admin.id,
    });
    const refused = await get("u-ada", { key: writeKey.key });
    expect(refused.status).toBe(401);
    expect((await body(refused)).error).toMatch(/write key/);

    await revokeReadKey(db, { workspaceId: a.workspace.id, keyId: keyA.id });
    const revoked = await get("u-ada");
    expect(revoked.status).toBe(401);
    expect((await body(revoked)).error).toMatch(/revoked/);
  });

  it("a read key cannot send events: the tracking API refuses it as a write key", async () => {
    const response = await handleTrackingRequest(
      db,
      new Request("http://centric.test/api/v1/track", {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${keyA.key}:`).toString("base64")}` },
        body: JSON.stringify({ userId: "u-ada", event: "Forged" }),
      }),
      "track",
    );
    expect(response.status).toBe(401);
    expect(await db.select().from(events)).toEqual([]);
  });

  it("never shows another workspace's customers: B's key, and A's key with B's workspace swapped in", async () => {
    const bob = await insertCustomer(db, b.workspace.id, { traits: { secret: "B only" } });
    await insertIdentity(db, b.workspace.id, bob, "user_id", "u-bob");
    // The same userId in both workspaces: each key answers its own customer.
    const adaInB = await insertCustomer(db, b.workspace.id, { traits: { plan: "B's Ada" } });
    await insertIdentity(db, b.workspace.id, adaInB, "user_id", "u-ada");

    expect((await get("u-bob")).status).toBe(404);
    expect((await body(await get("u-ada"))).customerId).toBe(ada);
    expect((await body(await get("u-ada", { key: keyB.key }))).customerId).toBe(adaInB);
    expect((await get("u-ada", { key: keyB.key, query: "?type=anonymous" })).status).toBe(404);

    // A's secret under B's workspace id: the hash is checked within the workspace the key names.
    const hexB = b.workspace.id.replaceAll("-", "");
    const swapped = keyA.key.replace(/^crk_[0-9a-f]{32}_/, `crk_${hexB}_`);
    expect((await get("u-bob", { key: swapped })).status).toBe(401);
  });

  it("answers CORS preflights for origins a read key allows, and refuses a page its key does not allow", async () => {
    const preflight = (origin: string) =>
      profilePreflight(
        db,
        new Request("http://centric.test/api/v1/profiles/u-ada", {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        }),
      );
    // Keys allow any page until an admin names origins.
    expect((await preflight(OTHER)).status).toBe(204);
    await setReadKeyOrigins(db, { workspaceId: a.workspace.id, keyId: keyA.id, allowedOrigins: [SHOP] });
    await setReadKeyOrigins(db, { workspaceId: b.workspace.id, keyId: keyB.id, allowedOrigins: [SHOP] });
    const allowed = await preflight(SHOP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(allowed.headers.get("access-control-allow-methods")).toContain("GET");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("Authorization");
    const refused = await preflight(OTHER);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();

    const fromShop = await get("u-ada", { headers: { origin: SHOP } });
    expect(fromShop.status).toBe(200);
    expect(fromShop.headers.get("access-control-allow-origin")).toBe(SHOP);
    const fromOther = await get("u-ada", { headers: { origin: OTHER } });
    expect(fromOther.status).toBe(403);
    expect((await body(fromOther)).error).toMatch(/does not allow pages of https:\/\/elsewhere.example/);
    // A server sends no Origin and is not affected.
    expect((await get("u-ada")).status).toBe(200);
  });

  it("limits each key's requests with 429 and Retry-After, without slowing another key", async () => {
    const limiter = new MessageRateLimiter({ perSecond: 1, burst: 2 });
    expect((await get("u-ada", { limiter })).status).toBe(200);
    expect((await get("u-ada", { limiter })).status).toBe(200);
    const limited = await get("u-ada", { limiter });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await body(limited)).error).toMatch(/Rate limit/);
    expect((await get("u-ada", { key: keyB.key, limiter })).status).toBe(404);
  });
});

import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { events } from "~/db/schema";
import { createWriteKey, revokeWriteKey, setAllowedOrigins } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { ALLOWED_REQUEST_HEADERS, preflight } from "./cors";
import { handleTrackingRequest } from "./http";
import { listRefusals, RefusalLog } from "./refusals";

const SHOP = "https://shop.example";
const OTHER = "https://elsewhere.example";

describe("the allowed request headers", () => {
  it("name every header the browser clients set", () => {
    // analytics-next: Authorization, Content-Type, X-Retry-Count; RudderStack v3: AnonymousId, SentAt, Rsa-*.
    for (const header of ["Authorization", "Content-Type", "Content-Encoding", "AnonymousId", "SentAt", "X-Retry-Count", "Rsa-Retry-Attempt"]) {
      expect(ALLOWED_REQUEST_HEADERS).toContain(header);
    }
  });
});

describeEachDatabase("the tracking API from browser pages (CORS)", (getDb) => {
  let workspaceId: string;
  let key: { id: string; key: string };
  let refusals: RefusalLog;

  beforeEach(async () => {
    refusals = new RefusalLog();
    await truncateAllTables(getDb());
    const f = await makeWorkspace(getDb());
    workspaceId = f.workspace.id;
    key = await createWriteKey(getDb(), { workspaceId, name: "Web shop", createdBy: f.admin.id });
  });
  afterEach(() => refusals.flush());

  const allow = (origins: string[], keyId = key.id) =>
    setAllowedOrigins(getDb(), { workspaceId, keyId, allowedOrigins: origins });

  const askPreflight = (origin: string) =>
    preflight(
      getDb(),
      new Request("http://centric.test/api/v1/track", {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization,content-type,anonymousid,sentat",
        },
      }),
    );

  const post = (origin: string | null, body: unknown = { anonymousId: "a-1", event: "Viewed" }) =>
    handleTrackingRequest(
      getDb(),
      new Request("http://centric.test/api/v1/track", {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${key.key}:`).toString("base64")}`,
          "content-type": "text/plain",
          host: "centric.test",
          ...(origin ? { origin } : {}),
        },
        body: JSON.stringify(body),
      }),
      "track",
      { refusals },
    );

  const stored = () => getDb().select().from(events).where(eq(events.workspaceId, workspaceId));

  it("a key without origins lets any page send: the preflight echoes the origin and names the clients' headers", async () => {
    const answer = await askPreflight(OTHER);
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(OTHER);
    expect(answer.headers.get("vary")).toBe("Origin");
    expect(answer.headers.get("access-control-allow-headers")).toMatch(/AnonymousId.*SentAt/);
    const sent = await post(OTHER);
    expect(sent.status).toBe(200);
    expect(sent.headers.get("access-control-allow-origin")).toBe(OTHER);
    expect(await stored()).toHaveLength(1);
  });

  it("a key with origins: the preflight allows an origin some active key lists, and refuses others", async () => {
    await allow([SHOP]);
    const allowed = await askPreflight(SHOP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(SHOP);
    const refused = await askPreflight(OTHER);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(await refused.text()).toContain(`No write key allows pages of ${OTHER}`);

    // A revoked key allows nothing, even with an empty list.
    const f = await makeWorkspace(getDb(), "Other");
    const old = await createWriteKey(getDb(), { workspaceId: f.workspace.id, name: "Old", createdBy: null });
    expect((await askPreflight(OTHER)).status).toBe(204);
    await revokeWriteKey(getDb(), { workspaceId: f.workspace.id, keyId: old.id });
    expect((await askPreflight(OTHER)).status).toBe(403);
  });

  it("a POST from a page its key does not list is refused with 403 and recorded; from a listed page it is stored", async () => {
    await allow([SHOP, OTHER]);
    // Another key lists OTHER, so its preflight passes; this key's POST is still checked.
    await allow([SHOP]);
    const refused = await post(OTHER);
    expect(refused.status).toBe(403);
    // The page's script may read why.
    expect(refused.headers.get("access-control-allow-origin")).toBe(OTHER);
    expect(await refused.json()).toEqual({
      success: false,
      error: expect.stringContaining(`does not allow pages of ${OTHER}`),
    });
    expect(await stored()).toHaveLength(0);

    expect((await post(SHOP)).status).toBe(200);
    expect(await stored()).toHaveLength(1);

    await refusals.flush();
    const [record] = await listRefusals(getDb(), workspaceId);
    expect(record!.counts).toEqual([{ reason: "origin_not_allowed", count: 1, lastAt: expect.any(Date) }]);
  });

  it("requests without an Origin (servers) and from Centric's own pages are unaffected by the list", async () => {
    await allow([SHOP]);
    const fromServer = await post(null);
    expect(fromServer.status).toBe(200);
    expect(fromServer.headers.get("access-control-allow-origin")).toBe("*");
    expect((await post("http://centric.test")).status).toBe(200);
    expect(await stored()).toHaveLength(2);
  });
});

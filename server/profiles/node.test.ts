import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { insertCustomer, insertIdentity } from "~/server/customers/test-fixtures";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { isProfileRequest, handleProfileNodeRequest } from "./node";
import { createReadKey } from "./read-keys";

// The profile API as the launcher serves it in production, over real HTTP: the
// id decoded from the path (a broken percent-encoding is a 400, not a 500),
// both paths, HEAD, the preflight, and other methods refused.

describeEachDatabase("the profile API on the launcher's HTTP server", (getDb) => {
  let server: http.Server;
  let base: string;
  let key: string;

  beforeAll(async () => {
    const db = getDb();
    await truncateAllTables(db);
    const { workspace, admin } = await makeWorkspace(db, "Node");
    key = (await createReadKey(db, { workspaceId: workspace.id, name: "Site", createdBy: admin.id })).key;
    const id = await insertCustomer(db, workspace.id, { traits: { plan: "gold" } });
    await insertIdentity(db, workspace.id, id, "user_id", "ana/1 é");
    server = http.createServer((req, res) =>
      isProfileRequest(req) ? void handleProfileNodeRequest(req, res, db) : res.writeHead(418).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
      signal: AbortSignal.timeout(5_000),
    });

  it("answers /v1/profiles/{id} and /api/v1/profiles/{id} with the id decoded", async () => {
    for (const prefix of ["/v1", "/api/v1"]) {
      const response = await get(`${prefix}/profiles/${encodeURIComponent("ana/1 é")}`);
      expect(response.status, prefix).toBe(200);
      expect(((await response.json()) as { traits: unknown }).traits).toEqual({ plan: "gold" });
    }
    const head = await get(`/v1/profiles/${encodeURIComponent("ana/1 é")}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("answers a broken percent-encoding with a 400 and a JSON sentence", async () => {
    for (const path of ["/v1/profiles/%ED%A0%80", "/v1/profiles/%E0%A4%A", "/v1/profiles/%"]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(await response.json()).toEqual({
        error: "The id in the path is not valid percent-encoding (UTF-8, each byte as %XX).",
      });
    }
  });

  it("answers the preflight and refuses other methods with 405", async () => {
    const preflight = await fetch(`${base}/v1/profiles/x`, {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const post = await get("/v1/profiles/x", { method: "POST", body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("leaves other paths to Next.js", () => {
    const request = (url: string) => ({ url }) as http.IncomingMessage;
    expect(isProfileRequest(request("/v1/profiles/ana?type=anonymous"))).toBe(true);
    expect(isProfileRequest(request("/v1/profiles/"))).toBe(false);
    expect(isProfileRequest(request("/v1/profiles/a/b"))).toBe(false);
    expect(isProfileRequest(request("/v1/track"))).toBe(false);
    expect(isProfileRequest(request("/api/v1/profilesx/a"))).toBe(false);
  });
});

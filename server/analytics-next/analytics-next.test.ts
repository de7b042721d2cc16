import { beforeEach, describe, expect, it } from "vitest";
import { createWriteKey, revokeWriteKey, setAllowedOrigins } from "~/server/writekeys/writekeys";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { answerBundleRequest } from "./bundle";
import { answerSettingsRequest } from "./settings";

describe("the analytics.js bundle", () => {
  const get = (file: string) => answerBundleRequest(file);

  it("serves the standalone script as the package has it, and caches it a day", async () => {
    const plain = await get("standalone.js");
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(await plain.text()).toContain("analytics-next/bundles/");
  });

  it("caches the hashed chunks for good, and answers 404 for any other name", async () => {
    const chunk = /"([\w-]+\.bundle\.[0-9a-f]+\.js)"/.exec(await (await get("standalone.js")).text());
    const chunkName = chunk?.[1] ?? "auto-track.bundle.f131ce01a05e3a33a8c1.js";
    const answer = await get(chunkName);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toContain("immutable");
    for (const name of ["../package.json", "standalone.js.map", "index.ts", "%2e%2e%2fpackage.json"]) {
      expect((await get(name)).status, name).toBe(404);
    }
  });
});

describeEachDatabase("analytics.js settings", (getDb) => {
  let workspaceId: string;
  let key: { id: string; key: string };

  beforeEach(async () => {
    await truncateAllTables(getDb());
    const f = await makeWorkspace(getDb());
    workspaceId = f.workspace.id;
    key = await createWriteKey(getDb(), { workspaceId, name: "Web shop", createdBy: null });
  });

  const get = (writeKey: string, headers: Record<string, string>) =>
    answerSettingsRequest(
      getDb(),
      new Request(`http://internal:3000/api/v1/projects/${writeKey}/settings`, { headers }),
      writeKey,
    );

  it("points Segment.io at this Centric's tracking API as the browser reached it", async () => {
    const answer = await get(key.key, { host: "centric.example:8443", "x-forwarded-proto": "https", origin: "https://shop.example" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const settings = (await answer.json()) as { integrations: Record<string, unknown>; metrics: unknown };
    expect(settings.integrations).toEqual({
      "Segment.io": { apiKey: key.key, apiHost: "centric.example:8443/v1", protocol: "https" },
    });
    expect(settings.metrics).toEqual({ sampleRate: 0 });
  });

  it("is readable only by the pages the key allows, and unknown for a revoked key", async () => {
    await setAllowedOrigins(getDb(), { workspaceId, keyId: key.id, allowedOrigins: ["https://shop.example"] });
    const other = await get(key.key, { host: "centric.example", origin: "https://elsewhere.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const shop = await get(key.key, { host: "centric.example", origin: "https://shop.example" });
    expect(shop.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    await revokeWriteKey(getDb(), { workspaceId, keyId: key.id });
    expect((await get(key.key, { host: "centric.example" })).status).toBe(404);
    expect((await get("not-a-key", { host: "centric.example" })).status).toBe(404);
  });
});

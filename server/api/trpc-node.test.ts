import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resetEnvCache } from "~/server/env";
import { handleTrpcRequest } from "./trpc-node";

// The launcher's tRPC endpoint (and through it server/api/trpc-endpoint.ts,
// which the Next.js route serves in development): broken URLs, oversized
// bodies and other sites' pages are answered, with the API's headers.

let server: http.Server;
let base: string;

beforeAll(async () => {
  // The context names a database before the body is read; nothing here reaches it.
  process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:9/unused";
  resetEnvCache();
  server = http.createServer((req, res) => void handleTrpcRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  delete process.env.DATABASE_URL;
  resetEnvCache();
});

it("answers a broken percent-encoding in the procedure's name with a 400", async () => {
  const response = await fetch(`${base}/api/trpc/%E0%A4%A`, { signal: AbortSignal.timeout(5_000) });
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { json: { message: string; data: { code: string } } } };
  expect(body.error.json.message).toBe("The procedure's name in the URL is not valid percent-encoding.");
  expect(body.error.json.data.code).toBe("BAD_REQUEST");
});

it("answers with the security headers that Next.js's answers get from proxy.ts", async () => {
  const response = await fetch(`${base}/api/trpc/%E0%A4%A`, { signal: AbortSignal.timeout(5_000) });
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
});

it("refuses a request body over the limit without reading it all", async () => {
  const response = await fetch(`${base}/api/trpc/workspace.create`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { name: "x".repeat(9 * 1024 * 1024) } }),
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(413);
});

it("refuses a change sent by a page of another site, and lets the app's own pages through", async () => {
  const send = (origin: string) =>
    fetch(`${base}/api/trpc/workspace.create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ json: { name: "Forged" } }),
      signal: AbortSignal.timeout(5_000),
    });
  const forged = await send("https://evil.example");
  expect(forged.status).toBe(403);
  const body = (await forged.json()) as { error: { json: { message: string } } };
  expect(body.error.json.message).toMatch(/sent from a page of another site/);
  // The app's own origin passes the check and meets the next one: no session.
  expect((await send(base)).status).toBe(401);
});

it("refuses a body over the limit sent without a declared length", async () => {
  const chunk = new Uint8Array(1024 * 1024).fill(32);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 9) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const response = await fetch(`${base}/api/trpc/workspace.create`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; the DOM types do not know it.
    duplex: "half",
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(413);
});

it("is the same endpoint as the Next.js route that development uses", async () => {
  const { GET } = await import("~/app/api/trpc/[trpc]/route");
  const fromRoute = await GET(new Request("http://localhost/api/trpc/%E0%A4%A"));
  const fromLauncher = await fetch(`${base}/api/trpc/%E0%A4%A`);
  expect(fromRoute.status).toBe(fromLauncher.status);
  expect(await fromRoute.json()).toEqual(await fromLauncher.json());
  expect(fromRoute.headers.get("content-security-policy")).toBe(fromLauncher.headers.get("content-security-policy"));
});

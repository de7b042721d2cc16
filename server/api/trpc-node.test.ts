import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { handleTrpcRequest } from "./trpc-node";

// The launcher's tRPC endpoint answers a URL whose percent-encoding is broken
// with a 400, instead of throwing out of the request handler (no answer, and
// an uncaught exception in the server).

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => void handleTrpcRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("answers a broken percent-encoding in the procedure's name with a 400", async () => {
  const response = await fetch(`${base}/api/trpc/%E0%A4%A`, { signal: AbortSignal.timeout(5_000) });
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { json: { message: string; data: { code: string } } } };
  expect(body.error.json.message).toBe("The procedure's name in the URL is not valid percent-encoding.");
  expect(body.error.json.data.code).toBe("BAD_REQUEST");
});

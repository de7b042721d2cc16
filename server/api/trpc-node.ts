import "server-only";
import type http from "node:http";
import { Readable } from "node:stream";
import { answerTrpcRequest, TRPC_ENDPOINT } from "./trpc-endpoint";

// The tRPC endpoint on the launcher's own HTTP server (scripts/start.ts,
// production), ahead of Next.js: passing a request through Next.js's router
// costs more than a keyset query of a customer's timeline on a small machine
// (docs/benchmarks.md#timeline). This file only carries the request to the
// endpoint (server/api/trpc-endpoint.ts) and its answer back; `next dev`
// serves the same endpoint through the Next.js route.

export function isTrpcRequest(req: http.IncomingMessage) {
  return req.url?.startsWith(`${TRPC_ENDPOINT}/`) ?? false;
}

/** A Node request as a fetch Request, its body streamed. */
export function requestOf(req: http.IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; the DOM types do not know it.
    duplex: hasBody ? "half" : undefined,
  });
}

export async function handleTrpcRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const response = await answerTrpcRequest(requestOf(req));
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, {
    ...Object.fromEntries(response.headers),
    "content-length": body.byteLength,
  });
  res.end(body);
}

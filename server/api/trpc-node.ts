import "server-only";
import type http from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { getDb } from "~/db";
import { parseCookieHeader, sessionUserFromToken } from "~/server/auth/session-token";
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from "~/server/http/security-headers";
import { appRouter } from "~/server/root";
import { createContext, logTrpcFailure, MAX_TRPC_BODY_BYTES } from "~/server/trpc";

// The tRPC endpoint served by the launcher's HTTP server itself, ahead of
// Next.js (scripts/start.ts, production mode). Same router, procedures and
// session rules as the Next.js route (app/api/trpc), which `next dev` keeps
// using so that edits reload. Why: passing a request through Next.js's router
// costs 2-3 ms at the median and more at p95 on a small machine, more than a
// keyset query of a customer's timeline; the procedures are what they are.

export const TRPC_PATH_PREFIX = "/api/trpc/";

export function isTrpcRequest(req: http.IncomingMessage) {
  return req.url?.startsWith(TRPC_PATH_PREFIX) ?? false;
}

/** The procedure path of the URL, or undefined when its percent-encoding is broken. */
function procedurePath(url: string | undefined) {
  const pathname = new URL(url ?? "/", "http://localhost").pathname;
  try {
    return decodeURIComponent(pathname.slice(TRPC_PATH_PREFIX.length));
  } catch {
    return undefined;
  }
}

export async function handleTrpcRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // What proxy.ts adds to the answers Next.js serves: this endpoint bypasses Next.js.
  res.setHeader("content-security-policy", API_CONTENT_SECURITY_POLICY);
  for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
  const path = procedurePath(req.url);
  if (path === undefined) {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          json: {
            message: "The procedure's name in the URL is not valid percent-encoding.",
            code: -32600,
            data: { code: "BAD_REQUEST", httpStatus: 400 },
          },
        },
      }),
    );
    return;
  }
  return nodeHTTPRequestHandler({
    router: appRouter,
    req,
    res,
    path,
    maxBodySize: MAX_TRPC_BODY_BYTES,
    createContext: async () => {
      const user = await sessionUserFromToken({
        cookies: parseCookieHeader(req.headers.cookie),
        headers: req.headers,
      });
      return createContext({ db: getDb(), session: user ? { user } : null });
    },
    onError: logTrpcFailure,
  });
}

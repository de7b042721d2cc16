import type http from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { getDb } from "~/db";
import { parseCookieHeader, sessionUserFromToken } from "~/server/auth/session-token";
import { appRouter } from "~/server/root";
import { createContext, logTrpcFailure } from "~/server/trpc";

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

export function handleTrpcRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  return nodeHTTPRequestHandler({
    router: appRouter,
    req,
    res,
    path: decodeURIComponent(pathname.slice(TRPC_PATH_PREFIX.length)),
    createContext: async () => {
      const user = await sessionUserFromToken({ cookies: parseCookieHeader(req.headers.cookie), headers: req.headers });
      return createContext({ db: getDb(), session: user ? { user } : null });
    },
    onError: logTrpcFailure,
  });
}

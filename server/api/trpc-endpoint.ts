import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getDb } from "~/db";
import { parseCookieHeader, sessionUserFromToken } from "~/server/auth/session-token";
import { env } from "~/server/env";
import { readLimitedBody } from "~/server/http/limited-body";
import { isForeignOrigin } from "~/server/http/origin";
import { withApiSecurityHeaders } from "~/server/http/security-headers";
import { appRouter } from "~/server/root";
import { createContext, logTrpcFailure, MAX_TRPC_BODY_BYTES } from "~/server/trpc";

// The tRPC endpoint, /api/trpc/<procedure>: one function from a request to its
// answer, whoever carries it. In production the launcher's HTTP server calls it
// ahead of Next.js (server/api/trpc-node.ts says why); `next dev` reaches it
// through the Next.js route (app/api/trpc), so that edits to procedures reload.
// Either way the same limits, session rules, Origin check and headers apply.

export const TRPC_ENDPOINT = "/api/trpc";

function refusal(status: number, code: string, message: string) {
  return Response.json({ error: { json: { message, code: -32600, data: { code, httpStatus: status } } } }, { status });
}

/** The procedure part of the path is valid percent-encoding (the adapter would throw on it). */
function hasReadablePath(url: URL) {
  try {
    decodeURIComponent(url.pathname);
    return true;
  } catch {
    return false;
  }
}

const tooLarge = () =>
  refusal(413, "PAYLOAD_TOO_LARGE", `The request is larger than ${MAX_TRPC_BODY_BYTES / 1024 / 1024} MB.`);

async function answer(request: Request): Promise<Response> {
  if (!hasReadablePath(new URL(request.url))) {
    return refusal(400, "BAD_REQUEST", "The procedure's name in the URL is not valid percent-encoding.");
  }
  let req = request;
  if (request.body) {
    // Bounded whether or not the client declared a length.
    const body = await readLimitedBody(request, MAX_TRPC_BODY_BYTES);
    if (!body) return tooLarge();
    req = new Request(request.url, { method: request.method, headers: request.headers, body: new Uint8Array(body) });
  }
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext: async () => {
      const user = await sessionUserFromToken({
        cookies: parseCookieHeader(req.headers.get("cookie") ?? undefined),
        headers: req.headers,
      });
      return createContext({
        db: getDb(),
        session: user ? { user } : null,
        foreignOrigin: isForeignOrigin(req.headers, env().NEXTAUTH_URL),
      });
    },
    onError: logTrpcFailure,
  });
}

export async function answerTrpcRequest(request: Request): Promise<Response> {
  // What proxy.ts gives the other answers: the launcher's path bypasses Next.js.
  return withApiSecurityHeaders(await answer(request));
}

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getDb } from "~/db";
import type { NextRequest } from "next/server";
import { getSessionUserFromRequest } from "~/server/auth/session";
import { env } from "~/server/env";
import { isForeignOrigin } from "~/server/http/origin";
import { appRouter } from "~/server/root";
import { createContext, logTrpcFailure, MAX_TRPC_BODY_BYTES } from "~/server/trpc";

export const dynamic = "force-dynamic";

async function handler(req: NextRequest) {
  // `next dev` only (production serves tRPC from server/api/trpc-node.ts, which streams the limit).
  if (Number(req.headers.get("content-length")) > MAX_TRPC_BODY_BYTES) {
    return Response.json({ error: { json: { message: "The request is too large." } } }, { status: 413 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createContext({
        db: getDb(),
        session: await sessionOrNull(req),
        foreignOrigin: isForeignOrigin(req.headers, env().NEXTAUTH_URL),
      }),
    onError: logTrpcFailure,
  });
}

async function sessionOrNull(req: NextRequest) {
  const user = await getSessionUserFromRequest(req);
  return user ? { user } : null;
}

export { handler as GET, handler as POST };

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getDb } from "~/db";
import type { NextRequest } from "next/server";
import { getSessionUserFromRequest } from "~/server/auth/session";
import { appRouter } from "~/server/root";
import { createContext, logTrpcFailure } from "~/server/trpc";

export const dynamic = "force-dynamic";

async function handler(req: NextRequest) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createContext({ db: getDb(), session: await sessionOrNull(req) }),
    onError: logTrpcFailure,
  });
}

async function sessionOrNull(req: NextRequest) {
  const user = await getSessionUserFromRequest(req);
  return user ? { user } : null;
}

export { handler as GET, handler as POST };

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getDb } from "~/db";
import { getSessionUser } from "~/server/auth/session";
import { appRouter } from "~/server/root";
import { createContext } from "~/server/trpc";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createContext({ db: getDb(), session: await sessionOrNull() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`[trpc] ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

async function sessionOrNull() {
  const user = await getSessionUser();
  return user ? { user } : null;
}

export { handler as GET, handler as POST };

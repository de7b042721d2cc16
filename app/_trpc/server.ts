import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "~/db";
import { getSessionUser } from "~/server/auth/session";
import { createCaller } from "~/server/root";
import { createContext } from "~/server/trpc";

/** The signed-in user, or a redirect to the sign-in page. Once per request. */
export const requireUser = cache(async () => {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  return user;
});

/** A server-side tRPC caller for the current request, with the same checks as over HTTP. */
export const serverApi = cache(async () => {
  const user = await getSessionUser();
  return createCaller(createContext({ db: getDb(), session: user ? { user } : null }));
});

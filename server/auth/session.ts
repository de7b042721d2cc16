import "server-only";
import { getServerSession } from "next-auth";
import type { SessionUser } from "~/server/trpc";
import { authOptions } from "./options";

/** The signed-in user of the current request, or null. */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? session.user : null;
}

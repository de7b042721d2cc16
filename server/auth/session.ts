import "server-only";
import { getServerSession } from "next-auth";
import type { NextRequest } from "next/server";
import type { SessionUser } from "~/server/auth/session-user";
import { authOptions } from "./options";
import { sessionUserFromToken } from "./session-token";

/** The signed-in user of the current request, or null (server components and pages). */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? session.user : null;
}

/** The signed-in user of an API request (the tRPC route under `next dev`), from the session JWT. */
export function getSessionUserFromRequest(req: NextRequest): Promise<SessionUser | null> {
  return sessionUserFromToken(req);
}

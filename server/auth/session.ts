import "server-only";
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { env } from "~/server/env";
import type { SessionUser } from "~/server/trpc";
import { authOptions } from "./options";

/** The signed-in user of the current request, or null (server components and pages). */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? session.user : null;
}

/**
 * The signed-in user of an API request, read straight from the session JWT.
 * Cheaper than getServerSession, which runs next-auth's whole session route:
 * the tRPC endpoint answers many small calls, and its procedures check the
 * user against the database anyway.
 */
export async function getSessionUserFromRequest(req: NextRequest): Promise<SessionUser | null> {
  const { NEXTAUTH_SECRET, NEXTAUTH_URL } = env();
  const token = await getToken({ req, secret: NEXTAUTH_SECRET, secureCookie: NEXTAUTH_URL?.startsWith("https://") ?? false });
  return token?.sub ? { id: token.sub, email: token.email ?? "", name: token.name ?? "" } : null;
}

import "server-only";
import { getServerSession } from "next-auth";
import { decode, getToken } from "next-auth/jwt";
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
  const secureCookie = NEXTAUTH_URL?.startsWith("https://") ?? false;
  const token = await getToken({ req, secret: NEXTAUTH_SECRET, secureCookie, raw: true });
  if (!token || !NEXTAUTH_SECRET) return null;
  const now = Date.now();
  const hit = decodedTokens.get(token);
  if (hit && hit.until > now) return hit.user;

  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret: NEXTAUTH_SECRET });
  } catch {
    return null; // tampered, or sealed with another secret
  }
  if (!payload?.sub) return null;
  const user = { id: payload.sub, email: payload.email ?? "", name: payload.name ?? "" };
  const expires = typeof payload.exp === "number" ? payload.exp * 1000 : now;
  if (decodedTokens.size >= MAX_DECODED_TOKENS) decodedTokens.delete(decodedTokens.keys().next().value!);
  decodedTokens.set(token, { user, until: Math.min(expires, now + DECODED_TOKEN_MS) });
  return user;
}

// Decoding a session JWT derives its key with HKDF and decrypts it: about a
// millisecond of CPU on every tRPC call, the largest part of a small call's
// cost. A token's content never changes, so a decoded token is kept for a
// minute, never past its own expiry. (Signing out only deletes the cookie in
// next-auth's JWT sessions, so this keeps nothing valid that was not already.)
const decodedTokens = new Map<string, { user: SessionUser; until: number }>();
const MAX_DECODED_TOKENS = 1_000;
const DECODED_TOKEN_MS = 60_000;

import { parseCookie } from "cookie";
import { decode, getToken } from "next-auth/jwt";
import { env } from "~/server/env";
import type { SessionUser } from "~/server/auth/session-user";

// The signed-in user of an API request, read straight from the session JWT:
// cheaper than getServerSession, which runs next-auth's whole session route.
// The tRPC endpoint answers many small calls, and its procedures check the
// user against the database anyway. No "server-only" guard here: the launcher
// imports this outside Next.js (server/api/trpc-endpoint.ts).

/** What getToken reads: the request's cookies (parsed) and headers (for a Bearer token). */
export interface TokenSource {
  cookies: Record<string, string> | { getAll(): { name: string; value: string }[] };
  headers: Headers | Record<string, string | string[] | undefined>;
}

export async function sessionUserFromToken(source: TokenSource): Promise<SessionUser | null> {
  const { NEXTAUTH_SECRET, NEXTAUTH_URL } = env();
  const secureCookie = NEXTAUTH_URL?.startsWith("https://") ?? false;
  const token = await getToken({
    req: source as Parameters<typeof getToken>[0]["req"],
    secret: NEXTAUTH_SECRET,
    secureCookie,
    raw: true,
  });
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
// One cache per process: the launcher's tRPC endpoint and Next.js's server
// bundle each load a copy of this module.
const globalForTokens = globalThis as unknown as {
  centricDecodedTokens?: Map<string, { user: SessionUser; until: number }>;
};
const decodedTokens = (globalForTokens.centricDecodedTokens ??= new Map());

/** The process's cache of decoded session tokens (for tests). */
export function decodedTokenCache(): ReadonlyMap<string, unknown> {
  return decodedTokens;
}
const MAX_DECODED_TOKENS = 1_000;
const DECODED_TOKEN_MS = 60_000;

/** The cookies of a Cookie header, by name (the first of repeated names wins, as browsers send the most specific first). */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const cookies = parseCookie(header ?? "");
  return Object.fromEntries(
    Object.entries(cookies).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

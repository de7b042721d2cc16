import "server-only";
import type { DbOrTx } from "~/db";
import { env } from "~/server/env";
import { isForeignOrigin } from "~/server/http/origin";
import { originAllowed } from "~/server/writekeys/origins";
import { someActiveKeyAllowsOrigin } from "~/server/writekeys/writekeys";

// Cross-origin access to the tracking API from browser pages. A write key may
// name the origins allowed to use it (server/writekeys/origins.ts); empty, any
// page may, as with Segment. A preflight carries no credentials, so it cannot
// name the key: it is allowed for an origin that some active key allows, and
// the POST that follows is checked against its own key (server/ingest/http.ts).

/**
 * The request headers the tracking clients send: Segment's analytics-next (the
 * Basic auth, text/plain bodies, X-Retry-Count) and RudderStack's v3 SDK (the
 * AnonymousId and SentAt headers, and its Rsa-* retry details), plus compressed bodies.
 */
export const ALLOWED_REQUEST_HEADERS = [
  "Authorization",
  "Content-Type",
  "Content-Encoding",
  "AnonymousId",
  "SentAt",
  "X-Retry-Count",
  "Rsa-Recovered",
  "Rsa-Retry-Attempt",
  "Rsa-Since-Last-Attempt",
  "Rsa-Since-First-Attempt",
  "Rsa-Retry-Reason",
];

const sharedHeaders = {
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": ALLOWED_REQUEST_HEADERS.join(", "),
  // Browsers cap it (Chromium at two hours); a changed list of origins takes effect within it.
  "Access-Control-Max-Age": "86400",
  // A script in a browser may read when to retry.
  "Access-Control-Expose-Headers": "Retry-After",
};

/**
 * The CORS headers of an answer to a request from `origin`: the origin echoed,
 * since answers differ by origin once keys list theirs (hence Vary), or `*` for
 * a request without one (a server), which no browser reads. `shared` names the
 * methods and headers of another API (the profile API's are GET and Authorization).
 */
export function corsHeaders(
  origin: string | null,
  shared: Record<string, string> = sharedHeaders,
): Record<string, string> {
  return origin === null
    ? { ...shared, "Access-Control-Allow-Origin": "*" }
    : { ...shared, "Access-Control-Allow-Origin": origin, Vary: "Origin" };
}

/** Puts the CORS headers for the request's origin on an answer of the tracking API. */
export function withCorsHeaders(request: Request, response: Response): Response {
  for (const [name, value] of Object.entries(corsHeaders(request.headers.get("origin")))) {
    response.headers.set(name, value);
  }
  return response;
}

/** The answer to a CORS preflight (OPTIONS) of the tracking API. */
export async function preflight(db: DbOrTx, request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin === null || (await someActiveKeyAllowsOrigin(db, origin))) {
    return new Response(null, { status: 204, headers: corsHeaders(origin) });
  }
  // Without Access-Control-Allow-Origin the browser does not send the request; the text is for its developer tools.
  return new Response(
    `No write key allows pages of ${origin} to send events. An admin adds the origin to the key in Settings → API keys.`,
    { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", Vary: "Origin" } },
  );
}

/**
 * Whether the request may use a key that allows `allowedOrigins`: a server (no
 * Origin), a page the key allows, or Centric's own pages (Settings → API keys
 * sends a test event with the key).
 */
export function originMayUseKey(request: Request, allowedOrigins: readonly string[]): boolean {
  return (
    originAllowed(allowedOrigins, request.headers.get("origin")) ||
    !isForeignOrigin(request.headers, env().NEXTAUTH_URL)
  );
}

/** Why a request from a page whose origin its key does not allow was refused. */
export function originRefusal(origin: string): string {
  return `This write key does not allow pages of ${origin} to send events: an admin adds the origin to the key's allowed origins in Settings → API keys.`;
}

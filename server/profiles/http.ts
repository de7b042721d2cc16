import "server-only";
import type { Database } from "~/db";
import { env } from "~/server/env";
import { corsHeaders, originMayUseKey } from "~/server/ingest/cors";
import { MessageRateLimiter } from "~/server/ingest/rate-limit";
import { unstorableReason } from "~/server/storable-text";
import { isWellFormedWriteKey } from "~/server/writekeys/writekeys";
import { findProfile } from "./profile";
import { findReadKey, someReadKeyAllowsOrigin } from "./read-keys";

// The profile API: GET /v1/profiles/{id} (also /api/v1/profiles/{id}) answers a
// customer's profile to the organisation's own site or app, authenticated by a
// read key (./read-keys.ts) as `Authorization: Bearer <key>`, or as the HTTP Basic
// user name like a write key. `id` is a userId, or an anonymousId with
// ?type=anonymous. Errors are JSON { error }, never the server's internals.
// Reference: docs/profiles-api.md.

/** Longer ids are not stored by the tracking API either (Segment caps ids well below). */
const MAX_ID_LENGTH = 500;

const shared = {
  "Access-Control-Allow-Methods": "GET, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization",
  "Access-Control-Max-Age": "86400",
  "Access-Control-Expose-Headers": "Retry-After",
};

const INTERNAL_ERROR =
  "Something went wrong on the server. It has been logged; send the request again in a moment.";

/** A profile answers one visitor at one moment: neither browsers nor proxies keep it. */
const NO_STORE = { "Cache-Control": "private, no-store" };

function fail(status: number, error: string, headers: Record<string, string> = {}) {
  return Response.json({ error }, { status, headers });
}

function readKeyFrom(request: Request): string | undefined {
  const header = request.headers.get("authorization")?.trim();
  if (!header) return undefined;
  const space = header.indexOf(" ");
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1).trim();
  if (space > 0 && scheme === "bearer" && credentials) return credentials;
  if (space > 0 && scheme === "basic") {
    const user = Buffer.from(credentials, "base64").toString("utf8").split(":")[0];
    if (user) return user;
  }
  return undefined;
}

// One limiter per process: the launcher (./node.ts) and Next.js's server bundle each load a copy of this module.
const globalForLimiter = globalThis as unknown as { centricProfileLimiter?: MessageRateLimiter };

/** The process's limiter, from CENTRIC_PROFILE_RATE and CENTRIC_PROFILE_BURST. */
function processLimiter() {
  globalForLimiter.centricProfileLimiter ??= new MessageRateLimiter({
    perSecond: env().CENTRIC_PROFILE_RATE,
    burst: env().CENTRIC_PROFILE_BURST,
  });
  return globalForLimiter.centricProfileLimiter;
}

export interface ProfileRequestOptions {
  /** Requests per key; the process's own unless a test brings one. */
  limiter?: MessageRateLimiter;
}

/**
 * The answer to GET /v1/profiles/{id}, `id` decoded from the path; undefined when
 * the path's percent-encoding is not valid (a 400).
 */
export async function handleProfileRequest(
  db: Database,
  request: Request,
  id: string | undefined,
  options: ProfileRequestOptions = {},
): Promise<Response> {
  let response: Response;
  try {
    response =
      id === undefined
        ? fail(400, "The id in the path is not valid percent-encoding (UTF-8, each byte as %XX).")
        : await answer(db, request, id, options.limiter ?? processLimiter());
  } catch (error) {
    console.error("[profiles] /v1/profiles failed:", error);
    response = fail(500, INTERNAL_ERROR);
  }
  for (const [name, value] of Object.entries({
    ...corsHeaders(request.headers.get("origin"), shared),
    ...NO_STORE,
  })) {
    response.headers.set(name, value);
  }
  return response;
}

async function answer(db: Database, request: Request, rawId: string, limiter: MessageRateLimiter) {
  const readKey = readKeyFrom(request);
  if (!readKey) {
    return fail(401, "Missing read key: send it as `Authorization: Bearer <read key>`.", {
      "WWW-Authenticate": 'Bearer realm="Centric profiles"',
    });
  }
  if (isWellFormedWriteKey(readKey)) {
    return fail(
      401,
      "This is a write key, which can only send events. Reading profiles takes a read key (Settings → API keys → Read keys).",
    );
  }
  const key = await findReadKey(db, readKey);
  if (!key) return fail(401, "Invalid read key: it does not exist or has been revoked.");
  const origin = request.headers.get("origin");
  if (!originMayUseKey(request, key.allowedOrigins)) {
    return fail(
      403,
      `This read key does not allow pages of ${origin} to read profiles: an admin adds the origin to the key in Settings → API keys.`,
    );
  }
  const allowed = limiter.take(key.keyId, 1);
  if (!allowed.ok) {
    const { perSecond, burst } = limiter.limit;
    return fail(
      429,
      `Rate limit: a read key may make ${perSecond} requests a second, up to ${burst} at once. Retry after ${allowed.retryAfterSeconds} s.`,
      { "Retry-After": String(allowed.retryAfterSeconds) },
    );
  }

  const type = new URL(request.url).searchParams.get("type") ?? "user";
  if (type !== "user" && type !== "anonymous") {
    return fail(
      400,
      "type must be “user” (the default: the id is a userId) or “anonymous” (an anonymousId).",
    );
  }
  const id = rawId.trim();
  if (!id)
    return fail(400, "The path names no id: GET /v1/profiles/{userId}, or {anonymousId}?type=anonymous.");
  if (id.length > MAX_ID_LENGTH) return fail(400, `The id is longer than ${MAX_ID_LENGTH} characters.`);
  const unstorable = unstorableReason(id);
  // No such text is ever stored, so no customer has it.
  if (unstorable) return fail(404, `No customer has that ${type === "user" ? "userId" : "anonymousId"}.`);

  const profile = await findProfile(db, {
    workspaceId: key.workspaceId,
    kind: type === "user" ? "user_id" : "anonymous_id",
    value: id,
  });
  if (!profile) {
    return fail(404, `No customer has that ${type === "user" ? "userId" : "anonymousId"}.`);
  }
  return Response.json(profile);
}

/** The answer to a CORS preflight: allowed for an origin some active read key allows, as a preflight names no key. */
export async function profilePreflight(db: Database, request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin === null || (await someReadKeyAllowsOrigin(db, origin))) {
    return new Response(null, { status: 204, headers: corsHeaders(origin, shared) });
  }
  return new Response(
    `No read key allows pages of ${origin} to read profiles. An admin adds the origin to a read key in Settings → API keys.`,
    { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", Vary: "Origin" } },
  );
}

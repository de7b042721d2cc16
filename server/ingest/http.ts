import "server-only";
import type { DbOrTx } from "~/db";
import type { RefusalReason } from "~/db/enums";
import { env } from "~/server/env";
import { readDecompressedBody } from "~/server/http/decompressed-body";
import { findWorkspaceByWriteKey } from "~/server/writekeys/writekeys";
import { originMayUseKey, originRefusal, withCorsHeaders } from "./cors";
import { ingestMessages } from "./ingest";
import { MessageRateLimiter } from "./rate-limit";
import { excerptOf, excerptOfText, RefusalLog } from "./refusals";

// Segment's HTTP Tracking API on Centric: POST /api/v1/{identify, track, page,
// screen, group, alias, batch} (also reachable as /v1/…, Segment's own paths,
// so a client library needs only the host), and the short paths Segment's
// browser SDK posts to (/v1/t, /p, /i, /s, /g, /a, /b). The write key is the
// HTTP Basic user name, as Segment has it; a `writeKey` field in the body is
// accepted too (analytics-node sends both, analytics-next only the field).
// Bodies may be gzip or deflate compressed. Errors are JSON: { success: false, error }.

export const singleTypes = ["identify", "track", "page", "screen", "group", "alias"] as const;

/** The other names of the endpoints: Segment's short paths, and /v1/import, Segment's batch for history. */
const endpointAliases: Record<string, string> = {
  t: "track",
  p: "page",
  i: "identify",
  s: "screen",
  g: "group",
  a: "alias",
  b: "batch",
  import: "batch",
};

/** The endpoint a path's last segment names, or undefined. */
export function endpointOf(path: string): string | undefined {
  const name = Object.hasOwn(endpointAliases, path) ? endpointAliases[path]! : path;
  return name === "batch" || (singleTypes as readonly string[]).includes(name) ? name : undefined;
}
export const MAX_BATCH_BYTES = 500 * 1024;
const MAX_SINGLE_BYTES = 32 * 1024;

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers });
}

function fail(status: number, error: string) {
  return json(status, { success: false, error });
}

function writeKeyFrom(request: Request, body: unknown): string | undefined {
  const header = request.headers.get("authorization");
  if (header?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const user = decoded.split(":")[0];
    if (user) return user;
  }
  const fromBody = (body as { writeKey?: unknown } | null)?.writeKey;
  return typeof fromBody === "string" && fromBody ? fromBody : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

let defaultLimiter: MessageRateLimiter | undefined;

/** The process's limiter, from CENTRIC_TRACKING_RATE and CENTRIC_TRACKING_BURST. */
function processLimiter() {
  defaultLimiter ??= new MessageRateLimiter({
    perSecond: env().CENTRIC_TRACKING_RATE,
    burst: env().CENTRIC_TRACKING_BURST,
  });
  return defaultLimiter;
}

const count = (n: number) => n.toLocaleString("en");

function rateLimited(limiter: MessageRateLimiter, messages: number, retryAfterSeconds: number) {
  const { perSecond, burst } = limiter.limit;
  const what = messages === 1 ? "1 message" : `${count(messages)} messages`;
  return json(
    429,
    {
      success: false,
      error:
        `Rate limit: a write key may send ${count(perSecond)} messages a second, up to ${count(burst)} at once; ` +
        `this request of ${what} is over it. Retry after ${retryAfterSeconds} s.`,
    },
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/** One record of refusals per process, like the limiter; tests bring their own. */
const processRefusals = new RefusalLog();

export interface TrackingOptions {
  /** The per-key message limits; the process's own unless a test brings one. */
  limiter?: MessageRateLimiter;
  /** Where refused messages are recorded; the process's own unless a test brings one. */
  refusals?: RefusalLog;
}

/** What a caller is told of a failure of the server's own: nothing of its internals. */
const INTERNAL_ERROR =
  "Something went wrong on the server. It has been logged; send the request again in a moment.";

export async function handleTrackingRequest(
  db: DbOrTx,
  request: Request,
  type: string,
  options: TrackingOptions = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await answer(db, request, type, {
      limiter: options.limiter ?? processLimiter(),
      refusals: options.refusals ?? processRefusals,
    });
  } catch (error) {
    console.error(`[ingest] /v1/${type} failed:`, error);
    response = fail(500, INTERNAL_ERROR);
  }
  return withCorsHeaders(request, response);
}

async function answer(
  db: DbOrTx,
  request: Request,
  path: string,
  { limiter, refusals }: Required<TrackingOptions>,
) {
  const type = endpointOf(path);
  if (!type) {
    return fail(
      404,
      `Unknown endpoint /v1/${path}: use identify, track, page, screen, group, alias or batch (or Segment's short paths t, p, i, s, g, a, b).`,
    );
  }
  const isBatch = type === "batch";
  /**
   * A request refused whole before its write key was read from the body: recorded
   * under the key of the Authorization header, when it names an active one.
   */
  const refuseWhole = async (
    status: number,
    reason: RefusalReason,
    error: string,
    excerpt: (key: string) => string | null,
  ) => {
    const headerKey = writeKeyFrom(request, null);
    const key = headerKey ? await findWorkspaceByWriteKey(db, headerKey) : undefined;
    if (key) refusals.note(db, key, [{ reason, error, excerpt: excerpt(headerKey!), position: null }]);
    return fail(status, error);
  };

  const limit = isBatch ? MAX_BATCH_BYTES : MAX_SINGLE_BYTES;
  const read = await readDecompressedBody(request, limit);
  if (!read.ok) {
    if (read.problem === "too_large") {
      return refuseWhole(413, "too_large", `${read.error}, the limit for /v1/${type}.`, () => null);
    }
    return refuseWhole(
      read.problem === "unsupported_encoding" ? 415 : 400,
      "malformed",
      read.error,
      () => null,
    );
  }
  const text = read.body.toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return refuseWhole(400, "malformed", `Malformed JSON: ${(error as Error).message}`, (key) =>
      excerptOfText(text, key),
    );
  }
  if (!isObject(body)) {
    return refuseWhole(400, "malformed", "The body must be a JSON object.", (key) =>
      excerptOfText(text, key),
    );
  }

  const writeKey = writeKeyFrom(request, body);
  if (!writeKey) {
    return fail(401, "Missing write key: send it as the HTTP Basic user name (curl -u WRITE_KEY: …).");
  }
  const key = await findWorkspaceByWriteKey(db, writeKey);
  if (!key) return fail(401, "Invalid write key: it does not exist or has been revoked.");
  if (!originMayUseKey(request, key.allowedOrigins)) {
    const error = originRefusal(request.headers.get("origin")!);
    refusals.note(db, key, [{ reason: "origin_not_allowed", error, excerpt: null, position: null }]);
    return fail(403, error);
  }

  // Messages are counted, not requests: a batch of 100 costs 100.
  const size = isBatch && Array.isArray(body.batch) ? body.batch.length : 1;
  const allowed = limiter.take(key.keyId, size);
  if (!allowed.ok) {
    // Counted, not kept: a sender over its limit would otherwise fill the examples with repeats.
    refusals.noteCount(db, key, "rate_limited", size);
    return rateLimited(limiter, size, allowed.retryAfterSeconds);
  }

  let messages: unknown[];
  if (isBatch) {
    if (!Array.isArray(body.batch)) {
      const error = "batch: must be an array of messages.";
      refusals.note(db, key, [
        { reason: "malformed", error, excerpt: excerptOf(body, writeKey), position: null },
      ]);
      return fail(400, error);
    }
    // Batch-level context applies to every message; a message's own context wins.
    const shared = isObject(body.context) ? body.context : {};
    messages = body.batch.map((message) =>
      isObject(message)
        ? { ...message, context: { ...shared, ...(isObject(message.context) ? message.context : {}) } }
        : message,
    );
  } else {
    messages = [{ ...body, type }];
  }

  const result = await ingestMessages(db, { workspaceId: key.workspaceId, messages, source: "api" });
  refusals.note(
    db,
    key,
    result.rejected.map((r) => ({
      reason: r.reason,
      error: r.error,
      excerpt: excerptOf(messages[r.index], writeKey),
      position: isBatch ? r.index : null,
    })),
  );
  if (!isBatch) {
    const problem = result.rejected[0];
    return problem ? fail(400, problem.error) : json(200, { success: true });
  }
  const answered = { ...result, rejected: result.rejected.map(({ index, error }) => ({ index, error })) };
  const stored = result.accepted + result.duplicates;
  if (stored === 0 && result.rejected.length > 0) {
    return json(400, { success: false, error: "No message in the batch was valid.", ...answered });
  }
  return json(200, { success: true, ...answered });
}

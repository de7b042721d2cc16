import "server-only";
import type { DbOrTx } from "~/db";
import { env } from "~/server/env";
import { originMayUseKey } from "~/server/ingest/cors";
import { requestOrigin } from "~/server/http/request-origin";
import { allowedOriginsOfActiveKey } from "~/server/writekeys/writekeys";

// The settings document @segment/analytics-next fetches on load from
// <cdnURL>/v1/projects/<writeKey>/settings, which Segment's CDN serves from the
// source's configuration. Centric answers it from the write key: the one
// destination is Segment.io pointed at this Centric's tracking API, with no
// device-mode destinations, middleware or plan, and the library's own metrics off.

export function analyticsNextSettings(writeKey: string, centricOrigin: string) {
  const { protocol, host } = new URL(centricOrigin);
  return {
    integrations: {
      "Segment.io": { apiKey: writeKey, apiHost: `${host}/v1`, protocol: protocol.slice(0, -1) },
    },
    plan: {},
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    // Its error counters would be posted to <apiHost>/m, which is not a tracking call.
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}

/** GET /v1/projects/<writeKey>/settings: the document for an active key, readable by the pages it allows. */
export async function answerSettingsRequest(db: DbOrTx, request: Request, writeKey: string): Promise<Response> {
  const allowedOrigins = await allowedOriginsOfActiveKey(db, writeKey);
  if (!allowedOrigins) {
    return Response.json({ error: "Invalid write key: it does not exist or has been revoked." }, { status: 404 });
  }
  const origin = request.headers.get("origin");
  const centric = requestOrigin(request.headers, env().NEXTAUTH_URL ?? new URL(request.url).origin);
  const headers: Record<string, string> = {
    // Short: a key revoked or given other origins is seen within a minute.
    "Cache-Control": "public, max-age=60",
    Vary: "Origin",
  };
  if (origin && originMayUseKey(request, allowedOrigins)) headers["Access-Control-Allow-Origin"] = origin;
  return Response.json(analyticsNextSettings(writeKey, centric), { headers });
}

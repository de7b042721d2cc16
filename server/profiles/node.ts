import "server-only";
import type http from "node:http";
import { getDb, type Database } from "~/db";
import { requestOf } from "~/server/api/trpc-node";
import { handleProfileRequest, profilePreflight } from "./http";

// The profile API on the launcher's own HTTP server (scripts/start.ts,
// production), ahead of Next.js, as tRPC is (server/api/trpc-node.ts): a
// profile is a couple of index probes, and Next.js's router would cost more
// than they do. Its route (app/api/v1/profiles/[id]) answers under `next dev`.
// Here the id is decoded from the path by this code, so a malformed
// percent-encoding is a 400 rather than Next.js's bare 500.

const PROFILE_PATH = /^\/(?:api\/)?v1\/profiles\/([^/?#]+)(?:[?#]|$)/;

export function isProfileRequest(req: http.IncomingMessage) {
  return req.url !== undefined && PROFILE_PATH.test(req.url);
}

function decodedId(encoded: string) {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

async function answer(req: http.IncomingMessage, request: Request, db: Database): Promise<Response> {
  if (req.method === "OPTIONS") return profilePreflight(db, request);
  if (req.method !== "GET" && req.method !== "HEAD") {
    return Response.json(
      { error: `The profile API answers GET (and OPTIONS for CORS), not ${req.method}.` },
      { status: 405, headers: { Allow: "GET, HEAD, OPTIONS" } },
    );
  }
  return handleProfileRequest(db, request, decodedId(PROFILE_PATH.exec(req.url!)![1]!));
}

export async function handleProfileNodeRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  db: Database = getDb(),
) {
  const response = await answer(req, requestOf(req), db);
  const body = req.method === "HEAD" ? Buffer.alloc(0) : Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, {
    ...Object.fromEntries(response.headers),
    "content-length": body.byteLength,
  });
  res.end(body);
}

import "server-only";
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

// analytics.js from Centric instead of Segment's CDN: the standalone build of
// @segment/analytics-next (what the standard snippet loads) and the chunks it
// loads on demand, read from the installed package. The snippet sets
// `analytics._cdn` to Centric, so the bundle fetches its chunks from
// <Centric>/analytics-next/bundles/ and its settings from <Centric>/v1/projects/….

const DIST = path.join(process.cwd(), "node_modules", "@segment", "analytics-next", "dist", "umd");
export const STANDALONE = "standalone.js";

let served: Set<string> | undefined;

/** The package's scripts: only these names are ever read, so a request cannot name another file. */
function servedFiles(): Set<string> {
  served ??= new Set(readdirSync(DIST).filter((name) => name.endsWith(".js")));
  return served;
}

/**
 * One of the bundle's scripts (Next.js compresses it for clients that take it).
 * The chunks' names carry their content hash, so they are cached for good; the
 * standalone script's name does not.
 */
export async function answerBundleRequest(file: string): Promise<Response> {
  if (!servedFiles().has(file)) {
    return new Response("No such file of analytics.js.", { status: 404, headers: { "Content-Type": "text/plain" } });
  }
  const body = await readFile(path.join(DIST, file));
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control":
        file === STANDALONE ? "public, max-age=86400" : "public, max-age=31536000, immutable",
      // Loaded by other sites' pages by design.
      "Cross-Origin-Resource-Policy": "cross-origin",
    },
  });
}

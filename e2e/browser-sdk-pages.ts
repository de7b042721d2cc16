import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";

// The browser tracking clients as a site would ship them: each bundled from
// node_modules with esbuild, unmodified, into a script that a page served from
// another port, so another origin than Centric's, loads. CORS is then the
// browser's real one.

const repoRoot = path.join(import.meta.dirname, "..");

/** Each client's entry: the package's own export, put on window for the test to drive. */
const entries = {
  // The npm package, as a bundler resolves it for the browser.
  "analytics-next": `import { AnalyticsBrowser } from "@segment/analytics-next"; window.AnalyticsBrowser = AnalyticsBrowser;`,
  // v3's build with its plugins inside: nothing is fetched from RudderStack's CDN.
  rudderstack: `import { RudderAnalytics } from "@rudderstack/analytics-js/bundled"; window.RudderAnalytics = RudderAnalytics;`,
} as const;

export type BrowserSdk = keyof typeof entries;

export async function bundleSdk(sdk: BrowserSdk): Promise<string> {
  const result = await build({
    stdin: { contents: entries[sdk], resolveDir: repoRoot, loader: "js" },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return result.outputFiles[0]!.text;
}

export interface PageServer {
  /** scheme://host:port of the pages: not Centric's. */
  origin: string;
  /** Serves `body` at `pathname` from now on. */
  serve(pathname: string, contentType: string, body: string): void;
  close(): Promise<void>;
}

/** A plain HTTP server of a few files on 127.0.0.1, on a port of the system's choosing. */
export async function startPageServer(): Promise<PageServer> {
  const files = new Map<string, { contentType: string; body: string }>();
  const server = http.createServer((request, response) => {
    const file = files.get(new URL(request.url ?? "/", "http://pages").pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": file.contentType, "Cache-Control": "no-store" }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (pathname, contentType, body) => files.set(pathname, { contentType, body }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A page of the shop: an empty body and the given scripts in its head. */
export function shopPage(head: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${head}</head><body><h1>Shop</h1></body></html>`;
}

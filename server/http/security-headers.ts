// What the browser may do with a Centric answer. Pages get a Content Security
// Policy with a fresh nonce per request (proxy.ts): Next.js marks its own
// inline scripts with it, so no other inline script runs, and 'strict-dynamic'
// lets those scripts load the app's chunks. API answers are data: nothing in
// them may load or run. Served by Next.js through proxy.ts, and by the
// launcher's own tRPC endpoint (server/api/trpc-node.ts) and the import
// upload, which proxy.ts leaves alone.

/** On every answer: no MIME guessing, no framing, no full URLs to other sites, no powerful features. */
export const securityHeaders: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** For JSON and files: nothing in them may load, run or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** An API answer with the headers proxy.ts gives the others, for the routes that proxy.ts does not see. */
export function withApiSecurityHeaders(response: Response): Response {
  response.headers.set("content-security-policy", API_CONTENT_SECURITY_POLICY);
  for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
  return response;
}

export function pageContentSecurityPolicy(options: { nonce: string; dev: boolean; https: boolean }): string {
  const { nonce, dev, https } = options;
  const directives = [
    "default-src 'self'",
    // React needs eval for its debugging aids in development only.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // The dev server injects styles of its own, without the nonce.
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    // Style attributes (React's style prop, the journey canvas's positions) cannot carry a nonce;
    // they cannot run script either.
    "style-src-attr 'unsafe-inline'",
    // Charts and journey exports are drawn to data: and blob: images.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only behind https: on plain http (localhost, a LAN address) it would break every asset.
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** A nonce for one page: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

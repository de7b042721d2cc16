// Cross-site request forgery: a browser names the page that sent a request in
// its Origin header on every POST, PUT, PATCH and DELETE, same site or not,
// and a page cannot forge it. A state-changing request whose Origin is another
// site is refused; one without an Origin comes from a program, not a page.

const STATE_CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isStateChanging(method: string) {
  return STATE_CHANGING_METHODS.has(method.toUpperCase());
}

/**
 * Whether the request's Origin is present and is not Centric's own. Own means
 * the configured public URL (NEXTAUTH_URL), or the host the browser sent the
 * request to (Host, or X-Forwarded-Host behind a proxy): Centric answers under
 * whatever name and port it is reached by (localhost, 127.0.0.1, a LAN name).
 * An Origin of "null" (a sandboxed frame, a file) is never own.
 */
export function isForeignOrigin(headers: Headers, publicUrl: string | undefined): boolean {
  const origin = headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    const url = new URL(origin);
    if (publicUrl && url.origin === new URL(publicUrl).origin) return false;
    originHost = url.host;
  } catch {
    return true;
  }
  const requestHosts = [headers.get("host"), headers.get("x-forwarded-host")?.split(",")[0]]
    .map((host) => host?.trim().toLowerCase())
    .filter(Boolean);
  return !requestHosts.includes(originHost);
}

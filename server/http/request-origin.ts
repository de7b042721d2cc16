// The address a client reached Centric at (scheme://host[:port]), from the
// request's Host, or X-Forwarded-Host and X-Forwarded-Proto behind a proxy:
// what examples and the settings analytics.js fetches must name, so that they
// work as they are wherever Centric is reached from.

export function requestOrigin(headers: Headers, fallback: string): string {
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return host ? `${proto}://${host}` : fallback;
}

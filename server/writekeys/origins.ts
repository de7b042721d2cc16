import { z } from "zod";

// A write key's allowed origins: the web pages whose browsers may send events
// with it. Browsers name a page's origin as scheme://host[:port] (RFC 6454),
// lower-case and without the scheme's default port, so each entry is stored in
// that form and compared as a string. Pure: the form in Settings checks with it too.

/** More than a key needs: a site, its staging copies and a few apps. */
export const MAX_ALLOWED_ORIGINS = 50;

export type OriginCheck = { ok: true; origin: string } | { ok: false; error: string };

/** One origin as a person typed it, in the form browsers send, or why it is not one. */
export function parseOrigin(text: string): OriginCheck {
  const typed = text.trim();
  const quoted = `“${typed}”`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(typed)) {
    return { ok: false, error: `${quoted} needs its scheme: write https://${typed || "example.com"}.` };
  }
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return { ok: false, error: `${quoted} is not a web address: write scheme://host[:port].` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, error: `${quoted}: a page's origin starts with https:// or http://.` };
  }
  if (url.username || url.password) {
    return { ok: false, error: `${quoted}: an origin has no user name or password.` };
  }
  // The root path "/" is what URL gives an address without one; a trailing slash typed is let pass.
  if (url.pathname !== "/" || url.search || url.hash || /[?#]/.test(typed)) {
    return {
      ok: false,
      error: `${quoted} has a path: an origin is scheme://host[:port] only, e.g. ${url.origin}.`,
    };
  }
  return { ok: true, origin: url.origin };
}

/** The list as stored: each origin in browser form, once, in the order given. */
export const ZAllowedOrigins = z
  .array(z.string().max(300, "An origin is at most 300 characters"))
  .max(MAX_ALLOWED_ORIGINS, `A key allows at most ${MAX_ALLOWED_ORIGINS} origins`)
  .transform((entries, ctx) => {
    const origins: string[] = [];
    for (const entry of entries) {
      const check = parseOrigin(entry);
      if (!check.ok) ctx.addIssue({ code: "custom", message: check.error });
      else if (!origins.includes(check.origin)) origins.push(check.origin);
    }
    return origins;
  });

/** Whether a request from `origin` may use a key that allows `allowed`: no Origin (a server) always may. */
export function originAllowed(allowed: readonly string[], origin: string | null): boolean {
  return origin === null || allowed.length === 0 || allowed.includes(origin);
}

import { NextResponse, type NextRequest } from "next/server";
import { env } from "~/server/env";
import {
  API_CONTENT_SECURITY_POLICY,
  newNonce,
  pageContentSecurityPolicy,
  securityHeaders,
} from "~/server/http/security-headers";
import { LAST_WORKSPACE_COOKIE, workspaceSlugOfPath } from "~/server/workspaces/last-workspace";

// Security headers on every answer Next.js serves (server/http/security-headers.ts).
// A page's Content-Security-Policy is also set on the request: Next.js reads the
// nonce from it and puts it on the scripts and styles it renders.

/** An unsubscribe link, /u/<token>: its page answers GET; a POST is RFC 8058's one-click unsubscribe. */
const UNSUBSCRIBE_LINK = /^\/u\/[^/]+$/;

export function proxy(request: NextRequest) {
  let response: NextResponse;
  let policy: string;
  if (request.nextUrl.pathname.startsWith("/api/")) {
    policy = API_CONTENT_SECURITY_POLICY;
    response = NextResponse.next();
  } else {
    const { NODE_ENV, NEXTAUTH_URL } = env();
    policy = pageContentSecurityPolicy({
      nonce: newNonce(),
      dev: NODE_ENV === "development",
      https: NEXTAUTH_URL?.startsWith("https://") ?? false,
    });
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", policy);
    response =
      request.method === "POST" && UNSUBSCRIBE_LINK.test(request.nextUrl.pathname)
        ? NextResponse.rewrite(new URL(`${request.nextUrl.pathname}/unsubscribe`, request.url), {
            request: { headers },
          })
        : NextResponse.next({ request: { headers } });
  }
  rememberWorkspace(request, response);
  response.headers.set("content-security-policy", policy);
  for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
  return response;
}

/** A page of a workspace sets the cookie that "/" opens it again by (a year, this site's pages only). */
function rememberWorkspace(request: NextRequest, response: NextResponse) {
  const slug = workspaceSlugOfPath(request.nextUrl.pathname);
  if (!slug || request.cookies.get(LAST_WORKSPACE_COOKIE)?.value === slug) return;
  response.cookies.set(LAST_WORKSPACE_COOKIE, slug, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    maxAge: 365 * 24 * 3600,
    secure: request.nextUrl.protocol === "https:",
  });
}

export const config = {
  // Not the build's hashed assets, and not the tracking API (/v1, /api/v1): it
  // answers other sites by design and is the hottest path. Not the import upload
  // either: Next.js buffers a request's body for the proxy, cut at 10 MB, and the
  // route would store a larger file's first 10 MB as the file (it sets its own headers).
  matcher: ["/((?!_next/static|_next/image|api/v1/|v1/|api/imports/upload).*)"],
};

import { getDb } from "~/db";
import { readLimitedBody } from "~/server/http/limited-body";
import { unsubscribeWithToken } from "~/server/consent/unsubscribe";

// POST /u/<token>/unsubscribe: the unsubscribe page's button, and (rewritten here by proxy.ts)
// POST /u/<token>, the one-click unsubscribe of RFC 8058 that mail clients send to the
// List-Unsubscribe address with the body "List-Unsubscribe=One-Click". No sign-in: the token is
// the authority. A GET never unsubscribes: only POST is answered here.

export const dynamic = "force-dynamic";

/** A one-click body is one short form field; anything larger is not one. */
const MAX_BODY_BYTES = 1024;

function text(status: number, body: string) {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/** RFC 8058 allows the one-click body as application/x-www-form-urlencoded or multipart/form-data. */
async function isOneClick(body: Buffer, contentType: string | null) {
  try {
    const form = await new Response(new Uint8Array(body), {
      headers: { "content-type": contentType ?? "application/x-www-form-urlencoded" },
    }).formData();
    return form.get("List-Unsubscribe") === "One-Click";
  } catch {
    // Not a form at all: the page's own button sends an empty one, so this is neither.
    return false;
  }
}

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const body = await readLimitedBody(request, MAX_BODY_BYTES);
  if (body === undefined) return text(413, "The request body is too large for an unsubscribe.");
  const oneClick = await isOneClick(body, request.headers.get("content-type"));
  const outcome = await unsubscribeWithToken(getDb(), token);
  if (outcome.kind === "invalid") return text(400, "This unsubscribe link is not valid.");
  if (outcome.kind === "gone") return text(404, "This unsubscribe link no longer works.");
  if (oneClick) return text(200, `Unsubscribed from ${outcome.channel} from ${outcome.workspaceName}.`);
  // The button: back to the page, which now says so.
  return new Response(null, {
    status: 303,
    headers: { location: `/u/${token}`, "cache-control": "no-store" },
  });
}

import "server-only";
import crypto from "node:crypto";
import { z } from "zod";
import { channels, type Channel } from "~/db/enums";
import { derivedAppKey } from "~/server/destinations/secret-box";
import { env } from "~/server/env";

// The unsubscribe token: which workspace, customer and channel a link is for,
// signed with HMAC-SHA256 under a key derived from the app's secret. It never
// expires (an email is read months later); the version prefix lets a later
// format or key change refuse old links deliberately rather than misread them.

const VERSION = "v1";

export interface UnsubscribeTarget {
  workspaceId: string;
  customerId: string;
  channel: Channel;
}

const ZTarget = z.tuple([z.uuid(), z.uuid(), z.enum(channels)]);

function appSecret(given?: string) {
  const secret = given ?? env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("The app has no NEXTAUTH_SECRET to sign unsubscribe links with.");
  return secret;
}

function mac(payload: string, secret?: string) {
  return crypto
    .createHmac("sha256", derivedAppKey("unsubscribe-links", appSecret(secret)))
    .update(`${VERSION}.${payload}`)
    .digest();
}

/** `v1.<workspace:customer:channel, base64url>.<HMAC, base64url>` */
export function signUnsubscribeToken(target: UnsubscribeTarget, secret?: string): string {
  const payload = Buffer.from(`${target.workspaceId}:${target.customerId}:${target.channel}`).toString(
    "base64url",
  );
  return `${VERSION}.${payload}.${mac(payload, secret).toString("base64url")}`;
}

/** What a token is for, or null when it was not made by this Centric (forged, altered, cut short, unknown version). */
export function verifyUnsubscribeToken(token: string, secret?: string): UnsubscribeTarget | null {
  if (token.length > 300) return null;
  const [version, payload, signature, ...rest] = token.split(".");
  if (version !== VERSION || !payload || !signature || rest.length > 0) return null;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(payload, secret);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const parsed = ZTarget.safeParse(Buffer.from(payload, "base64url").toString("utf8").split(":"));
  if (!parsed.success) return null;
  const [workspaceId, customerId, channel] = parsed.data;
  return { workspaceId, customerId, channel };
}

/** The customer's unsubscribe link on this Centric (NEXTAUTH_URL): a page to confirm, and RFC 8058 one-click POSTs. */
export function unsubscribeUrl(target: UnsubscribeTarget): string {
  const base = env().NEXTAUTH_URL;
  if (!base) throw new Error("NEXTAUTH_URL is not set, so there is no address for unsubscribe links.");
  return new URL(`/u/${signUnsubscribeToken(target)}`, base).toString();
}

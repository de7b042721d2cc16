import "server-only";
import crypto from "node:crypto";
import { env } from "~/server/env";

// Destination credentials (SMTP passwords, webhook signing secrets) are stored
// sealed with AES-256-GCM under a key derived from the app's secret
// (NEXTAUTH_SECRET), bound to their workspace and destination so that a sealed
// value copied to another row does not open. Changing the app's secret makes
// them unreadable: the admin enters them again (the error says so).

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealedSecretError extends Error {
  name = "SealedSecretError";
}

/**
 * A 32-byte key for one purpose (the HKDF info), derived from the app's secret:
 * each purpose gets a key of its own, so a value made for one never checks for another.
 */
export function derivedAppKey(purpose: string, appSecret: string) {
  return Buffer.from(crypto.hkdfSync("sha256", appSecret, "centric", purpose, 32));
}

function keyFrom(appSecret: string) {
  return derivedAppKey("destination-secrets", appSecret);
}

function appSecret(given?: string) {
  const secret = given ?? env().NEXTAUTH_SECRET;
  if (!secret) throw new SealedSecretError("The app has no NEXTAUTH_SECRET to seal credentials with.");
  return secret;
}

export function sealSecret(plain: string, binding: string, secret?: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", keyFrom(appSecret(secret)), iv);
  cipher.setAAD(Buffer.from(binding));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

export function openSecret(sealed: string, binding: string, secret?: string): string {
  const [version, data] = sealed.split(":", 2);
  if (version !== VERSION || !data)
    throw new SealedSecretError("The stored credential is not in a known format.");
  const raw = Buffer.from(data, "base64url");
  const decipher = crypto.createDecipheriv(
    "aes-256-gcm",
    keyFrom(appSecret(secret)),
    raw.subarray(0, IV_BYTES),
  );
  decipher.setAAD(Buffer.from(binding));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SealedSecretError(
      "The stored credential cannot be opened: the app's secret changed since it was saved. Enter it again in Settings → Destinations.",
    );
  }
}

/** What a sealed credential is bound to. */
export const secretBinding = (workspaceId: string, destinationId: string) =>
  `${workspaceId}/${destinationId}`;

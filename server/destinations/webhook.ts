import "server-only";
import crypto from "node:crypto";
import type { Channel } from "~/db/enums";
import type { DeliveryMessage, WebhookSettings } from "./settings";
import { PermanentSendError } from "./send-errors";

// A webhook delivery: one POST of a JSON payload (docs/destinations.md), signed
// with HMAC-SHA256 over "<timestamp>.<body>" in the Centric-Signature header,
// as Stripe signs its webhooks, so that a receiver can check it came from this
// workspace and is fresh. The Idempotency-Key header is the same on every
// attempt: a receiver that stores it drops repeats after a retry.

export const SIGNATURE_HEADER = "Centric-Signature";

export interface WebhookPayload {
  type: "message";
  deliveryId: string;
  idempotencyKey: string;
  workspaceId: string;
  channel: Channel;
  customer: { id: string | null; traits: Record<string, unknown> };
  source: DeliveryMessage["source"];
  message: Pick<DeliveryMessage, "to" | "subject" | "text" | "html" | "link" | "unsubscribeUrl">;
  createdAt: string;
}

export function signPayload(secret: string, body: string, timestamp: number) {
  const digest = crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${digest}`;
}

/** The check a receiver makes (also what the tests use): a valid signature no older than `toleranceSeconds`. */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds || !parts.v1)
    return false;
  const expected = Buffer.from(signPayload(secret, body, timestamp).split("v1=")[1]!, "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Answers that retrying can change: timeouts, rate limits and the receiver's own failures. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export async function postWebhook(
  destination: { settings: WebhookSettings; signingSecret: string },
  payload: WebhookPayload,
) {
  const body = JSON.stringify(payload);
  const signature = signPayload(destination.signingSecret, body, Math.floor(Date.now() / 1000));
  let response: Response;
  try {
    response = await fetch(destination.settings.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Centric-Webhooks/1",
        [SIGNATURE_HEADER]: signature,
        "Idempotency-Key": payload.idempotencyKey,
      },
      body,
      redirect: "error",
      signal: AbortSignal.timeout(destination.settings.timeoutMs),
    });
  } catch (error) {
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${destination.settings.timeoutMs} ms`
        : (error as Error).message;
    throw new Error(`POST ${destination.settings.url}: ${reason}`);
  }
  // Drain the body so the connection is reused; only its first characters are kept for the record.
  const answer = (await response.text().catch(() => "")).slice(0, 300);
  if (response.ok) return;
  const text = `POST ${destination.settings.url}: HTTP ${response.status}${answer ? ` ${answer}` : ""}`;
  if (retryable(response.status)) throw new Error(text);
  throw new PermanentSendError(text);
}

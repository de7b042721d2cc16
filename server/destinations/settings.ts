import { z } from "zod";
import { channels, destinationKinds, type Channel } from "~/db/enums";

// The settings of each kind of destination, and the stored shape of a message
// to deliver. Pure: the schema imports these types, the UI these schemas.

const hostName = z
  .string()
  .trim()
  .min(1, "the SMTP host is required")
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, "must be a host name or an IP address");

export const ZEmailAddress = z.email({ error: "must be an email address" }).max(320);

export const ZSmtpSettings = z.strictObject({
  host: hostName,
  port: z.number().int().min(1).max(65_535),
  /** tls: TLS from the first byte (port 465); starttls: upgrade required (587); none: plain, for a local relay. */
  security: z.enum(["tls", "starttls", "none"], { error: () => "security must be tls, starttls or none" }),
  username: z.string().trim().max(320).default(""),
  fromAddress: ZEmailAddress,
  fromName: z.string().trim().max(200).default(""),
});
export type SmtpSettings = z.infer<typeof ZSmtpSettings>;

export const ZWebhookSettings = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) address" }).max(2000),
  /** How long one attempt may take. */
  timeoutMs: z.number().int().min(1000).max(30_000).default(10_000),
  /** Attempts before the delivery is dead-lettered (exponential backoff between them). */
  maxAttempts: z.number().int().min(1).max(10).default(6),
});
export type WebhookSettings = z.infer<typeof ZWebhookSettings>;

export const ZOutboxSettings = z.strictObject({});

export const ZDestinationName = z.string().trim().min(1, "a name is required").max(100);

/** A destination as an admin sets it up; `secret` is the SMTP password or the webhook signing secret. */
export const ZDestinationInput = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("smtp"),
      name: ZDestinationName,
      settings: ZSmtpSettings,
      /** Omitted on an update: keep the stored one. */
      secret: z.string().max(1000).optional(),
    }),
    z.strictObject({
      kind: z.literal("webhook"),
      name: ZDestinationName,
      settings: ZWebhookSettings,
      secret: z.string().min(16, "the signing secret must be at least 16 characters").max(1000).optional(),
    }),
    z.strictObject({ kind: z.literal("outbox"), name: ZDestinationName, settings: ZOutboxSettings }),
  ],
  { error: () => `unknown destination kind: use ${destinationKinds.join(", ")}` },
);
export type DestinationInput = z.infer<typeof ZDestinationInput>;

export type DestinationSettings = SmtpSettings | WebhookSettings | Record<string, never>;

export const ZChannelName = z.enum(channels as unknown as [Channel, ...Channel[]], {
  error: () => `unknown channel: use ${channels.join(", ")}`,
});

/** Where a message comes from: a journey's touchpoint, or a test an admin sent. */
export type DeliverySource =
  | { kind: "test"; requestedBy: string }
  | { kind: "journey"; journeyId: string; version: number; touchpointId: string; variant: string | null };

/** A rendered message, stored with its delivery, exactly as it is sent. */
export interface DeliveryMessage {
  source: DeliverySource;
  /** The recipient's address on the channel (an email address for email); null when the destination needs none. */
  to: string | null;
  subject: string;
  text: string;
  html: string;
  link: string | null;
  /** The customer's traits the message was rendered with, sent on to webhooks. */
  traits: Record<string, unknown>;
  /** A one-click unsubscribe link for this customer and channel, when there is a customer. */
  unsubscribeUrl: string | null;
}

import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Channel, EventType, IdentityKind } from "~/db/schema";
import { findUnstorableText } from "~/server/storable-text";
import { deriveChannel } from "./channel";

// Segment's tracking spec, as its HTTP API accepts it: ids may be strings or
// numbers, timestamps ISO-8601 strings, and unknown fields are ignored.

/** Segment's limit for one message, in bytes of JSON. */
export const MAX_MESSAGE_BYTES = 32 * 1024;

const ZId = z.union([z.string().trim().min(1), z.number().finite()]).transform(String);
const ZObject = z.record(z.string(), z.unknown());
const ZTimestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO-8601 date-time")
  .transform((value) => new Date(value));

const common = {
  messageId: ZId.optional(),
  userId: ZId.optional().nullable(),
  anonymousId: ZId.optional().nullable(),
  context: ZObject.optional(),
  integrations: ZObject.optional(),
  timestamp: ZTimestamp.optional(),
  originalTimestamp: ZTimestamp.optional(),
  sentAt: ZTimestamp.optional(),
};

const ZIdentify = z.object({ ...common, type: z.literal("identify"), traits: ZObject.optional() });
const ZTrack = z.object({
  ...common,
  type: z.literal("track"),
  event: z.string({ error: "track needs an event name" }).trim().min(1, "track needs an event name"),
  properties: ZObject.optional(),
});
const ZPage = z.object({
  ...common,
  type: z.literal("page"),
  name: z.string().optional().nullable(),
  category: z.string().optional().nullable(),
  properties: ZObject.optional(),
});
const ZScreen = z.object({
  ...common,
  type: z.literal("screen"),
  name: z.string().optional().nullable(),
  category: z.string().optional().nullable(),
  properties: ZObject.optional(),
});
const ZGroup = z.object({ ...common, type: z.literal("group"), groupId: ZId, traits: ZObject.optional() });
const ZAlias = z.object({
  ...common,
  type: z.literal("alias"),
  userId: ZId,
  previousId: ZId,
});

export const ZSegmentMessage = z.discriminatedUnion(
  "type",
  [ZIdentify, ZTrack, ZPage, ZScreen, ZGroup, ZAlias],
  { error: "type must be one of identify, track, page, screen, group, alias" },
);
export type SegmentMessage = z.input<typeof ZSegmentMessage>;

/** One identifier carried by a message. */
export interface Identifier {
  kind: IdentityKind;
  value: string;
}

/** A validated message in the shape events are stored in. */
export interface NormalizedMessage {
  messageId: string;
  type: EventType;
  event: string | null;
  channel: Channel;
  userId: string | null;
  anonymousId: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown> | null;
  context: Record<string, unknown>;
  amount: number | null;
  timestamp: Date;
  /** What the message says about who this is, strongest first. */
  identifiers: Identifier[];
  /** alias: the id the customer was known by before. */
  previousId: string | null;
}

function firstNumber(...values: unknown[]) {
  for (const value of values) {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n === "number" && Number.isFinite(n)) return Math.round(n * 100) / 100;
  }
  return null;
}

function text(value: unknown) {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function normaliseEmail(value: unknown) {
  const email = text(value)?.toLowerCase();
  return email && /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
}

export function normalisePhone(value: unknown) {
  const raw = text(value) ?? (typeof value === "number" ? String(value) : undefined);
  if (!raw) return undefined;
  const digits = raw.replace(/[^\d+]/g, "");
  return digits.replace(/\D/g, "").length >= 6 ? digits : undefined;
}

/**
 * When it happened: `timestamp` as sent; else `originalTimestamp` corrected for
 * the sender's clock skew (sentAt vs receivedAt), as Segment does; else arrival.
 */
function eventTime(message: z.output<typeof ZSegmentMessage>, receivedAt: Date) {
  if (message.timestamp) return message.timestamp;
  if (message.originalTimestamp) {
    const skew = message.sentAt ? receivedAt.getTime() - message.sentAt.getTime() : 0;
    return new Date(message.originalTimestamp.getTime() + skew);
  }
  return receivedAt;
}

/** Validates one message and brings it to the stored shape, or says what is wrong with it. */
export function normaliseMessage(
  input: unknown,
  receivedAt: Date,
): { ok: true; message: NormalizedMessage } | { ok: false; error: string } {
  const json = JSON.stringify(input ?? null);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_MESSAGE_BYTES) {
    return { ok: false, error: `message is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes (32 KB)` };
  }
  // Refused here rather than failing the batch's insert.
  const unstorable = findUnstorableText(input);
  if (unstorable) return { ok: false, error: unstorable.path ? `${unstorable.path} ${unstorable.reason}` : `message ${unstorable.reason}` };
  const parsed = ZSegmentMessage.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".");
    return { ok: false, error: field ? `${field}: ${issue.message}` : issue.message };
  }
  const m = parsed.data;
  const userId = m.userId ?? null;
  const anonymousId = m.anonymousId ?? null;
  if (!userId && !anonymousId) return { ok: false, error: "userId or anonymousId is required" };

  const context = m.context ?? {};
  const properties = "properties" in m ? (m.properties ?? {}) : {};
  const traits = "traits" in m ? (m.traits ?? {}) : null;
  const contextTraits = (context.traits as Record<string, unknown> | undefined) ?? {};
  const event = m.type === "track" ? m.event : m.type === "page" || m.type === "screen" ? (m.name ?? null) : null;

  const identifiers: Identifier[] = [];
  if (userId) identifiers.push({ kind: "user_id", value: userId });
  if (anonymousId) identifiers.push({ kind: "anonymous_id", value: anonymousId });
  const email = normaliseEmail(traits?.email ?? contextTraits.email);
  if (email) identifiers.push({ kind: "email", value: email });
  const phone = normalisePhone(traits?.phone ?? contextTraits.phone);
  if (phone) identifiers.push({ kind: "phone", value: phone });

  return {
    ok: true,
    message: {
      messageId: m.messageId ?? randomUUID(),
      type: m.type,
      event,
      channel: deriveChannel({ type: m.type, event, context, properties }),
      userId,
      anonymousId,
      properties,
      traits: m.type === "group" ? { ...traits, groupId: m.groupId } : traits,
      context,
      amount: m.type === "track" ? firstNumber(properties.revenue, properties.total, properties.amount, properties.value) : null,
      timestamp: eventTime(m, receivedAt),
      identifiers,
      previousId: m.type === "alias" ? m.previousId : null,
    },
  };
}

import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Channel, EventType, IdentityKind } from "~/db/enums";
import { findUnstorableText } from "~/server/storable-text";
import { deriveChannel } from "./channel";

// Segment's tracking spec, as its HTTP API accepts it: ids may be strings or
// numbers, timestamps ISO-8601 strings, and unknown fields are ignored.

/** Segment's limit for one message, in bytes of JSON. */
export const MAX_MESSAGE_BYTES = 32 * 1024;

const ZId = z.union([z.string().trim().min(1), z.number().finite()]).transform(String);
/**
 * An id a message may leave out. An empty string counts as left out, as Segment
 * and RudderStack treat it: RudderStack's browser SDK sends `userId: ""` with
 * the anonymousId until identify.
 */
const ZOptionalId = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  ZId.optional().nullable(),
);
// Taken as JSON.parse made it, not copied: z.record assigns each key to a new
// object, and assigning "__proto__" sets the prototype instead of adding the
// key, so a sender's "__proto__" property vanished. As an own property it is
// stored like any other key and never reaches a setter.
const ZObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  { error: "must be an object" },
);
// ISO-8601 only, as Segment's spec says: a date, or a date and time with an
// optional fraction and zone (UTC without one). Date.parse would take "1",
// "2024-02-30" and RFC 2822 dates, and years that PostgreSQL cannot store.
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** The instant an ISO-8601 text names, or undefined when it is not one (or not a real day, or year 0). */
export function parseIsoTimestamp(text: string): Date | undefined {
  const m = ISO_TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "", zone = "Z"] = m;
  if (Number(year) < 1) return undefined;
  const dayStart = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  dayStart.setUTCFullYear(Number(year));
  // Rolls over (2024-02-30 becomes 1 March): not a real day.
  if (dayStart.getUTCMonth() !== Number(month) - 1 || dayStart.getUTCDate() !== Number(day)) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const offset =
    zone.toUpperCase() === "Z"
      ? "Z"
      : zone.length === 3
        ? `${zone}:00`
        : zone.includes(":")
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(
    `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${offset}`,
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const ZTimestamp = z.string().transform((value, ctx) => {
  const date = parseIsoTimestamp(value);
  if (!date) {
    ctx.addIssue({ code: "custom", message: "must be an ISO-8601 date-time such as 2026-03-01T10:00:00Z" });
    return z.NEVER;
  }
  return date;
});

/** Years a stored event may have: PostgreSQL's timestamps as Centric writes them (ISO, four digits). */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;
/** numeric(14, 2): amounts must stay below this. */
const MAX_AMOUNT = 1e12;
/**
 * Bytes of UTF-8 a text that lands in a B-tree index may have (ids, identifiers, event
 * names, a customer's name and email): an index entry holds at most 2,704 bytes, and the
 * name index takes first and last name together, lower-cased (which can make a text half
 * as long again). Longer, the insert fails and takes the whole batch with it.
 */
export const MAX_INDEXED_BYTES = 800;

/**
 * properties.discount is read as a number (events.discount) and indexed; as text it could
 * carry thousands of digits. Counting digits rather than matching the number's pattern
 * holds whatever PostgreSQL takes for white space around it.
 */
const MAX_DISCOUNT_DIGITS = 100;

/** The first of these fields whose text is too long for an index, as an error. */
function overlongIndexedText(fields: [string, unknown][]) {
  for (const [field, value] of fields) {
    if (value === undefined || value === null) continue;
    // A value that is not text is indexed as its JSON text, which PostgreSQL writes with spaces.
    const bytes =
      typeof value === "string" ? Buffer.byteLength(value) : 2 * Buffer.byteLength(JSON.stringify(value));
    if (bytes > MAX_INDEXED_BYTES) {
      return `${field} is longer than ${MAX_INDEXED_BYTES} bytes, the limit for ids, event names, names and emails`;
    }
  }
  return undefined;
}

const common = {
  messageId: ZOptionalId,
  userId: ZOptionalId,
  anonymousId: ZOptionalId,
  /** RudderStack's top-level channel ("web", "mobile", "server"): read by the channel rule when it names one. */
  channel: z.unknown().optional(),
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
): { ok: true; message: NormalizedMessage } | { ok: false; error: string; tooLarge?: true } {
  // Refused here rather than failing the batch's insert; first, because it stops at 64
  // levels, where JSON.stringify would exhaust the stack on a message nested thousands deep.
  const unstorable = findUnstorableText(input);
  if (unstorable)
    return {
      ok: false,
      error: unstorable.path ? `${unstorable.path} ${unstorable.reason}` : `message ${unstorable.reason}`,
    };
  const json = JSON.stringify(input ?? null);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_MESSAGE_BYTES) {
    return {
      ok: false,
      error: `message is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes (32 KB)`,
      tooLarge: true,
    };
  }
  const parsed = ZSegmentMessage.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".");
    return { ok: false, error: field ? `${field}: ${issue.message}` : issue.message };
  }
  const m = parsed.data;
  const timestamp = eventTime(m, receivedAt);
  const year = timestamp.getUTCFullYear();
  if (Number.isNaN(timestamp.getTime()) || year < FIRST_YEAR || year > LAST_YEAR) {
    return {
      ok: false,
      error: `the event's time falls outside the years ${FIRST_YEAR}–${LAST_YEAR} (check timestamp, originalTimestamp and sentAt)`,
    };
  }
  const userId = m.userId ?? null;
  const anonymousId = m.anonymousId ?? null;
  if (!userId && !anonymousId) return { ok: false, error: "userId or anonymousId is required" };

  const context = m.context ?? {};
  const properties = "properties" in m ? (m.properties ?? {}) : {};
  const contextTraits = isRecord(context.traits) ? context.traits : {};
  // identify: the traits in context.traits too, as Segment merges them (RudderStack sends them only
  // there); the message's own traits win. A group's traits are the group's, not the person's.
  const traits =
    m.type === "identify" ? { ...contextTraits, ...m.traits } : "traits" in m ? (m.traits ?? {}) : null;
  const event =
    m.type === "track" ? m.event : m.type === "page" || m.type === "screen" ? (m.name ?? null) : null;

  const identifiers: Identifier[] = [];
  if (userId) identifiers.push({ kind: "user_id", value: userId });
  if (anonymousId) identifiers.push({ kind: "anonymous_id", value: anonymousId });
  const email = normaliseEmail(traits?.email ?? contextTraits.email);
  if (email) identifiers.push({ kind: "email", value: email });
  const phone = normalisePhone(traits?.phone ?? contextTraits.phone);
  if (phone) identifiers.push({ kind: "phone", value: phone });

  const ownTraits = "traits" in m ? m.traits : undefined;
  const emailField = ownTraits?.email != null ? "traits.email" : "context.traits.email";
  const phoneField = ownTraits?.phone != null ? "traits.phone" : "context.traits.phone";
  const overlong = overlongIndexedText([
    ["messageId", m.messageId],
    ["userId", userId],
    ["anonymousId", anonymousId],
    ["previousId", m.type === "alias" ? m.previousId : null],
    [m.type === "track" ? "event" : "name", event],
    [emailField, email],
    [phoneField, phone],
    // identify traits become the customer's name and email columns.
    ...(m.type === "identify"
      ? (["name", "firstName", "lastName", "email"] as const).map((k): [string, unknown] => [
          `traits.${k}`,
          traits?.[k],
        ])
      : []),
  ]);
  if (overlong) return { ok: false, error: overlong };
  if (
    typeof properties.discount === "string" &&
    (properties.discount.match(/\d/g)?.length ?? 0) > MAX_DISCOUNT_DIGITS
  ) {
    return { ok: false, error: `properties.discount has more than ${MAX_DISCOUNT_DIGITS} digits` };
  }

  const amount =
    m.type === "track"
      ? firstNumber(properties.revenue, properties.total, properties.amount, properties.value)
      : null;
  if (amount !== null && Math.abs(amount) >= MAX_AMOUNT) {
    return {
      ok: false,
      error: `properties.revenue (or total, amount, value) must be below ${MAX_AMOUNT.toExponential()}`,
    };
  }

  return {
    ok: true,
    message: {
      messageId: m.messageId ?? randomUUID(),
      type: m.type,
      event,
      channel: deriveChannel({ type: m.type, event, context, properties, channel: m.channel }),
      userId,
      anonymousId,
      properties,
      traits: m.type === "group" ? { ...traits, groupId: m.groupId } : traits,
      context,
      amount,
      timestamp,
      identifiers,
      previousId: m.type === "alias" ? m.previousId : null,
    },
  };
}

// The demo generator's customers as rows of customers / identities / events,
// with identity resolution computed directly (the generator knows who is who:
// one profile per generated person), in COPY text format. The rules follow
// server/ingest (messages.ts for ids, channel and amount; identity/summary.ts
// for the summary columns), and `checkAgainstIngest` compares them with the
// real normalisation on a sample.

import { randomUUID } from "node:crypto";
import type { DemoCustomer, DemoMessage } from "~/server/demo/generate";
import { deriveChannel } from "~/server/ingest/channel";
import { normaliseEmail, normaliseMessage, normalisePhone } from "~/server/ingest/messages";
import { copyJson, copyValue } from "./lib";

export const CUSTOMER_COLUMNS =
  "workspace_id, id, merged_into, name, email, phone, traits, first_seen_at, last_seen_at, event_count, purchase_count, total_spend, channel_counts, created_at, updated_at";
export const IDENTITY_COLUMNS = "workspace_id, kind, value, customer_id, profile_id, source, first_seen_at";
export const EVENT_COLUMNS =
  "workspace_id, id, customer_id, profile_id, message_id, type, event, channel, user_id, anonymous_id, properties, traits, context, amount, timestamp, received_at, source";

function firstNumber(...values: unknown[]) {
  for (const value of values) {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n === "number" && Number.isFinite(n)) return Math.round(n * 100) / 100;
  }
  return null;
}

const trimmed = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/** What ingestion stores for one message (the parts that matter for the rows). */
export function eventFields(m: DemoMessage) {
  const properties = "properties" in m ? m.properties : {};
  const traits = m.type === "identify" ? m.traits : null;
  const event = m.type === "track" ? m.event : m.type === "page" || m.type === "screen" ? m.name : null;
  const channel = deriveChannel({ type: m.type, event, context: m.context, properties });
  const amount =
    m.type === "track"
      ? firstNumber(properties.revenue, properties.total, properties.amount, properties.value)
      : null;
  return { properties, traits, event, channel, amount };
}

export interface RowsOut {
  customer: string;
  identities: string[];
  events: string[];
  eventCount: number;
}

/**
 * One customer's rows. `nextEventId` hands out event ids (the loader sets the
 * sequence after the load). Returns null for a customer without messages.
 */
export function customerRows(
  workspaceId: string,
  _customer: DemoCustomer,
  messages: DemoMessage[],
  nextEventId: () => number,
  receivedAt: string,
  source = "demo",
): RowsOut | null {
  if (messages.length === 0) return null;
  const id = randomUUID();
  const identities = new Map<string, { kind: string; value: string; messageId: string; at: string }>();
  const addIdentity = (kind: string, value: string | undefined, m: DemoMessage) => {
    if (!value) return;
    const key = `${kind}\u0000${value}`;
    if (!identities.has(key)) identities.set(key, { kind, value, messageId: m.messageId, at: m.timestamp });
  };
  const events: string[] = [];
  const channelCounts: Record<string, number> = {};
  let purchases = 0;
  let spend = 0;
  let first = messages[0]!.timestamp;
  let last = first;
  let traits: Record<string, unknown> = {};
  let name: string | undefined;
  let email: string | undefined;
  let phone: string | undefined;

  for (const m of messages) {
    const f = eventFields(m);
    addIdentity("user_id", m.userId, m);
    addIdentity("anonymous_id", m.anonymousId, m);
    if (f.traits) {
      addIdentity("email", normaliseEmail(f.traits.email), m);
      addIdentity("phone", normalisePhone(f.traits.phone), m);
      traits = { ...traits, ...f.traits };
      name =
        trimmed(f.traits.name) ??
        (trimmed([f.traits.firstName, f.traits.lastName].filter((x) => x != null).join(" ")) || name);
      email = trimmed(f.traits.email)?.toLowerCase() ?? email;
      phone = trimmed(f.traits.phone) ?? phone;
    }
    channelCounts[f.channel] = (channelCounts[f.channel] ?? 0) + 1;
    if (m.type === "track" && f.amount !== null) {
      purchases++;
      spend += f.amount;
    }
    if (m.timestamp < first) first = m.timestamp;
    if (m.timestamp > last) last = m.timestamp;
    events.push(
      [
        workspaceId,
        nextEventId(),
        id,
        id,
        copyValue(m.messageId),
        m.type,
        copyValue(f.event),
        f.channel,
        copyValue(m.userId),
        copyValue(m.anonymousId),
        copyJson(f.properties),
        copyJson(f.traits),
        copyJson(m.context),
        f.amount === null ? "\\N" : f.amount.toFixed(2),
        m.timestamp,
        receivedAt,
        source,
      ].join("\t"),
    );
  }
  const customerLine = [
    workspaceId,
    id,
    "\\N",
    copyValue(name),
    copyValue(email),
    copyValue(phone),
    copyJson(traits),
    first,
    last,
    messages.length,
    purchases,
    spend.toFixed(2),
    copyJson(channelCounts),
    receivedAt,
    receivedAt,
  ].join("\t");
  const identityRows = [...identities.values()].map((i) =>
    [workspaceId, i.kind, copyValue(i.value), id, id, copyValue(`event:${i.messageId}`), i.at].join("\t"),
  );
  return { customer: customerLine, identities: identityRows, events, eventCount: messages.length };
}

/** Compares eventFields with the real normalisation (server/ingest/messages.ts) on some messages. */
export function checkAgainstIngest(messages: Iterable<DemoMessage>) {
  const receivedAt = new Date();
  let n = 0;
  for (const m of messages) {
    const real = normaliseMessage(m, receivedAt);
    if (!real.ok) throw new Error(`ingestion refuses demo message ${m.messageId}: ${real.error}`);
    const mine = eventFields(m);
    const same =
      real.message.channel === mine.channel &&
      real.message.amount === mine.amount &&
      real.message.event === mine.event &&
      real.message.timestamp.toISOString() === new Date(m.timestamp).toISOString();
    if (!same) {
      throw new Error(
        `demo-rows disagrees with ingestion on ${m.messageId}: ${JSON.stringify({ real: real.message, mine })}`,
      );
    }
    n++;
  }
  return n;
}

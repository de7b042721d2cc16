import type { ImportKind } from "~/db/enums";
import { normaliseEmail } from "~/server/ingest/messages";
import type { CsvRecord } from "./csv";
import type { TFieldSource, TImportMapping, TImportOptions } from "./mapping-input";
import { parseAmount, parseDate, propertyValue, type DateFormat } from "./values";

// How a CSV row becomes a Segment message. Events become `track` calls
// (userId = customer id, the amount as properties.revenue, the channel in
// context.channel); customers become `identify` calls with traits. Every other
// column goes into the properties or traits under its own name (or another
// name the person chose, or not at all). The messageId is the file's hash and
// the line number (./message-ids.ts), so importing the same file again stores
// nothing twice.

export {
  mappingProblems,
  ZChosenImportOptions,
  ZFieldSource,
  ZImportMapping,
  ZImportOptions,
  type TFieldSource,
  type TImportMapping,
  type TImportOptions,
} from "./mapping-input";

/** Column names: the header's (blank and repeated ones made unique), or "column 1", "column 2"… */
export function columnNames(header: string[] | undefined, count: number): string[] {
  if (!header) return Array.from({ length: count }, (_, i) => `column ${i + 1}`);
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    const name = raw.trim() || `column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

const hints: Record<string, RegExp> = {
  customerId:
    /^(customer|client|user|member|account|contact|cust|master)?[ _-]?(id|no|number|key|code)$|^(customer|user|client)$/i,
  timestamp:
    /^(timestamp|date|time|datetime|created|created[ _-]?at|occurred[ _-]?at|order[ _-]?date|purchase[ _-]?date|transaction[ _-]?date|event[ _-]?time|when)$/i,
  event: /^(event|event[ _-]?name|action|type|activity)$/i,
  channel: /^(channel|source|medium)$/i,
  amount: /^(amount|revenue|total|value|price|sales|spend|dollar[ _-]?value|order[ _-]?total)$/i,
  email: /^(e-?mail|email[ _-]?address)$/i,
  phone: /^(phone|mobile|telephone|tel|phone[ _-]?number|cell)$/i,
  name: /^(name|full[ _-]?name|customer[ _-]?name|display[ _-]?name)$/i,
};

/** A first mapping from the column names (and, without a header, the look of the values). */
export function suggestMapping(
  kind: ImportKind,
  columns: string[],
  sample: string[][],
  dateFormat: DateFormat,
): TImportMapping {
  const taken = new Set<string>();
  const pick = (field: string, test?: (values: string[]) => boolean) => {
    const byName = columns.find((c) => !taken.has(c) && hints[field]!.test(c));
    const found =
      byName ??
      (test
        ? columns.find((c, i) => !taken.has(c) && test(sample.map((row) => row[i] ?? "").filter(Boolean)))
        : undefined);
    if (found) taken.add(found);
    return found ?? null;
  };
  const all = (values: string[], ok: (v: string) => boolean) => values.length > 0 && values.every(ok);
  const customerId = pick("customerId") ?? columns[0] ?? "";
  taken.add(customerId);
  if (kind === "customers") {
    return {
      customerId,
      email: pick("email", (v) => all(v, (x) => Boolean(normaliseEmail(x)))),
      phone: pick("phone"),
      name: pick("name"),
      rename: {},
    };
  }
  const timestamp = pick("timestamp", (v) => all(v, (x) => parseDate(x, dateFormat).ok));
  const eventColumn = pick("event");
  const channelColumn = pick("channel");
  const amount = pick("amount", (v) => all(v, (x) => x.includes(".") && parseAmount(x).ok));
  return {
    customerId,
    timestamp,
    event: eventColumn ? { column: eventColumn } : { value: "Order Completed" },
    channel: channelColumn ? { column: channelColumn } : null,
    amount,
    rename: {},
  };
}

export interface RowContext {
  kind: ImportKind;
  columns: string[];
  mapping: TImportMapping;
  options: TImportOptions;
  /** The start of every row's messageId (./message-ids.ts); the row's line completes it. */
  messageIdPrefix: string;
}

export type RowResult = { ok: true; message: Record<string, unknown> } | { ok: false; reason: string };

/** A column's trimmed text in a record ("" for no column, or one the record lacks). */
function fieldOf(record: CsvRecord, index: Map<string, number>, column: string | null | undefined) {
  if (!column) return "";
  const i = index.get(column);
  return i === undefined ? "" : (record.fields[i] ?? "").trim();
}

/** A mapped field's text: the value every row gets, or its column's. */
function sourceOf(record: CsvRecord, index: Map<string, number>, source: TFieldSource | null | undefined) {
  return !source ? "" : "value" in source ? source.value : fieldOf(record, index, source.column);
}

/** Turns CSV records into Segment messages (or says why a row cannot be imported). */
export function makeRowReader(ctx: RowContext): (record: CsvRecord) => RowResult {
  const { columns, mapping } = ctx;
  const index = new Map(columns.map((c, i) => [c, i]));
  const used = new Set<string>(
    [
      mapping.customerId,
      mapping.timestamp,
      mapping.amount,
      mapping.email,
      mapping.phone,
      mapping.name,
      mapping.event && "column" in mapping.event ? mapping.event.column : undefined,
      mapping.channel && "column" in mapping.channel ? mapping.channel.column : undefined,
    ].filter((c): c is string => Boolean(c)),
  );
  const extraColumns = columns
    // Own names only: `rename["__proto__"]` would otherwise be Object.prototype.
    .map((column, i) => ({
      i,
      key: Object.hasOwn(mapping.rename, column) ? mapping.rename[column]! : column,
      column,
    }))
    .filter((c) => !used.has(c.column) && c.key !== "");

  return (record) => {
    if (record.error) return { ok: false, reason: record.error };
    if (record.fields.length > columns.length) {
      return {
        ok: false,
        reason: `the row has ${record.fields.length} fields; the file has ${columns.length} columns`,
      };
    }

    const customerId = fieldOf(record, index, mapping.customerId);
    if (!customerId) return { ok: false, reason: `the customer id (${mapping.customerId}) is empty` };

    // Without a prototype, a column named "__proto__" is an ordinary key, kept like any other.
    const extras: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const { i, key } of extraColumns) {
      const value = record.fields[i]?.trim() ?? "";
      if (value !== "") extras[key] = propertyValue(value);
    }
    const messageId = `${ctx.messageIdPrefix}${record.line}`;

    if (ctx.kind === "customers") {
      const traits: Record<string, unknown> = { ...extras };
      const email = fieldOf(record, index, mapping.email);
      if (email) {
        const valid = normaliseEmail(email);
        if (!valid) return { ok: false, reason: `the email “${email}” is not an email address` };
        traits.email = valid;
      }
      const phone = fieldOf(record, index, mapping.phone);
      if (phone) traits.phone = phone;
      const name = fieldOf(record, index, mapping.name);
      if (name) traits.name = name;
      return { ok: true, message: { type: "identify", messageId, userId: customerId, traits } };
    }

    const date = parseDate(fieldOf(record, index, mapping.timestamp), ctx.options.dateFormat);
    if (!date.ok) return { ok: false, reason: date.error };
    const event = sourceOf(record, index, mapping.event);
    if (!event) return { ok: false, reason: "the event name is empty" };
    const properties: Record<string, unknown> = { ...extras };
    if (mapping.amount) {
      const raw = fieldOf(record, index, mapping.amount);
      if (raw !== "") {
        const amount = parseAmount(raw);
        if (!amount.ok) return { ok: false, reason: amount.error };
        properties.revenue = amount.value;
      }
    }
    const channel = sourceOf(record, index, mapping.channel);
    return {
      ok: true,
      message: {
        type: "track",
        messageId,
        userId: customerId,
        event,
        timestamp: date.value.toISOString(),
        properties,
        context: channel ? { channel } : {},
      },
    };
  };
}

import { z } from "zod";
import { channels, type ImportKind } from "~/db/enums";
import { parseChannel } from "~/server/ingest/channel";
import { delimiters, encodings } from "./options";
import { dateFormats } from "./values";

// The reading options and column mapping of an import as import.preview and
// import.start take them, and the check of a mapping against the file's
// columns. Pure, so that the mapping step checks in the browser with the same
// schemas and rules the server applies (./mapping.ts reads the rows).

const importOptionFields = {
  encoding: z.enum(encodings, "Choose a text encoding"),
  delimiter: z.enum(delimiters, "Choose a delimiter"),
  header: z.boolean(),
  dateFormat: z.enum(dateFormats, "Choose a date format"),
};
/** The options a person has chosen so far; the preview detects the others from the file. */
export const ZChosenImportOptions = z.object(importOptionFields).partial();
export const ZImportOptions = z.object({
  ...importOptionFields,
  /** Imports started before the choice existed read their files as UTF-8. */
  encoding: importOptionFields.encoding.default("utf-8"),
});
export type TImportOptions = z.infer<typeof ZImportOptions>;

const columnName = z.string().trim().min(1, "Choose a column").max(200);
/** A column of the file, or a value every row gets. */
export const ZFieldSource = z.union([
  z.object({ column: columnName }),
  z.object({ value: z.string().trim().min(1, "Enter a value").max(200) }),
]);
export type TFieldSource = z.infer<typeof ZFieldSource>;

export const ZImportMapping = z.object({
  customerId: columnName,
  /** events: when it happened. */
  timestamp: columnName.nullish(),
  /** events: the event name, from a column or fixed ("Order Completed"). */
  event: ZFieldSource.nullish(),
  /** events: the channel, from a column or fixed. */
  channel: ZFieldSource.nullish(),
  /** events: the amount (revenue). */
  amount: columnName.nullish(),
  /** customers. */
  email: columnName.nullish(),
  phone: columnName.nullish(),
  name: columnName.nullish(),
  /** Other columns: column → property or trait name; "" leaves the column out. Unlisted columns keep their name. */
  rename: z.record(z.string().max(200), z.string().trim().max(100)).default({}),
});
export type TImportMapping = z.infer<typeof ZImportMapping>;

/** Checks a mapping against the file's columns and the import's kind; returns the problems found. */
export function mappingProblems(kind: ImportKind, columns: string[], mapping: TImportMapping): string[] {
  const problems: string[] = [];
  const known = new Set(columns);
  const check = (label: string, column: string | null | undefined) => {
    if (column && !known.has(column)) problems.push(`${label}: the file has no column “${column}”`);
  };
  check("Customer id", mapping.customerId);
  if (kind === "events") {
    if (!mapping.timestamp) problems.push("Timestamp: choose the column with the date");
    if (!mapping.event) problems.push("Event name: choose a column or enter a name");
    check("Timestamp", mapping.timestamp);
    if (mapping.event && "column" in mapping.event) check("Event name", mapping.event.column);
    if (mapping.channel && "column" in mapping.channel) check("Channel", mapping.channel.column);
    if (mapping.channel && "value" in mapping.channel && !parseChannel(mapping.channel.value)) {
      problems.push(`Channel: “${mapping.channel.value}” is not one of ${channels.join(", ")}`);
    }
    check("Amount", mapping.amount);
  } else {
    check("Email", mapping.email);
    check("Phone", mapping.phone);
    check("Name", mapping.name);
  }
  return problems;
}

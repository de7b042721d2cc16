// Streams a transaction log into a CalibrationLog: the file is read in 64 KB pieces by the
// import's CSV reader, and only one day number and one amount per transaction are kept
// (and, to compare models on a holdout, every row's customer and day).

import fs from "node:fs";
import { readCsvRecords } from "~/server/imports/csv";
import type { DatedPurchase } from "~/server/value/holdout";
import { CalibrationLog, parseDay } from "~/server/value/summary";
import { InputError, type ValueOptions } from "./args";

const defaults = {
  customer: ["customer_id", "customer", "id", "customerid", "customer_no", "customer_number"],
  date: ["date", "timestamp", "order_date", "transaction_date", "purchase_date"],
  amount: ["amount", "value", "revenue", "sales", "dollar_value", "price"],
};

/** Header names compared without case, spaces, dashes or underscores. */
const normalize = (name: string) => name.toLowerCase().replace(/[\s_\-.]+/g, "");

export interface Columns {
  customer: number;
  date: number;
  amount: number | null;
  /** The names to use in messages. */
  names: { customer: string; date: string; amount: string | null };
}

/** 0-based column positions from the header (or from 1-based indexes without one). */
export function resolveColumns(
  header: string[] | null,
  options: ValueOptions,
  warn: (m: string) => void,
): Columns {
  const find = (role: keyof typeof defaults, given: string | undefined, required: boolean) => {
    const flag = `--${role}-col`;
    if (!header) {
      if (given === undefined) return null;
      return { index: Number(given) - 1, name: given };
    }
    const names = header.map(normalize);
    if (given !== undefined) {
      const at = names.indexOf(normalize(given));
      if (at >= 0) return { index: at, name: header[at]! };
      if (/^[1-9]\d*$/.test(given) && Number(given) <= header.length) {
        return { index: Number(given) - 1, name: header[Number(given) - 1]! };
      }
      throw new InputError(
        `Column "${given}" (${flag}) is not in the header of ${options.transactions}. Its columns are: ${header.join(", ")}.`,
      );
    }
    for (const candidate of defaults[role]) {
      const at = names.indexOf(normalize(candidate));
      if (at >= 0) return { index: at, name: header[at]! };
    }
    if (required) {
      throw new InputError(
        `No ${role} column in the header of ${options.transactions} (looked for ${defaults[role].join(", ")}). ` +
          `Its columns are: ${header.join(", ")}. Name one with ${flag}.`,
      );
    }
    warn(
      `No amount column (looked for ${defaults.amount.join(", ")}): fitting the purchase model only, without spend or CLV.`,
    );
    return null;
  };
  const customer = find("customer", options.customerCol, true)!;
  const date = find("date", options.dateCol, true)!;
  const amount = find("amount", options.amountCol, false);
  if (customer.index === date.index)
    throw new InputError(`The customer and date columns are the same (${customer.name}).`);
  return {
    customer: customer.index,
    date: date.index,
    amount: amount ? amount.index : null,
    names: { customer: customer.name, date: date.name, amount: amount?.name ?? null },
  };
}

export interface ReadResult {
  log: CalibrationLog;
  columns: Columns;
  rows: number;
  /** Every row's customer and day, calibration and later, when a model comparison needs the holdout. */
  purchases: DatedPurchase[] | null;
}

/** Reads the whole file; throws InputError naming the line of the first bad row. */
export async function readTransactions(
  options: ValueOptions,
  warn: (m: string) => void,
): Promise<ReadResult> {
  try {
    const stat = await fs.promises.stat(options.transactions);
    if (!stat.isFile()) throw new InputError(`${options.transactions} is not a file.`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(error);
    throw new InputError(`Cannot read ${options.transactions}: ${reason}.`);
  }

  let columns: Columns | undefined;
  let log: CalibrationLog | undefined;
  let rows = 0;
  const purchases: DatedPurchase[] | null = options.model === "auto" ? [] : null;
  const at = (line: number) => `${options.transactions}, line ${line}`;
  for await (const record of readCsvRecords(options.transactions, { delimiter: options.delimiter })) {
    if (record.error) throw new InputError(`${at(record.line)}: ${record.error}.`);
    if (!columns) {
      columns = resolveColumns(options.header ? record.fields.map((f) => f.trim()) : null, options, warn);
      log = new CalibrationLog(options.calibrationEndDay, columns.amount !== null);
      if (options.header) continue;
    }
    const f = record.fields;
    const needed = Math.max(columns.customer, columns.date, columns.amount ?? -1) + 1;
    if (f.length < needed) {
      throw new InputError(`${at(record.line)}: ${f.length} field(s), but column ${needed} is needed.`);
    }
    const customerId = f[columns.customer]!.trim();
    if (customerId === "")
      throw new InputError(`${at(record.line)}: the customer (column "${columns.names.customer}") is empty.`);
    const dateText = f[columns.date]!;
    const day = parseDay(dateText);
    if (day === undefined) {
      throw new InputError(
        `${at(record.line)}: cannot read the date "${dateText}" in column "${columns.names.date}" (expected YYYY-MM-DD or YYYYMMDD).`,
      );
    }
    let amount: number | undefined;
    if (columns.amount !== null) {
      const text = f[columns.amount]!.trim();
      amount = Number(text);
      if (text === "" || !Number.isFinite(amount)) {
        throw new InputError(
          `${at(record.line)}: the amount "${text}" in column "${columns.names.amount}" is not a number.`,
        );
      }
    }
    rows++;
    log!.add(customerId, day, amount);
    purchases?.push({ customerId, day });
  }
  if (!columns || !log) throw new InputError(`${options.transactions} is empty.`);
  if (rows === 0) throw new InputError(`${options.transactions} has a header but no transactions.`);
  return { log, columns, rows, purchases };
}

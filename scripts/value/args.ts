// Command-line options of scripts/value.ts, checked once: a bad value stops the run with a
// message that names the option (exit code 2).

import { parseArgs } from "node:util";
import type { Delimiter } from "~/server/imports/csv";
import { PURCHASE_MODEL_IDS } from "~/server/value/model-choice";
import type { PurchaseModelId } from "~/server/value/purchase-model";
import { parseDay } from "~/server/value/summary";

export class UsageError extends Error {
  name = "UsageError";
}

/** A problem with the input data or file (exit code 1). */
export class InputError extends Error {
  name = "InputError";
}

export const usage = `Usage: npm run value -- --transactions FILE --calibration-end YYYY-MM-DD [options]

Fits a purchase model (BG/NBD by default) and Gamma-Gamma to a transaction log and prints each customer's
P(alive), expected purchases, expected spend and CLV over the horizon (stdout), with
progress and warnings on stderr.

  --transactions FILE      delimited text, one transaction a row
  --calibration-end DATE   last day of the calibration period (YYYY-MM-DD or YYYYMMDD)
  --customer-col C         customer column: a header name or a 1-based index
                           (default: customer_id, customer or id)
  --date-col D             date column (default: date or timestamp); YYYY-MM-DD, YYYYMMDD
                           or an ISO timestamp
  --amount-col A           amount column (default: amount, value or revenue); without
                           one only BG/NBD is fitted and spend and CLV are left empty
  --model M                purchase model: bgnbd (default), mbgnbd, pnbd (Pareto/NBD), or
                           auto: fit all three, compare them on the transactions after the
                           calibration end, print the comparison (stderr) and use the one
                           with the lowest holdout MAE of conditional expectations
  --holdout-end DATE       with --model auto, the last day of the holdout (default: the
                           file's last transaction day)
  --horizon-weeks N        forecast horizon in weeks (default 52)
  --discount-rate R        annual discount rate (default 0.1)
  --format csv|json        output format (default csv)
  --delimiter D            , ; | tab or whitespace (default ,)
  --no-header              the file has no header row: give columns by 1-based index
  --help                   this text

Example (the CDNOW sample, whitespace-separated, no header):
  npm run value -- --transactions test/data/cdnow/CDNOW_sample.txt --calibration-end 1997-09-30 \\
    --delimiter whitespace --no-header --customer-col 1 --date-col 3 --amount-col 5
`;

export interface ValueOptions {
  transactions: string;
  calibrationEndDay: number;
  calibrationEnd: string;
  customerCol?: string;
  dateCol?: string;
  amountCol?: string;
  model: PurchaseModelId | "auto";
  /** With model "auto"; undefined means the file's last transaction day. */
  holdoutEndDay?: number;
  horizonWeeks: number;
  discountRate: number;
  format: "csv" | "json";
  delimiter: Delimiter;
  header: boolean;
}

const delimiterNames: Record<string, Delimiter> = {
  ",": ",",
  comma: ",",
  ";": ";",
  semicolon: ";",
  tab: "\t",
  "\\t": "\t",
  "\t": "\t",
  "|": "|",
  pipe: "|",
  whitespace: "whitespace",
  space: "whitespace",
};

function number(
  name: string,
  text: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
  rule: string,
) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name} "${text}" is not valid: it must be ${rule}.`);
  }
  return n;
}

function date(name: string, text: string) {
  const day = parseDay(text);
  if (day === undefined || text.includes("T")) {
    throw new UsageError(`--${name} "${text}" is not a date: write it as YYYY-MM-DD.`);
  }
  return day;
}

/** The options, or "help". Throws UsageError with a message for the user. */
export function parseValueArgs(argv: string[]): ValueOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        transactions: { type: "string" },
        "calibration-end": { type: "string" },
        "customer-col": { type: "string" },
        "date-col": { type: "string" },
        "amount-col": { type: "string" },
        model: { type: "string" },
        "holdout-end": { type: "string" },
        "horizon-weeks": { type: "string" },
        "discount-rate": { type: "string" },
        format: { type: "string" },
        delimiter: { type: "string" },
        "no-header": { type: "boolean" },
        help: { type: "boolean" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return "help";
  if (!v.transactions) throw new UsageError("--transactions FILE is required.");
  if (!v["calibration-end"]) throw new UsageError("--calibration-end YYYY-MM-DD is required.");
  const calibrationEndDay = date("calibration-end", v["calibration-end"]);
  const model = (v.model ?? "bgnbd") as ValueOptions["model"];
  if (model !== "auto" && !PURCHASE_MODEL_IDS.includes(model)) {
    throw new UsageError(`--model "${v.model}": use ${PURCHASE_MODEL_IDS.join(", ")} or auto.`);
  }
  let holdoutEndDay: number | undefined;
  if (v["holdout-end"] !== undefined) {
    if (model !== "auto") throw new UsageError("--holdout-end is for --model auto.");
    holdoutEndDay = date("holdout-end", v["holdout-end"]);
    if (holdoutEndDay <= calibrationEndDay) {
      throw new UsageError(`--holdout-end "${v["holdout-end"]}" must be after the calibration end.`);
    }
  }
  const format = v.format ?? "csv";
  if (format !== "csv" && format !== "json") throw new UsageError(`--format "${format}": use csv or json.`);
  const delimiter = delimiterNames[v.delimiter ?? ","];
  if (!delimiter) throw new UsageError(`--delimiter "${v.delimiter}": use , ; | tab or whitespace.`);
  const header = !v["no-header"];
  if (!header) {
    for (const name of ["customer-col", "date-col", "amount-col"] as const) {
      const given = v[name];
      if (given !== undefined && !/^[1-9]\d*$/.test(given)) {
        throw new UsageError(`--${name} "${given}": with --no-header give the column's 1-based index.`);
      }
    }
    if (!v["customer-col"] || !v["date-col"]) {
      throw new UsageError("--no-header needs --customer-col and --date-col as 1-based column indexes.");
    }
  }
  return {
    transactions: v.transactions,
    calibrationEndDay,
    calibrationEnd: v["calibration-end"],
    customerCol: v["customer-col"],
    dateCol: v["date-col"],
    amountCol: v["amount-col"],
    model,
    holdoutEndDay,
    horizonWeeks: number("horizon-weeks", v["horizon-weeks"], 52, (n) => n > 0, "a number of weeks > 0"),
    discountRate: number(
      "discount-rate",
      v["discount-rate"],
      0.1,
      (n) => n >= 0 && n < 10,
      "a rate ≥ 0 such as 0.1",
    ),
    format,
    delimiter,
    header,
  };
}

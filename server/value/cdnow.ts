// The CDNOW 1/10th sample (test/data/cdnow/CDNOW_sample.txt; see PROVENANCE.md there), the
// data set of the published BG/NBD and Gamma-Gamma estimates. Used by the tests, the
// benchmark and the calibration/holdout report. The published analyses calibrate on
// 1997-01-01..1997-09-30 (39 weeks) and hold out 1997-10-01..1998-06-30 (39 weeks).

import fs from "node:fs";
import path from "node:path";
import { parseDay, summarizeTransactions } from "./summary";

const CDNOW_DIRECTORY = path.join(import.meta.dirname, "../../test/data/cdnow");
export const CDNOW_SAMPLE_PATH = path.join(CDNOW_DIRECTORY, "CDNOW_sample.txt");
/** The whole cohort the sample was drawn from: 23,570 customers, 69,659 rows. */
export const CDNOW_MASTER_PATH = path.join(CDNOW_DIRECTORY, "CDNOW_master.txt");

export const CDNOW_START = "1997-01-01";
export const CDNOW_CALIBRATION_END = "1997-09-30";
export const CDNOW_HOLDOUT_END = "1998-06-30";

export interface DatedTransaction {
  customerId: string;
  day: number;
  amount: number;
}

/** Whitespace-separated rows with customer, date (YYYYMMDD) and amount in the given columns. */
function readColumns(file: string, columns: { customer: number; date: number; amount: number }) {
  const out: DatedTransaction[] = [];
  for (const line of fs.readFileSync(file, "latin1").split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length <= columns.amount || !/^\d{8}$/.test(f[columns.date]!)) continue; // blank or header
    const day = parseDay(f[columns.date]!);
    if (day === undefined) throw new Error(`${file}: "${f[columns.date]}" is not a date.`);
    out.push({ customerId: f[columns.customer]!, day, amount: Number(f[columns.amount]) });
  }
  return out;
}

/** The sample's 6,919 rows: customer (the sample id), day number, dollar amount. */
export function readCdnowSample(file = CDNOW_SAMPLE_PATH): DatedTransaction[] {
  return readColumns(file, { customer: 1, date: 2, amount: 4 });
}

/** The master file's 69,659 rows (it has a header: customer_id date number_of_cds dollar_value). */
export function readCdnowMaster(file = CDNOW_MASTER_PATH): DatedTransaction[] {
  return readColumns(file, { customer: 0, date: 1, amount: 3 });
}

/** The sample's customers summarised at the calibration end (x, t_x, T, spend). */
export function cdnowCalibrationSummary(transactions = readCdnowSample()) {
  return summarizeTransactions(
    transactions.map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
    CDNOW_CALIBRATION_END,
  );
}

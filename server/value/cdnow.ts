// The CDNOW 1/10th sample (test/data/cdnow/CDNOW_sample.txt; see PROVENANCE.md there), the
// data set of the published BG/NBD and Gamma-Gamma estimates. Used by the tests, the
// benchmark and the calibration/holdout report. The published analyses calibrate on
// 1997-01-01..1997-09-30 (39 weeks) and hold out 1997-10-01..1998-06-30 (39 weeks).

import fs from "node:fs";
import path from "node:path";
import { parseDay, summarizeTransactions } from "./summary";

export const CDNOW_SAMPLE_PATH = path.join(import.meta.dirname, "../../test/data/cdnow/CDNOW_sample.txt");

export const CDNOW_START = "1997-01-01";
export const CDNOW_CALIBRATION_END = "1997-09-30";
export const CDNOW_HOLDOUT_END = "1998-06-30";

export interface DatedTransaction {
  customerId: string;
  day: number;
  amount: number;
}

/** The sample's 6,919 rows: customer (the sample id), day number, dollar amount. */
export function readCdnowSample(file = CDNOW_SAMPLE_PATH): DatedTransaction[] {
  const out: DatedTransaction[] = [];
  for (const line of fs.readFileSync(file, "latin1").split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const day = parseDay(f[2]!);
    if (day === undefined) throw new Error(`${file}: "${f[2]}" is not a date.`);
    out.push({ customerId: f[1]!, day, amount: Number(f[4]) });
  }
  return out;
}

/** The sample's customers summarised at the calibration end (x, t_x, T, spend). */
export function cdnowCalibrationSummary(transactions = readCdnowSample()) {
  return summarizeTransactions(
    transactions.map((t) => ({ customerId: t.customerId, date: t.day, amount: t.amount })),
    CDNOW_CALIBRATION_END,
  );
}

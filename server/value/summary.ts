// From a transaction log to each customer's (x, t_x, T) and average repeat spend at a
// calibration end date: the "customer-by-sufficient-statistic" summary that the BG/NBD
// and Gamma-Gamma models are fitted on.
//
// Time runs in whole days: a purchase day is a calendar date, purchases on the same day
// are one transaction (their amounts add up), and t_x and T are days / 7. T is measured
// from the first purchase day to the calibration end day itself (not to the end of that
// day): a customer who first bought on 1997-01-01 has T = 272 / 7 = 38.86 weeks at
// 1997-09-30, the convention of the published CDNOW analyses and of lifetimes'
// summary_data_from_transaction_data.

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date; undefined for an impossible date. */
export function dayFromParts(year: number, month: number, day: number): number | undefined {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return ms / DAY_MS;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * The day number of "YYYY-MM-DD", "YYYYMMDD" or an ISO timestamp ("YYYY-MM-DDTHH:MM...",
 * whose calendar date is taken as written, whatever its time zone); undefined otherwise.
 */
export function parseDay(text: string): number | undefined {
  const s = text.trim();
  const m = ISO_DATE.exec(s) ?? COMPACT_DATE.exec(s);
  if (!m) return undefined;
  return dayFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** "YYYY-MM-DD" of a day number. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface Transaction {
  customerId: string;
  /** A date string (see parseDay) or a day number. */
  date: string | number;
  amount?: number | null;
}

export interface CustomerSummary {
  customerId: string;
  /** Repeat purchase days in the calibration period: distinct purchase days - 1. */
  x: number;
  /** Recency: weeks from the first to the last purchase day. */
  tx: number;
  /** Age: weeks from the first purchase day to the calibration end. */
  T: number;
  firstDay: number;
  lastDay: number;
  /** Spend over all purchase days up to the calibration end; null without amounts. */
  totalSpend: number | null;
  /** Mean spend of the repeat purchase days (the first day excluded); null when x = 0 or without amounts. */
  averageRepeatSpend: number | null;
}

interface CustomerLog {
  days: number[];
  amounts: number[] | null;
}

/**
 * Collects transactions one at a time (in any order) and summarises them per customer.
 * It keeps only what is on or before the calibration end: one day number and one amount
 * per transaction, grouped by customer.
 */
export class CalibrationLog {
  private readonly customers = new Map<string, CustomerLog>();
  /** Transactions after the calibration end, skipped. */
  ignoredAfterEnd = 0;
  transactions = 0;

  constructor(
    readonly calibrationEndDay: number,
    readonly withAmounts: boolean,
  ) {}

  add(customerId: string, day: number, amount?: number | null) {
    if (day > this.calibrationEndDay) {
      this.ignoredAfterEnd++;
      return;
    }
    this.transactions++;
    let log = this.customers.get(customerId);
    if (!log) {
      log = { days: [], amounts: this.withAmounts ? [] : null };
      this.customers.set(customerId, log);
    }
    log.days.push(day);
    log.amounts?.push(amount ?? 0);
  }

  get customerCount() {
    return this.customers.size;
  }

  /** One summary per customer, in the order customers first appeared. */
  summarize(): CustomerSummary[] {
    const out: CustomerSummary[] = [];
    for (const [customerId, log] of this.customers)
      out.push(summarizeCustomer(customerId, log, this.calibrationEndDay));
    return out;
  }
}

function summarizeCustomer(customerId: string, log: CustomerLog, endDay: number): CustomerSummary {
  const { days, amounts } = log;
  const order = days.map((_, i) => i);
  if (!isSorted(days)) order.sort((i, j) => days[i]! - days[j]!);

  const firstDay = days[order[0]!]!;
  let lastDay = firstDay;
  let distinctDays = 0;
  let total = 0;
  let firstDaySpend = 0;
  let previous = NaN;
  for (const i of order) {
    const day = days[i]!;
    if (day !== previous) {
      distinctDays++;
      previous = day;
      lastDay = day;
    }
    if (amounts) {
      total += amounts[i]!;
      if (day === firstDay) firstDaySpend += amounts[i]!;
    }
  }
  const x = distinctDays - 1;
  return {
    customerId,
    x,
    tx: (lastDay - firstDay) / 7,
    T: (endDay - firstDay) / 7,
    firstDay,
    lastDay,
    totalSpend: amounts ? total : null,
    averageRepeatSpend: amounts && x > 0 ? (total - firstDaySpend) / x : null,
  };
}

function isSorted(values: number[]) {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** Summaries of a whole log held in memory (tests, the CDNOW analyses). */
export function summarizeTransactions(
  transactions: Iterable<Transaction>,
  calibrationEnd: string | number,
): CustomerSummary[] {
  const endDay = typeof calibrationEnd === "number" ? calibrationEnd : parseDay(calibrationEnd);
  if (endDay === undefined) throw new Error(`Calibration end "${calibrationEnd}" is not a date.`);
  let log: CalibrationLog | undefined;
  for (const t of transactions) {
    const day = typeof t.date === "number" ? t.date : parseDay(t.date);
    if (day === undefined) throw new Error(`Transaction of ${t.customerId}: "${t.date}" is not a date.`);
    log ??= new CalibrationLog(endDay, t.amount !== undefined && t.amount !== null);
    log.add(t.customerId, day, t.amount);
  }
  return log ? log.summarize() : [];
}

import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx, Transaction } from "~/db";

// The purchase summary a fit starts from, computed in the database: per
// current customer (events.customer_id follows merges) and UTC day, the
// purchases (track events with an amount, the rule of customers.purchase_count)
// become one purchase day whose spend is the day's sum; then per customer the
// first and last day, the number of days and the spend, up to the calibration
// end. Rows reach Node through a cursor in chunks and land in typed arrays, so
// a million customers never exist as a million objects.
//
// One statement reads the events once, in one sort: purchase days per
// (customer, day) in customer and day order, each with the customer's first day
// and its spend (window functions over that order), then two groupings in one
// pass: per customer (first and last day, days and spend up to the calibration
// end) and per day (the repeat purchase days of customers who first bought by
// the calibration end: the tracking curve, holdout days included).

export const SUMMARY_FETCH_ROWS = 20_000;

export interface PurchaseSummary {
  /** Days since 1970-01-01 (UTC). */
  calibrationEndDay: number;
  /** Customers with a purchase on or before the calibration end, by customer id (ascending, as uuids sort). */
  ids: string[];
  firstDay: Int32Array;
  lastDay: Int32Array;
  /** Repeat purchase days: distinct purchase days - 1. */
  x: Int32Array;
  /** Spend of all purchase days up to the calibration end. */
  totalSpend: Float64Array;
  /** Spend of the repeat purchase days (the first day excluded); m̄ = repeatSpend / x. */
  repeatSpend: Float64Array;
  /** Repeat purchase days of these customers per day, holdout days (after the calibration end) included, by day. */
  repeatDays: { day: Int32Array; count: Float64Array };
  /** The last purchase day in the workspace, whatever the calibration end; null without purchases. */
  lastDataDay: number | null;
  /** The same customers seen from an earlier split, for the model comparison; null when not asked for. */
  comparison: ComparisonSummary | null;
}

/**
 * The model comparison's view of the purchases: calibration to `calibrationEndDay`, holdout
 * to `holdoutEndDay`. Per customer of the summary (customers first seen after the split have
 * firstDay > calibrationEndDay and are not in the comparison).
 */
export interface ComparisonSummary {
  calibrationEndDay: number;
  holdoutEndDay: number;
  /** Repeat purchase days up to the split. */
  x: Int32Array;
  /** Last purchase day up to the split. */
  lastDay: Int32Array;
  /** Repeat purchase days after the split, up to the holdout end. */
  holdout: Int32Array;
  /** Repeat purchase days per day of the customers first seen by the split, up to the holdout end. */
  repeatDays: { day: Int32Array; count: Float64Array };
}

/** SQL for a purchase's UTC calendar day as a day number (days since 1970-01-01). */
const purchaseDay = sql`((timestamp at time zone 'UTC')::date - date '1970-01-01')`;
/** A purchase: a track event with an amount (the rule of customers.purchase_count); also read by journey impact. */
export const isPurchase = sql`type = 'track' and amount is not null`;

/**
 * The UTC day of the workspace's latest purchase (days since 1970-01-01), or
 * null without purchases. Walks events_time_idx backwards from the newest event.
 */
export async function latestPurchaseDay(db: DbOrTx, workspaceId: string): Promise<number | null> {
  const result = await db.execute<{ day: number }>(sql`
    select ${purchaseDay} as day from events
    where workspace_id = ${workspaceId} and ${isPurchase}
    order by timestamp desc limit 1`);
  const day = result.rows[0]?.day;
  return day === undefined ? null : Number(day);
}

/** The UTC day of the workspace's first purchase, or null without purchases (events_time_idx forwards). */
export async function earliestPurchaseDay(db: DbOrTx, workspaceId: string): Promise<number | null> {
  const result = await db.execute<{ day: number }>(sql`
    select ${purchaseDay} as day from events
    where workspace_id = ${workspaceId} and ${isPurchase}
    order by timestamp asc limit 1`);
  const day = result.rows[0]?.day;
  return day === undefined ? null : Number(day);
}

/**
 * Summarises the workspace's purchases at the calibration end. Runs in `tx`,
 * which must be a transaction (the cursor lives in it).
 */
export async function summarizePurchases(
  tx: Transaction,
  input: {
    workspaceId: string;
    calibrationEndDay: number;
    /** Also summarise the purchases split at this day, with a holdout to holdoutEndDay. */
    comparison?: { calibrationEndDay: number; holdoutEndDay: number };
    fetchRows?: number;
  },
): Promise<PurchaseSummary> {
  const { workspaceId, calibrationEndDay: end } = input;
  // Without a comparison the split columns are computed at the calibration end and dropped.
  const split = input.comparison?.calibrationEndDay ?? end;
  const splitEnd = input.comparison?.holdoutEndDay ?? end;
  const fetchRows = input.fetchRows ?? SUMMARY_FETCH_ROWS;
  // Enough memory that the sort spills little; this transaction only.
  await tx.execute(sql`set local work_mem = '64MB'`);
  await tx.execute(sql`
    declare value_summary no scroll cursor for
    select grouping(customer_id) as part, customer_id, day,
      count(*) filter (where day <= ${end})::int as days,
      min(first_day) as first_day,
      max(day) filter (where day <= ${end}) as last_day,
      (sum(spend) filter (where day <= ${end}))::float8 as total,
      min(first_spend) as first_spend,
      count(*) filter (where day > first_day and first_day <= ${end})::int as repeats,
      count(*) filter (where day <= ${split})::int as split_days,
      max(day) filter (where day <= ${split}) as split_last_day,
      count(*) filter (where day > ${split} and day <= ${splitEnd})::int as holdout_days,
      count(*) filter (where day > first_day and first_day <= ${split} and day <= ${splitEnd})::int as split_repeats
    from (
      select customer_id, day, spend, min(day) over w as first_day, first_value(spend) over w as first_spend
      from (
        -- Amounts add up exactly (numeric): float sums depend on the order rows come in,
        -- which differs between plans, and a resumed fit must store what a whole one does.
        select customer_id, ${purchaseDay}::int as day, sum(amount) as spend
        from events
        where workspace_id = ${workspaceId} and ${isPurchase}
        group by 1, 2
      ) purchase_days
      window w as (partition by customer_id order by day)
    ) d
    group by grouping sets ((customer_id), (day))`);

  const ids: string[] = [];
  let capacity = 1024;
  let firstDay = new Int32Array(capacity);
  let lastDay = new Int32Array(capacity);
  let x = new Int32Array(capacity);
  let totalSpend = new Float64Array(capacity);
  let repeatSpend = new Float64Array(capacity);
  let splitX = new Int32Array(capacity);
  let splitLast = new Int32Array(capacity);
  let holdout = new Int32Array(capacity);
  const grow = (needed: number) => {
    if (needed <= capacity) return;
    while (capacity < needed) capacity *= 2;
    const copy = <A extends Int32Array | Float64Array>(old: A, make: (n: number) => A) => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    firstDay = copy(firstDay, (n) => new Int32Array(n));
    lastDay = copy(lastDay, (n) => new Int32Array(n));
    x = copy(x, (n) => new Int32Array(n));
    totalSpend = copy(totalSpend, (n) => new Float64Array(n));
    repeatSpend = copy(repeatSpend, (n) => new Float64Array(n));
    splitX = copy(splitX, (n) => new Int32Array(n));
    splitLast = copy(splitLast, (n) => new Int32Array(n));
    holdout = copy(holdout, (n) => new Int32Array(n));
  };
  const repeatByDay = new Map<number, number>();
  const splitRepeatByDay = new Map<number, number>();
  let lastDataDay: number | null = null;
  // The plan returns customers in id order; should another plan not, they are sorted below.
  let sorted = true;

  type Row = {
    part: number;
    customer_id: string | null;
    day: number | null;
    days: number;
    first_day: number;
    last_day: number | null;
    total: number | null;
    first_spend: number;
    repeats: number;
    split_days: number;
    split_last_day: number | null;
    holdout_days: number;
    split_repeats: number;
  };
  for (;;) {
    const { rows } = await tx.execute<Row>(sql`fetch ${sql.raw(String(fetchRows))} from value_summary`);
    grow(ids.length + rows.length);
    for (const row of rows) {
      if (row.part === 1) {
        const day = row.day!;
        lastDataDay = Math.max(lastDataDay ?? day, day);
        if (row.repeats > 0) repeatByDay.set(day, row.repeats);
        if (row.split_repeats > 0) splitRepeatByDay.set(day, row.split_repeats);
        continue;
      }
      // Customers whose first purchase is after the calibration end are not in this fit.
      if (row.days === 0) continue;
      const i = ids.length;
      const id = row.customer_id!;
      if (i > 0 && ids[i - 1]! >= id) sorted = false;
      ids.push(id);
      firstDay[i] = row.first_day;
      lastDay[i] = row.last_day!;
      x[i] = row.days - 1;
      const total = Number(row.total);
      totalSpend[i] = total;
      repeatSpend[i] = row.days > 1 ? total - Number(row.first_spend) : 0;
      splitX[i] = Math.max(0, row.split_days - 1);
      splitLast[i] = row.split_last_day ?? -1;
      holdout[i] = row.split_days > 0 ? row.holdout_days : 0;
    }
    if (rows.length < fetchRows) break;
  }
  await tx.execute(sql`close value_summary`);

  const byDay = (counts: Map<number, number>) => {
    const sortedDays = [...counts].sort((p, q) => p[0] - q[0]);
    return {
      day: Int32Array.from(sortedDays, ([day]) => day),
      count: Float64Array.from(sortedDays, ([, n]) => n),
    };
  };
  const n = ids.length;
  const order = sorted ? null : Array.from(ids.keys()).sort((i, j) => (ids[i]! < ids[j]! ? -1 : 1));
  const pick = <A extends Int32Array | Float64Array>(values: A) => {
    const out = values.slice(0, n) as A;
    if (order) for (let k = 0; k < n; k++) out[k] = values[order[k]!]!;
    return out;
  };
  return {
    calibrationEndDay: end,
    ids: order ? order.map((i) => ids[i]!) : ids,
    firstDay: pick(firstDay),
    lastDay: pick(lastDay),
    x: pick(x),
    totalSpend: pick(totalSpend),
    repeatSpend: pick(repeatSpend),
    repeatDays: byDay(repeatByDay),
    lastDataDay,
    comparison: input.comparison
      ? {
          ...input.comparison,
          x: pick(splitX),
          lastDay: pick(splitLast),
          holdout: pick(holdout),
          repeatDays: byDay(splitRepeatByDay),
        }
      : null,
  };
}

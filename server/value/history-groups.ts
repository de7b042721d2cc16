// Customers with the same purchase history (x, t_x, T) have the same likelihood and the
// same predictions, so the models work on the distinct histories with a count each.
// With day-level dates the number of distinct histories is bounded by
// (distinct x) × (days in the calibration period)², whatever the number of customers.

export interface PurchaseHistory {
  /** Repeat purchases (a whole number ≥ 0). */
  x: number;
  /** Weeks from the first to the last purchase (0 when x = 0). */
  tx: number;
  /** Weeks from the first purchase to the calibration end (≥ tx). */
  T: number;
}

export interface HistoryGroups {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Customers with this history. */
  count: Float64Array;
  /** For each customer, in input order, the index of its group. */
  groupOf: Int32Array;
  customers: number;
}

export function checkHistory(h: PurchaseHistory, index: number) {
  const ok =
    Number.isInteger(h.x) &&
    h.x >= 0 &&
    Number.isFinite(h.tx) &&
    Number.isFinite(h.T) &&
    h.tx >= 0 &&
    h.T >= h.tx &&
    (h.x > 0 || h.tx === 0);
  if (!ok) {
    throw new RangeError(
      `Customer ${index + 1}: (x, t_x, T) = (${h.x}, ${h.tx}, ${h.T}) is not a purchase history ` +
        "(x must be a whole number ≥ 0, 0 ≤ t_x ≤ T, and t_x = 0 when x = 0).",
    );
  }
}

/** Groups customers by identical (x, t_x, T). */
export function groupHistories(customers: readonly PurchaseHistory[]): HistoryGroups {
  const index = new Map<number, Map<number, Map<number, number>>>();
  const groupOf = new Int32Array(customers.length);
  const xs: number[] = [];
  const txs: number[] = [];
  const Ts: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < customers.length; i++) {
    const h = customers[i]!;
    checkHistory(h, i);
    let byTx = index.get(h.x);
    if (!byTx) index.set(h.x, (byTx = new Map()));
    let byT = byTx.get(h.tx);
    if (!byT) byTx.set(h.tx, (byT = new Map()));
    let g = byT.get(h.T);
    if (g === undefined) {
      g = xs.length;
      byT.set(h.T, g);
      xs.push(h.x);
      txs.push(h.tx);
      Ts.push(h.T);
      counts.push(0);
    }
    counts[g]!++;
    groupOf[i] = g;
  }
  return {
    x: Float64Array.from(xs),
    tx: Float64Array.from(txs),
    T: Float64Array.from(Ts),
    count: Float64Array.from(counts),
    groupOf,
    customers: customers.length,
  };
}

/**
 * The distinct x values of grouped data, each group's index into them and each x's total
 * count: the likelihoods compute their terms that depend on x alone once per distinct x.
 */
export function distinctX(groups: { x: Float64Array; count: Float64Array }) {
  const position = new Map<number, number>();
  const values: number[] = [];
  const xIndex = new Int32Array(groups.x.length);
  const totals: number[] = [];
  for (let i = 0; i < groups.x.length; i++) {
    const x = groups.x[i]!;
    let k = position.get(x);
    if (k === undefined) {
      k = values.length;
      position.set(x, k);
      values.push(x);
      totals.push(0);
    }
    xIndex[i] = k;
    totals[k]! += groups.count[i]!;
  }
  return { values: Float64Array.from(values), totals: Float64Array.from(totals), xIndex };
}

export type XTable = ReturnType<typeof distinctX>;

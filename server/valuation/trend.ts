// The value trend beside the maturity trend has one point per day, as the maturity trend
// has: several fits on one day (a refit after an import, say) would otherwise stack into a
// vertical line. The day's last fit stands for the day.

/** The last of each UTC day's items, from items ordered by `at` ascending (null `at`s are dropped). */
export function lastOfEachDay<T extends { at: Date | null }>(items: readonly T[]): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (!item.at) continue;
    const day = item.at.toISOString().slice(0, 10);
    if (out.length && out.at(-1)!.at!.toISOString().slice(0, 10) === day) out[out.length - 1] = item;
    else out.push(item);
  }
  return out;
}

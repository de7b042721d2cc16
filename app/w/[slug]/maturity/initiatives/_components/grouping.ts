import type { InitiativeStatus } from "~/db/enums";
import { statusLabels, statusOrder } from "../../_components/initiative-status";

export type GroupBy = "dimension" | "status";

export interface Group<T> {
  key: string;
  title: string;
  items: T[];
}

/**
 * Initiatives in groups: by dimension in the model's order (a key the model no
 * longer has comes after, under its key), or by status with what needs attention
 * first. Empty groups are left out; the order inside a group is kept.
 */
export function groupInitiatives<T extends { dimensionKey: string; status: InitiativeStatus }>(
  items: readonly T[],
  by: GroupBy,
  dimensions: readonly { key: string; name: string }[],
): Group<T>[] {
  if (by === "status")
    return statusOrder
      .map((status) => ({
        key: status,
        title: statusLabels[status],
        items: items.filter((i) => i.status === status),
      }))
      .filter((g) => g.items.length > 0);
  const known = dimensions.map((d) => ({
    key: d.key,
    title: d.name,
    items: items.filter((i) => i.dimensionKey === d.key),
  }));
  const unknownKeys = [...new Set(items.map((i) => i.dimensionKey))]
    .filter((key) => !dimensions.some((d) => d.key === key))
    .sort();
  const others = unknownKeys.map((key) => ({
    key,
    title: `${key} (not in the current model)`,
    items: items.filter((i) => i.dimensionKey === key),
  }));
  return [...known, ...others].filter((g) => g.items.length > 0);
}

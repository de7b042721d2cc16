import "server-only";
import { eq, isNull, sql, type SQL } from "drizzle-orm";
import { customers, customerValues } from "~/db/schema";
import type { Channel } from "~/db/enums";
import type { RfmGroup } from "~/server/valuation/types";

// The customer list's WHERE: the workspace's standing profiles, the search's
// matches and the filters the list offers.

export interface ListCustomersFilters {
  /** Name or email prefix (any case), or an identifier: user id, anonymous id, email, phone (exact or prefix). */
  search?: string;
  /** Customers with at least one event on this channel. */
  channel?: Channel;
  lastSeenWithinDays?: number;
  lastSeenBefore?: Date;
  /** Total spend at least this much. */
  minSpend?: number;
  /** In this RFM group at the latest fit. */
  rfmGroup?: RfmGroup;
  /** Customer lifetime value at least this much. */
  minClv?: number;
  /** Members of this segment (its materialised membership). */
  segmentId?: string;
}

/** The list's conditions on `customers` (and `customer_values`, when a value filter joins it). */
export function listConditions(
  workspaceId: string,
  matchIds: string[] | undefined,
  filters: Omit<ListCustomersFilters, "search">,
  now: Date,
) {
  return [
    eq(customers.workspaceId, workspaceId),
    isNull(customers.mergedInto),
    matchIds ? sql`${customers.id} = any(${`{${matchIds.join(",")}}`}::uuid[])` : undefined,
    ...filterConditions(filters, now),
  ];
}

/** Whether a filter reads the value columns, which then must be joined. */
export function filtersOnValues(filters: Omit<ListCustomersFilters, "search">) {
  return filters.rfmGroup !== undefined || filters.minClv !== undefined;
}

function filterConditions(filters: Omit<ListCustomersFilters, "search">, now: Date): SQL[] {
  const conditions: SQL[] = [];
  if (filters.channel) {
    conditions.push(sql`coalesce((${customers.channelCounts} ->> ${filters.channel})::numeric, 0) > 0`);
  }
  if (filters.lastSeenWithinDays !== undefined) {
    const since = new Date(now.getTime() - filters.lastSeenWithinDays * 24 * 3600 * 1000);
    conditions.push(sql`${customers.lastSeenAt} >= ${since.toISOString()}::timestamptz`);
  }
  if (filters.lastSeenBefore) {
    conditions.push(sql`${customers.lastSeenAt} < ${filters.lastSeenBefore.toISOString()}::timestamptz`);
  }
  if (filters.minSpend !== undefined) {
    conditions.push(sql`${customers.totalSpend} >= ${filters.minSpend}`);
  }
  if (filters.rfmGroup !== undefined) conditions.push(eq(customerValues.rfmGroup, filters.rfmGroup));
  if (filters.minClv !== undefined) conditions.push(sql`${customerValues.clv} >= ${filters.minClv}`);
  if (filters.segmentId !== undefined) {
    conditions.push(sql`exists (select 1 from segment_members sm where sm.workspace_id = ${customers.workspaceId}
      and sm.segment_id = ${filters.segmentId}::uuid and sm.customer_id = ${customers.id})`);
  }
  return conditions;
}

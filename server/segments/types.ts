import type { Channel } from "~/db/enums";
import type { RfmGroup } from "~/server/value/rfm";

/** What the segment page shows of its members, computed at each full refresh (server/segments/membership.ts). */
export interface SegmentStats {
  /** Events of the members per channel, largest first. */
  channelMix: { channel: Channel; events: number; share: number }[];
  /** Of the latest value fit; null when the workspace has none. */
  value: {
    /** Members with a value row. */
    scored: number;
    totalClv: number;
    meanClv: number | null;
    meanPAlive: number | null;
    pastRevenue: number;
    groups: { group: RfmGroup; customers: number }[];
  } | null;
  /** Purchases and spend of the members (customers' running summaries). */
  purchases: number;
  spend: number;
}

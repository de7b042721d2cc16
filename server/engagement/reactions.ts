import type { Channel, EventType } from "~/db/enums";

// What a customer's own events say about how they react on each channel, the
// input of the best-channel and best-hour rules (./best-channel.ts,
// ./best-hour.ts). Pure, so the rules are tested on hand-made histories and the
// customer page, the journey runner and its dry run read the same figures.

/** How far back the rules look. */
export const HISTORY_DAYS = 180;

export const reactionKinds = ["open", "click", "visit", "purchase"] as const;
export type ReactionKind = (typeof reactionKinds)[number];

const MESSAGE = "(?:Email|Push|Push Notification|SMS|In-App Message|Message)";
const OPENED = new RegExp(`^${MESSAGE} Opened$`);
const CLICKED = new RegExp(`^${MESSAGE}(?: Link)? Clicked$`);
const PURCHASE = "Order Completed";

/**
 * The kind of reaction an event is: opening or clicking a message (`Email
 * Opened`, `Email Clicked`, `Email Link Clicked`, the same for Push, SMS and
 * in-app messages), a purchase (`Order Completed`), or a visit: any other page,
 * screen or track event the customer did on the channel (pages and products
 * viewed, the app opened, a post liked, a call).
 */
export function reactionKind(type: EventType, event: string | null): ReactionKind | null {
  if (type === "page" || type === "screen") return "visit";
  if (type !== "track" || !event) return null;
  if (OPENED.test(event)) return "open";
  if (CLICKED.test(event)) return "click";
  if (event === PURCHASE) return "purchase";
  return "visit";
}

/** A customer's reactions on one channel in the history window. */
export interface ChannelReactions {
  channel: Channel;
  opens: number;
  clicks: number;
  visits: number;
  purchases: number;
  /** The latest of them. */
  lastAt: Date;
}

/** How many of the customer's own events fell in one 15-minute slot (UTC start): the best hour's input. */
export interface ActivitySlot {
  at: Date;
  events: number;
}

export interface ReactionHistory {
  channels: ChannelReactions[];
  slots: ActivitySlot[];
}

export const emptyHistory = (): ReactionHistory => ({ channels: [], slots: [] });

/** Adds `count` events of one kind on a channel, at most as late as `lastAt`. */
export function addReactions(
  history: ReactionHistory,
  channel: Channel,
  kind: ReactionKind,
  count: number,
  lastAt: Date,
) {
  let row = history.channels.find((c) => c.channel === channel);
  if (!row) {
    row = { channel, opens: 0, clicks: 0, visits: 0, purchases: 0, lastAt };
    history.channels.push(row);
  }
  const field = ({ open: "opens", click: "clicks", visit: "visits", purchase: "purchases" } as const)[kind];
  row[field] += count;
  if (lastAt > row.lastAt) row.lastAt = lastAt;
}

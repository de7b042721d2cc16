import { channels, type Channel } from "~/db/enums";
import { HISTORY_DAYS, type ChannelReactions } from "./reactions";

// The customer's preferred channel for messages, from their reactions in the
// last 180 days (docs/journeys.md, "Best channel and best hour"):
//  1. the channel on which they answered the most messages (opens and clicks),
//     when they answered at least 3 there; ties: more clicks, then the latest;
//  2. else the channel on which they were most active (visits and purchases),
//     with at least 3 there; ties: more purchases, then the latest;
//  3. else none.
// Answers to messages come first because the question is where a message
// reaches the customer: an email reader who buys on the web is reached by
// email, and the order it leads to happens on the web.

export const MIN_ANSWERS = 3;
export const MIN_ACTIVITY = 3;

export interface PreferredChannel {
  channel: Channel | null;
  /** One sentence: why this channel, or why none. */
  reason: string;
}

const where: Record<Channel, string> = {
  web: "on the web",
  mobile: "in the app",
  email: "by email",
  store: "in store",
  call_center: "at the call centre",
  social: "on social media",
  other: "on other channels",
};

/** The channel as the subject of "… reaches them best". */
export const channelNames: Record<Channel, string> = {
  web: "the web",
  mobile: "the app",
  email: "email",
  store: "the store",
  call_center: "the call centre",
  social: "social media",
  other: "other channels",
};

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const answers = (r: ChannelReactions) => r.opens + r.clicks;
const activity = (r: ChannelReactions) => r.visits + r.purchases;

/** Ranks by the first key, then the next: each key is "more is better"; then the latest, then channel order. */
function best(rows: ChannelReactions[], keys: ((r: ChannelReactions) => number)[]) {
  return [...rows].sort((a, b) => {
    for (const key of keys) if (key(a) !== key(b)) return key(b) - key(a);
    if (a.lastAt.getTime() !== b.lastAt.getTime()) return b.lastAt.getTime() - a.lastAt.getTime();
    return channels.indexOf(a.channel) - channels.indexOf(b.channel);
  })[0];
}

function answered(r: ChannelReactions) {
  const reads = r.channel === "email" ? "Reads email" : `Answers messages ${where[r.channel]}`;
  return `${reads} (${counted(r.opens, "open")}, ${counted(r.clicks, "click")})`;
}

/** " and buys on the web (4 orders)" when the customer buys most on another channel than the preferred one. */
function buysElsewhere(rows: ChannelReactions[], preferred: Channel) {
  const buyer = best(
    rows.filter((r) => r.purchases > 0),
    [(r) => r.purchases],
  );
  if (!buyer || buyer.channel === preferred) return "";
  return ` and buys ${where[buyer.channel]} (${counted(buyer.purchases, "order")})`;
}

export function preferredChannel(rows: ChannelReactions[]): PreferredChannel {
  const reader = best(
    rows.filter((r) => answers(r) >= MIN_ANSWERS),
    [answers, (r) => r.clicks],
  );
  if (reader) {
    return {
      channel: reader.channel,
      reason: `${answered(reader)}${buysElsewhere(rows, reader.channel)}: ${channelNames[reader.channel]} reaches them best`,
    };
  }
  const active = best(
    rows.filter((r) => activity(r) >= MIN_ACTIVITY),
    [activity, (r) => r.purchases],
  );
  if (active) {
    return {
      channel: active.channel,
      reason:
        `Answers too few messages (fewer than ${MIN_ANSWERS} opens and clicks on any channel) and is most active ` +
        `${where[active.channel]} (${counted(active.visits, "visit")}, ${counted(active.purchases, "order")}): ` +
        `${channelNames[active.channel]} reaches them best`,
    };
  }
  const total = rows.reduce((n, r) => n + answers(r) + activity(r), 0);
  return {
    channel: null,
    reason:
      `Too few reactions in the last ${HISTORY_DAYS} days (${total}; ${MIN_ANSWERS} on one channel needed): ` +
      `no preferred channel`,
  };
}

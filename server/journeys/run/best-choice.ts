import type { Channel } from "~/db/enums";
import type { Reachability } from "~/server/consent/reachability";
import { channelNames } from "~/server/engagement/best-channel";
import type { Touchpoint } from "../design";
import type { StepFacts } from "./step";
import { nextSendTime, type SendRules } from "./timing";

// A touchpoint's "best channel" and "best hour" for one customer, with the
// reason that goes on the timeline with the message: the customer's preferred
// channel when the touchpoint may use it and it reaches them, else the first
// channel of the touchpoint's order that does; their usual active hours inside
// the send window, else the touchpoint's own timing. Pure, part of the step.

export interface ChannelChoice {
  channel: Channel;
  reach: Reachability;
  /** Why this channel; null for a touchpoint on a fixed channel. */
  reason: string | null;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function chooseChannel(tp: Touchpoint, facts: StepFacts): ChannelChoice {
  if (!tp.bestChannel) return { channel: tp.channel, reach: facts.reachable(tp.channel), reason: null };
  const order = [...new Set([tp.channel, ...tp.bestChannel.fallback])];
  const checked = order.map((channel) => ({ channel, reach: facts.reachable(channel) }));
  const preferred = facts.preferredChannel ?? { channel: null, reason: "Their reactions are not known" };
  const mine = checked.find((c) => c.channel === preferred.channel);
  if (mine?.reach.allowed) {
    return { ...mine, reason: `preferred channel: ${lowerFirst(preferred.reason)}` };
  }
  const why =
    preferred.channel === null
      ? `no preferred channel (${lowerFirst(preferred.reason)})`
      : !mine
        ? `the preferred channel, ${channelNames[preferred.channel]}, is not one of this touchpoint's`
        : `the preferred channel, ${channelNames[preferred.channel]}, does not reach them (${mine.reach.allowed ? "" : mine.reach.reason})`;
  const first = checked.find((c) => c.reach.allowed);
  if (first)
    return { ...first, reason: `${why}; first in the order (${order.join(", ")}) that reaches them` };
  const refusals = checked.map((c) => `${c.channel}: ${c.reach.allowed ? "" : c.reach.reason}`).join("; ");
  return {
    channel: tp.channel,
    reach: { allowed: false, reason: `no channel in the order reaches them (${refusals})` },
    reason: why,
  };
}

export interface TimingChoice {
  /** When the message may go out; null when no hour is allowed. */
  at: Date | null;
  /** Why this moment; null for a touchpoint on its own timing. */
  reason: string | null;
}

/** The moment at or after `from` when the message goes: inside the customer's best hours when asked and possible. */
export function chooseSendTime(tp: Touchpoint, facts: StepFacts, from: Date, rules: SendRules): TimingChoice {
  const fixed = () => nextSendTime(from, facts.timeZone, rules);
  if (!tp.sendAtBestHour) return { at: fixed(), reason: null };
  const best = facts.bestHour;
  if (!best?.hours) {
    return {
      at: fixed(),
      reason: `no best hour (${lowerFirst(best?.reason ?? "Their events are not known")}): the touchpoint's own timing`,
    };
  }
  const at = nextSendTime(from, facts.timeZone, rules, best.hours);
  if (!at) {
    return {
      at: fixed(),
      reason: `their usual hours are never inside the send window and outside the quiet hours (${lowerFirst(best.reason)}): the touchpoint's own timing`,
    };
  }
  return { at, reason: `best hour: ${lowerFirst(best.reason)}` };
}

import type { Channel } from "~/db/enums";
import type { BestHour } from "~/server/engagement/best-hour";
import type { PreferredChannel } from "~/server/engagement/best-channel";
import type { Touchpoint } from "../design";
import { chooseChannel, chooseSendTime } from "./best-choice";
import { assignVariant, type RunnableFlow } from "./flow";

// One customer's step through a running journey: from the node they are at,
// as far as the design lets them go now — through the entry, branches and
// touchpoints due now — until they must wait (a delay, a send window, an event)
// or reach an exit. Pure: what it needs to know about the customer (events,
// segments, messages already sent, consent) comes in `facts`, and what it
// decides comes out as the enrollment's new position, the messages to send and
// the timeline events to write, which the runner commits together.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A customer waiting for a touchpoint's trigger event is looked at again after this, in case a wake-up was missed. */
export const EVENT_WAIT_RECHECK_MS = 6 * HOUR_MS;
/** At most this many nodes in one step, so that a loop drawn on the canvas cannot spin. */
const MAX_HOPS = 50;
/** The end reason of a customer who did the journey's final goal. */
export const GOAL_REACHED = "reached the goal";
/** Why a held-out customer's message is skipped: they are the journey's control group. */
export const HELD_OUT = "held out (control group)";

export interface Position {
  nodeId: string;
  nodeSince: Date;
  triggeredAt: Date | null;
  triggerEventId: number | null;
  variants: Record<string, string>;
}

export interface EnrollmentAtStep extends Position {
  id: string;
  journeyId: string;
  customerId: string;
  version: number;
  enteredAt: Date;
  steps: number;
  /** In the control group: taken through every step like the others, but sent nothing. */
  holdout: boolean;
}

export interface EventFact {
  id: number;
  event: string;
  channel: Channel;
  timestamp: Date;
  properties: Record<string, unknown>;
}

export interface StepFacts {
  timeZone: string;
  /** The customer's events of the flow's watched names since they entered, oldest first. */
  events: EventFact[];
  inSegment(segmentId: string): boolean;
  /** Messages on the channel to this customer since `since`, across all journeys (not counting this step's). */
  sentOnChannelSince(channel: Channel, since: Date): number;
  /** Whether the customer may be sent a message on the channel: consent, suppression, an address. */
  reachable(channel: Channel): { allowed: true } | { allowed: false; reason: string };
  /** The customer's preferred channel, for touchpoints on the best channel; unknown when absent. */
  preferredChannel?: PreferredChannel;
  /** The customer's usual active hours in `timeZone`, for touchpoints sent at the best hour. */
  bestHour?: BestHour;
}

export interface PlannedSend {
  nodeId: string;
  touchpoint: Touchpoint;
  /** The channel it goes on: the touchpoint's, or the one its best-channel rule chose. */
  channel: Channel;
  /** Why that channel and that moment, for a best-channel or best-hour touchpoint. */
  why: { channelReason?: string; timingReason?: string };
  /** The variant of the A/B split the customer passed last, if any. */
  variant: string | null;
  triggerEvent: EventFact | null;
  /** The node visit it belongs to (enrollment steps + hop), for its idempotency key. */
  visit: number;
}

export interface TimelineNote {
  event: "Journey Entered" | "Journey Exited" | "Message Skipped";
  channel: Channel;
  properties: Record<string, unknown>;
}

export interface StepOutcome {
  position: Position;
  state: "active" | "completed" | "exited";
  endReason: string | null;
  /** When the runner looks at the customer next (active only). */
  dueAt: Date;
  sends: PlannedSend[];
  notes: TimelineNote[];
  /** Nodes passed in this step. */
  hops: number;
}

function matches(e: EventFact, event: string, channel: string | undefined, from: Date, until?: Date) {
  return (
    e.event === event &&
    (!channel || e.channel === channel) &&
    e.timestamp >= from &&
    (!until || e.timestamp <= until)
  );
}

export function takeStep(
  flow: RunnableFlow,
  enrollment: EnrollmentAtStep,
  facts: StepFacts,
  now: Date,
): StepOutcome {
  const sends: PlannedSend[] = [];
  const notes: TimelineNote[] = [];
  const at: Position = { ...enrollment, variants: { ...enrollment.variants } };
  const ids = { journeyId: enrollment.journeyId, version: enrollment.version };
  let lastVariant: string | null = Object.values(at.variants).at(-1) ?? null;

  const end = (state: "completed" | "exited", reason: string, hops: number): StepOutcome => {
    notes.push({
      event: "Journey Exited",
      channel: "other",
      properties: { ...ids, nodeId: at.nodeId, reason },
    });
    return { position: at, state, endReason: reason, dueAt: now, sends, notes, hops };
  };
  const wait = (until: Date, hops: number): StepOutcome => ({
    position: at,
    state: "active",
    endReason: null,
    dueAt: until,
    sends,
    notes,
    hops,
  });

  if (enrollment.steps === 0) {
    notes.push({ event: "Journey Entered", channel: "other", properties: { ...ids, nodeId: at.nodeId } });
  }
  const goal = flow.finalGoal;
  if (goal && facts.events.some((e) => matches(e, goal.event, goal.channel, enrollment.enteredAt))) {
    return end("completed", GOAL_REACHED, 0);
  }

  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const node = flow.nodes.get(at.nodeId);
    const move = (output: string | null) => {
      const next = flow.next(at.nodeId, output);
      if (next === null) return false;
      Object.assign(at, { nodeId: next, nodeSince: now, triggeredAt: null, triggerEventId: null });
      return true;
    };
    if (!node) return end("exited", "its step is not in this version", hop);
    switch (node.kind) {
      case "entry":
        if (!move(null)) return end("completed", "end of the flow", hop);
        break;
      case "exit":
        return end("completed", node.label, hop);
      case "branch": {
        const split = node.split;
        let output: string;
        if (split.kind === "segment") output = facts.inSegment(split.segmentId) ? "yes" : "no";
        else if (split.kind === "random") {
          output =
            at.variants[node.id] ??
            assignVariant(split, `${enrollment.journeyId}:${enrollment.customerId}:${node.id}`);
          at.variants[node.id] = output;
          lastVariant = output;
        } else {
          const deadline = new Date(at.nodeSince.getTime() + split.withinDays * DAY_MS);
          const did = facts.events.some((e) =>
            matches(e, split.event, split.channel, at.nodeSince, deadline),
          );
          if (did) output = "yes";
          else if (now >= deadline) output = "no";
          else return wait(deadline, hop);
        }
        if (!move(output)) return end("completed", "end of the flow", hop);
        break;
      }
      case "touchpoint": {
        const tp = flow.touchpoints.get(node.touchpointId)!;
        let triggerEvent: EventFact | null = null;
        if (at.triggeredAt === null) {
          if (tp.trigger.kind === "event") {
            const { event, channel } = tp.trigger;
            triggerEvent = facts.events.find((e) => matches(e, event, channel, at.nodeSince)) ?? null;
            if (!triggerEvent) return wait(new Date(now.getTime() + EVENT_WAIT_RECHECK_MS), hop);
            at.triggeredAt = triggerEvent.timestamp;
            at.triggerEventId = triggerEvent.id;
          } else {
            at.triggeredAt = tp.trigger.kind === "segmentEntry" ? enrollment.enteredAt : at.nodeSince;
          }
        } else if (at.triggerEventId !== null) {
          triggerEvent = facts.events.find((e) => e.id === at.triggerEventId) ?? null;
        }
        const due = new Date(at.triggeredAt.getTime() + tp.delayHours * HOUR_MS);
        // A step taken late (the run was paused, the runner was down) still keeps the window and quiet hours.
        const timing = chooseSendTime(tp, facts, due > now ? due : now, {
          sendWindow: tp.sendWindow,
          quietHours: flow.design.quietHours,
          respectQuietHours: tp.respectQuietHours,
        });
        const sendAt = timing.at;
        if (sendAt && sendAt > now) return wait(sendAt, hop);
        const { channel, reach, reason: channelReason } = chooseChannel(tp, facts);
        const why = {
          ...(channelReason ? { channelReason } : {}),
          ...(timing.reason ? { timingReason: timing.reason } : {}),
        };
        const skip = (reason: string) =>
          notes.push({
            event: "Message Skipped",
            channel,
            properties: { ...ids, touchpointId: tp.id, variant: lastVariant, reason, ...why },
          });
        if (!sendAt) skip("no hour is both inside the send window and outside the quiet hours");
        else if (
          tp.frequencyCap &&
          facts.sentOnChannelSince(channel, new Date(now.getTime() - tp.frequencyCap.perDays * DAY_MS)) +
            sends.filter((s) => s.channel === channel).length >=
            tp.frequencyCap.max
        ) {
          skip(`frequency cap: ${tp.frequencyCap.max} on ${channel} in ${tp.frequencyCap.perDays} days`);
        } else if (!reach.allowed) skip(reach.reason);
        else if (enrollment.holdout) skip(HELD_OUT);
        else {
          sends.push({
            nodeId: node.id,
            touchpoint: tp,
            channel,
            why,
            variant: lastVariant,
            triggerEvent,
            visit: enrollment.steps + hop,
          });
        }
        if (!move(null)) return end("completed", "end of the flow", hop + 1);
        break;
      }
    }
  }
  return end("exited", "the flow loops without a wait", MAX_HOPS);
}

import type { Channel } from "~/db/enums";
import type { JourneyDesign } from "./design";

// The parts of the funnel definition (docs/journeys.md, "Measuring it on real
// behaviour") that both the server's query and the browser's wording need.
// Client-safe: plain data, no database.

/** A stage the funnel counts: its place in the design and its goal. Stages without a goal are skipped. */
export interface FunnelStage {
  stage: number;
  event: string;
  channel: Channel | null;
}

/** The stages with a goal, in design order: each is reached after the one before it in this list. */
export function funnelStages(design: JourneyDesign): FunnelStage[] {
  return design.stages.flatMap((stage, i) =>
    stage.goal ? [{ stage: i, event: stage.goal.event, channel: stage.goal.channel ?? null }] : [],
  );
}

/**
 * The events that show a message reached a customer, or that they reacted to it, per channel that
 * carries messages the organisation sends. Names as in Segment's Email spec, plus "Email Clicked",
 * which many senders (and the demo data) use for a link click. A touchpoint on one of these channels
 * without an action event of its own (an order confirmation) is measured by them, not by its stage's
 * goal: its customers did not act on it, it was sent to them.
 */
const deliveryEvents: Partial<Record<Channel, readonly string[]>> = {
  email: ["Email Delivered", "Email Opened", "Email Clicked", "Email Link Clicked"],
};

export function deliveryEventsOf(channel: Channel): string[] {
  return [...(deliveryEvents[channel] ?? [])];
}

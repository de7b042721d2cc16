import { channels, type Channel } from "~/db/enums";
import type { JourneyDesign, Stage } from "~/server/journeys/design";

// The side-by-side reading of two journeys: stages paired by position (the
// first stage of one beside the first of the other), and how many touchpoints
// each puts on each channel.

export interface StageRow {
  position: number;
  a: Stage | null;
  b: Stage | null;
}

export function alignStages(a: JourneyDesign, b: JourneyDesign): StageRow[] {
  return Array.from({ length: Math.max(a.stages.length, b.stages.length) }, (_, position) => ({
    position,
    a: a.stages[position] ?? null,
    b: b.stages[position] ?? null,
  }));
}

/** Touchpoints per channel over the whole journey, in the channel list's order. */
export function channelMix(design: JourneyDesign): Map<Channel, number> {
  const mix = new Map<Channel, number>(channels.map((c) => [c, 0]));
  for (const stage of design.stages)
    for (const touchpoint of stage.touchpoints) mix.set(touchpoint.channel, mix.get(touchpoint.channel)! + 1);
  return mix;
}

/** The channels either journey uses, with both counts, for one aligned table. */
export function compareChannelMix(
  a: JourneyDesign,
  b: JourneyDesign,
): { channel: Channel; a: number; b: number }[] {
  const mixA = channelMix(a);
  const mixB = channelMix(b);
  return channels
    .map((channel) => ({ channel, a: mixA.get(channel)!, b: mixB.get(channel)! }))
    .filter((row) => row.a > 0 || row.b > 0);
}

/** A stage's touchpoints grouped by channel, in the channel list's order. */
export function touchpointsByChannel(stage: Stage): { channel: Channel; titles: string[] }[] {
  return channels
    .map((channel) => ({
      channel,
      titles: stage.touchpoints.filter((t) => t.channel === channel).map((t) => t.title),
    }))
    .filter((group) => group.titles.length > 0);
}

const emotionWords: Record<number, string> = {
  [-2]: "Very negative",
  [-1]: "Negative",
  0: "Neutral",
  1: "Positive",
  2: "Very positive",
};

export function emotionLabel(score: number): string {
  return emotionWords[score] ?? "Neutral";
}

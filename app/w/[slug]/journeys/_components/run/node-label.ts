import type { JourneyDesign } from "~/server/journeys/design";
import { channelLabels } from "../../../_components/channels";

/** What a flow node is called on the canvas: the entry, a touchpoint's title, a branch's or exit's label. */
export function nodeLabel(design: JourneyDesign, nodeId: string) {
  const node = design.flow.nodes.find((n) => n.id === nodeId);
  if (!node) return "A step no longer in the draft";
  if (node.kind === "entry") return "Entry";
  if (node.kind === "branch") return `Branch: ${node.label}`;
  if (node.kind === "exit") return `Exit: ${node.label}`;
  const tp = design.stages.flatMap((s) => s.touchpoints).find((t) => t.id === node.touchpointId);
  return tp ? `Waiting to send: ${tp.title}` : "A touchpoint no longer in the draft";
}

/** A touchpoint's title and channel, as the run's and the analytics' tables name it. */
export function touchpointTitle(design: JourneyDesign, touchpointId: string) {
  for (const stage of design.stages) {
    const tp = stage.touchpoints.find((t) => t.id === touchpointId);
    if (tp) return `${tp.title} (${channelLabels[tp.channel]})`;
  }
  return "A touchpoint no longer in the draft";
}

/**
 * The label of the A/B variant a message was sent in. A message records the
 * variant's id but not its split's; ids are unique within a design.
 */
export function sentVariantLabel(design: JourneyDesign, variantId: string) {
  for (const node of design.flow.nodes) {
    if (node.kind !== "branch" || node.split.kind !== "random") continue;
    const found = node.split.variants.find((v) => v.id === variantId);
    if (found) return found.label;
  }
  return variantId;
}

/** An A/B variant's label at a random split, or its id when the split is gone from the draft. */
export function variantLabel(design: JourneyDesign, branchNodeId: string, variant: string) {
  const node = design.flow.nodes.find((n) => n.id === branchNodeId);
  if (node?.kind !== "branch" || node.split.kind !== "random") return variant;
  return node.split.variants.find((v) => v.id === variant)?.label ?? variant;
}

import { createHash } from "node:crypto";
import type { FlowNode, JourneyDesign, Split, StageGoal, Touchpoint } from "../design";

// The parts of a design the runner reads, indexed once per published version:
// nodes by id, the arrow out of each output, touchpoints by id, the entries an
// event starts, the events a path can wait for, and the journey's final goal.

export interface RunnableFlow {
  design: JourneyDesign;
  nodes: Map<string, FlowNode>;
  touchpoints: Map<string, Touchpoint>;
  entryId: string;
  /** Touchpoint nodes with an event trigger and no arrow into them: the event starts a way there. */
  eventEntries: { nodeId: string; event: string; channel?: string }[];
  /** Every event name a step may look for: triggers, event branches, the final goal. */
  watchedEvents: string[];
  /** The last stage's goal: reaching it ends the journey for the customer. */
  finalGoal: StageGoal | null;
  /** Segments that segment branches test. */
  branchSegments: string[];
  /** The longest frequency-cap period, in days (0 without caps). */
  longestCapDays: number;
  next(nodeId: string, output: string | null): string | null;
}

export function runnableFlow(design: JourneyDesign): RunnableFlow {
  const nodes = new Map(design.flow.nodes.map((n) => [n.id, n]));
  const touchpoints = new Map(design.stages.flatMap((s) => s.touchpoints).map((t) => [t.id, t]));
  const arrows = new Map(design.flow.edges.map((e) => [`${e.source}\u0000${e.output ?? ""}`, e.target]));
  const targets = new Set(design.flow.edges.map((e) => e.target));
  const entry = design.flow.nodes.find((n) => n.kind === "entry")!;
  const watched = new Set<string>();
  const eventEntries: RunnableFlow["eventEntries"] = [];
  const branchSegments: string[] = [];
  let longestCapDays = 0;
  for (const node of design.flow.nodes) {
    if (node.kind === "touchpoint") {
      const tp = touchpoints.get(node.touchpointId)!;
      if (tp.trigger.kind === "event") {
        watched.add(tp.trigger.event);
        if (!targets.has(node.id))
          eventEntries.push({ nodeId: node.id, event: tp.trigger.event, channel: tp.trigger.channel });
      }
      if (tp.frequencyCap) longestCapDays = Math.max(longestCapDays, tp.frequencyCap.perDays);
    }
    if (node.kind === "branch" && node.split.kind === "event") watched.add(node.split.event);
    if (node.kind === "branch" && node.split.kind === "segment") branchSegments.push(node.split.segmentId);
  }
  const finalGoal = [...design.stages].reverse().find((s) => s.goal)?.goal ?? null;
  if (finalGoal) watched.add(finalGoal.event);
  return {
    design,
    nodes,
    touchpoints,
    entryId: entry.id,
    eventEntries,
    watchedEvents: [...watched],
    finalGoal,
    branchSegments,
    longestCapDays,
    next: (nodeId, output) => arrows.get(`${nodeId}\u0000${output ?? ""}`) ?? null,
  };
}

/**
 * A customer's variant at a random split: the same customer, journey and branch
 * always land in the same variant (a hash, not a draw), in the split's shares.
 */
export function assignVariant(split: Extract<Split, { kind: "random" }>, key: string): string {
  const digest = createHash("sha256").update(key).digest();
  const point = digest.readUInt32BE(0) % 100;
  let upTo = 0;
  for (const variant of split.variants) {
    upTo += variant.percent;
    if (point < upTo) return variant.id;
  }
  return split.variants[split.variants.length - 1]!.id;
}

import type { Edge, Node } from "@xyflow/react";
import {
  nodeOutputs,
  type FlowNode,
  type JourneyDesign,
  type Split,
  type Touchpoint,
  type Trigger,
} from "~/server/journeys/design";
import type { DesignCheck } from "~/server/journeys/checks";
import { channelLabels, formatCount } from "~/app/w/[slug]/_components/channels";
import { deliveredShare, describeSends, type JourneyOverlay, type TransitionOverlay } from "../overlay";

// How a journey design is drawn on the flow canvas: one xyflow node per flow
// node and one edge per arrow, each carrying the words it shows. Pure, so the
// canvas, its keyboard controls and the tests share one reading of the design.

export const teamNames = { marketing: "Marketing", it: "IT", service: "Service" } as const;

const percent = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 0 });

export function formatShare(value: number): string {
  return percent.format(value);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function delaySummary(hours: number): string {
  if (hours === 0) return "at once";
  if (hours % 24 === 0) return `${plural(hours / 24, "day")} later`;
  return `${hours} h later`;
}

export function triggerSummary(trigger: Trigger, delayHours: number): string {
  const start =
    trigger.kind === "segmentEntry"
      ? "On entering the segment"
      : trigger.kind === "previous"
        ? "After the step before"
        : `After “${trigger.event}”${trigger.channel ? ` on ${channelLabels[trigger.channel]}` : ""}`;
  return `${start}, ${delaySummary(delayHours)}`;
}

/** The question a branch asks, e.g. "“Order Completed” within 7 days?". */
export function splitSummary(split: Split, segmentNames: ReadonlyMap<string, string>): string {
  switch (split.kind) {
    case "event":
      return `“${split.event}”${split.channel ? ` on ${channelLabels[split.channel]}` : ""} within ${plural(split.withinDays, "day")}?`;
    case "segment":
      return `In segment “${segmentNames.get(split.segmentId) ?? "unknown segment"}”?`;
    case "random":
      return `A/B test: ${split.variants.map((v) => `${v.label} ${v.percent}%`).join(" · ")}`;
  }
}

export interface OutputOption {
  /** The edge's `output`: null for a plain node, "yes"/"no" or a variant id for a branch. */
  id: string | null;
  label: string;
}

/** The outputs a node offers, with the words that label them. */
export function outputOptions(node: FlowNode): OutputOption[] {
  if (node.kind === "branch" && node.split.kind === "random") {
    return node.split.variants.map((v) => ({ id: v.id, label: `${v.label} (${v.percent}%)` }));
  }
  return nodeOutputs(node).map((id) => ({
    id,
    label: id === "yes" ? "Yes" : id === "no" ? "No" : "Next",
  }));
}

function touchpointIndex(design: JourneyDesign) {
  const index = new Map<string, { touchpoint: Touchpoint; stageIndex: number; stageName: string }>();
  design.stages.forEach((stage, stageIndex) => {
    for (const touchpoint of stage.touchpoints)
      index.set(touchpoint.id, { touchpoint, stageIndex, stageName: stage.name });
  });
  return index;
}

/** Names nodes in words, for lists, selects and screen readers: "Email: Welcome", "Branch: Bought?". */
export function nodeNamer(design: JourneyDesign): (node: FlowNode) => string {
  const touchpoints = touchpointIndex(design);
  return (node) => {
    switch (node.kind) {
      case "entry":
        return "Entry";
      case "exit":
        return `Exit: ${node.label}`;
      case "branch":
        return `Branch: ${node.label}`;
      case "touchpoint": {
        const found = touchpoints.get(node.touchpointId);
        return found ? `${channelLabels[found.touchpoint.channel]}: ${found.touchpoint.title}` : "Touchpoint";
      }
    }
  };
}

// ---------------------------------------------------------------- nodes

export type EntryNodeData = { label: string };
export type TouchpointNodeData = {
  touchpoint: Touchpoint;
  stageName: string;
  trigger: string;
  team: string;
  checks: string[];
  /** "120 acted · 64% on Email", when the analytics overlay is shown and the touchpoint can be measured. */
  acted: string | null;
};
export type BranchNodeData = { label: string; summary: string; outputs: OutputOption[] };
export type ExitNodeData = { label: string };

export type CanvasNode =
  | Node<EntryNodeData, "entry">
  | Node<TouchpointNodeData, "touchpoint">
  | Node<BranchNodeData, "branch">
  | Node<ExitNodeData, "exit">;

export interface CanvasContext {
  checks: readonly DesignCheck[];
  overlay?: JourneyOverlay | null;
  segmentNames: ReadonlyMap<string, string>;
}

/** The checks about each touchpoint, by touchpoint id. */
export function checksByTouchpoint(checks: readonly DesignCheck[]): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const check of checks) {
    if (check.target.type !== "touchpoint") continue;
    const list = byId.get(check.target.touchpointId) ?? [];
    list.push(check.message);
    byId.set(check.target.touchpointId, list);
  }
  return byId;
}

/** The touchpoint's figures on the map: how customers acted, then what the running journey sent. */
function actedSummary(touchpoint: Touchpoint, overlay: JourneyOverlay | null | undefined): string | null {
  const sends = overlay?.sends[touchpoint.id];
  const acted = behaviourSummary(touchpoint, overlay);
  return sends ? [acted, describeSends(sends)].filter(Boolean).join(" · ") : acted;
}

function behaviourSummary(touchpoint: Touchpoint, overlay: JourneyOverlay | null | undefined): string | null {
  const figures = overlay?.touchpoints[touchpoint.id];
  if (!figures) return null;
  if (figures.measure === "delivery") {
    const share = deliveredShare(figures);
    return `${formatCount(figures.acted)} delivered or opened${share === null ? "" : ` · ${formatShare(share)} of stage`}`;
  }
  const onChannel =
    figures.acted > 0
      ? ` · ${formatShare(figures.onDesignedChannel / figures.acted)} on ${channelLabels[touchpoint.channel]}`
      : "";
  return `${formatCount(figures.acted)} acted${onChannel}`;
}

export function toCanvasNodes(design: JourneyDesign, context: CanvasContext): CanvasNode[] {
  const touchpoints = touchpointIndex(design);
  const checks = checksByTouchpoint(context.checks);
  return design.flow.nodes.flatMap((node): CanvasNode[] => {
    const base = { id: node.id, position: node.position };
    switch (node.kind) {
      case "entry":
        return [{ ...base, type: "entry", deletable: false, data: { label: "Entry" }, ariaLabel: "Entry" }];
      case "exit":
        return [{ ...base, type: "exit", data: { label: node.label }, ariaLabel: `Exit: ${node.label}` }];
      case "branch": {
        const summary = splitSummary(node.split, context.segmentNames);
        return [
          {
            ...base,
            type: "branch",
            data: { label: node.label, summary, outputs: outputOptions(node) },
            ariaLabel: `Branch: ${node.label}. ${summary}`,
          },
        ];
      }
      case "touchpoint": {
        const found = touchpoints.get(node.touchpointId);
        // parseDesign guarantees the touchpoint exists; a node without one is not drawn.
        if (!found) return [];
        const { touchpoint, stageName } = found;
        const data: TouchpointNodeData = {
          touchpoint,
          stageName,
          trigger: triggerSummary(touchpoint.trigger, touchpoint.delayHours),
          team: teamNames[touchpoint.ownerTeam],
          checks: checks.get(touchpoint.id) ?? [],
          acted: actedSummary(touchpoint, context.overlay),
        };
        const described = [
          `${channelLabels[touchpoint.channel]} touchpoint: ${touchpoint.title}`,
          `stage ${stageName}`,
          data.trigger,
          `owner ${data.team}`,
          data.acted,
          data.checks.length > 0 ? `${plural(data.checks.length, "check")}: ${data.checks.join(" ")}` : null,
        ];
        return [{ ...base, type: "touchpoint", data, ariaLabel: described.filter(Boolean).join(". ") }];
      }
    }
  });
}

// ---------------------------------------------------------------- edges

/** A sequential blue scale for conversion: darker is better. Thickness shows the count. */
const conversionColours = ["#bae6fd", "#7dd3fc", "#0ea5e9", "#0369a1"] as const;
const plainColour = "#94a3b8";

export function conversionColour(conversion: number | null): string {
  if (conversion === null) return plainColour;
  const step = Math.min(conversionColours.length - 1, Math.floor(conversion * conversionColours.length));
  return conversionColours[Math.max(0, step)]!;
}

/** Stroke width from 2 to 10 px by the share of the largest count on the canvas. */
export function edgeWidth(converted: number, largest: number): number {
  return largest > 0 ? 2 + 8 * (converted / largest) : 2;
}

/**
 * The transition an arrow stands for: an arrow from a touchpoint of one stage
 * to a touchpoint of a later stage carries the customers who went on. Returns
 * a lookup by source and target node.
 */
function stageTransitions(design: JourneyDesign, overlay: JourneyOverlay) {
  const touchpoints = touchpointIndex(design);
  const stageOfNode = new Map<string, number>();
  for (const node of design.flow.nodes) {
    const stage = node.kind === "touchpoint" ? touchpoints.get(node.touchpointId)?.stageIndex : undefined;
    if (stage !== undefined) stageOfNode.set(node.id, stage);
  }
  const byStages = new Map(overlay.transitions.map((t) => [`${t.fromStageId}\u0000${t.toStageId}`, t]));
  return (sourceId: string, targetId: string): TransitionOverlay | undefined => {
    const from = stageOfNode.get(sourceId);
    const to = stageOfNode.get(targetId);
    if (from === undefined || to === undefined || to <= from) return undefined;
    return byStages.get(`${design.stages[from]!.id}\u0000${design.stages[to]!.id}`);
  };
}

export type CanvasEdge = Edge<{ transition: TransitionOverlay | null }>;

export function toCanvasEdges(design: JourneyDesign, overlay?: JourneyOverlay | null): CanvasEdge[] {
  const nodes = new Map(design.flow.nodes.map((n) => [n.id, n]));
  const name = nodeNamer(design);
  const transitionOf = overlay ? stageTransitions(design, overlay) : undefined;
  const transitions = new Map(
    design.flow.edges.map((e) => [e.id, transitionOf?.(e.source, e.target) ?? null]),
  );
  const largest = Math.max(0, ...[...transitions.values()].map((t) => t?.converted ?? 0));

  return design.flow.edges.map((edge): CanvasEdge => {
    const source = nodes.get(edge.source);
    const outputLabel =
      source && edge.output !== null
        ? outputOptions(source).find((o) => o.id === edge.output)?.label
        : undefined;
    const transition = transitions.get(edge.id) ?? null;
    const figures = transition
      ? `${formatCount(transition.converted)}${transition.conversion === null ? "" : ` (${formatShare(transition.conversion)})`}`
      : undefined;
    const label = [outputLabel, figures].filter(Boolean).join(" · ") || undefined;
    const colour = transition ? conversionColour(transition.conversion) : plainColour;
    const target = nodes.get(edge.target);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.output,
      label,
      data: { transition },
      style: { stroke: colour, strokeWidth: transition ? edgeWidth(transition.converted, largest) : 2 },
      // Sized in pixels, so a thick arrow keeps a normal head.
      markerEnd: { type: "arrowclosed", color: colour, markerUnits: "userSpaceOnUse", width: 40, height: 40 },
      labelStyle: { fontSize: 12, fontWeight: 500, fill: "#0f172a" },
      labelBgStyle: { fill: "#ffffff" },
      labelBgPadding: [4, 2],
      ariaLabel: `Arrow from ${source ? name(source) : edge.source}${outputLabel ? ` (${outputLabel})` : ""} to ${target ? name(target) : edge.target}${figures ? `, ${figures} went on` : ""}`,
    };
  });
}

// ---------------------------------------------------------------- view state

/** `next` with the view state xyflow keeps on its nodes or edges (selection, measured size) carried over from `previous`. */
export function carryViewState<
  T extends { id: string; selected?: boolean; measured?: { width?: number; height?: number } },
>(previous: T[], next: T[]): T[] {
  const byId = new Map(previous.map((item) => [item.id, item]));
  return next.map((item) => {
    const before = byId.get(item.id);
    return before ? { ...item, selected: before.selected, measured: before.measured } : item;
  });
}

// ---------------------------------------------------------------- keyboard connect

export interface ConnectChoices {
  outputs: OutputOption[];
  targets: { id: string; label: string }[];
}

/** What the selected node can be connected to from the keyboard: its outputs and every other node but the entry. */
export function connectChoices(design: JourneyDesign, nodeId: string): ConnectChoices {
  const node = design.flow.nodes.find((n) => n.id === nodeId);
  if (!node) return { outputs: [], targets: [] };
  const name = nodeNamer(design);
  return {
    outputs: outputOptions(node),
    targets: design.flow.nodes
      .filter((n) => n.id !== nodeId && n.kind !== "entry")
      .map((n) => ({ id: n.id, label: name(n) })),
  };
}

import { channels } from "~/db/enums";
import { RuleError } from "~/server/errors";
import {
  newDesignId,
  nodeOutputs,
  type FlowEdge,
  type FlowNode,
  type JourneyDesign,
  type Split,
  type Stage,
  type Touchpoint,
} from "./design";

// The edits the designer makes, as pure functions from one design to the next.
// The grid and the canvas both call them, so a touchpoint added in the grid is
// placed and wired on the canvas, and one removed on the canvas leaves the grid,
// by the same code. Each returns a new design and never changes its argument.

export type StagePatch = Partial<Omit<Stage, "id" | "touchpoints">>;
export type TouchpointPatch = Partial<Omit<Touchpoint, "id">>;
export type NewTouchpoint = Omit<Touchpoint, "id">;
type Position = { x: number; y: number };

/** Where the canvas puts a touchpoint it has not been told where to put: a column per stage, a row per channel. */
export const CANVAS_COLUMN_WIDTH = 280;
export const CANVAS_ROW_HEIGHT = 120;

function copy(design: JourneyDesign): JourneyDesign {
  return structuredClone(design);
}

function stageIndex(design: JourneyDesign, stageId: string): number {
  const index = design.stages.findIndex((s) => s.id === stageId);
  if (index < 0) throw new RuleError("That stage is no longer in the journey.");
  return index;
}

function locateTouchpoint(design: JourneyDesign, touchpointId: string) {
  for (const [s, stage] of design.stages.entries()) {
    const t = stage.touchpoints.findIndex((tp) => tp.id === touchpointId);
    if (t >= 0) return { stage, s, t, touchpoint: stage.touchpoints[t]! };
  }
  throw new RuleError("That touchpoint is no longer in the journey.");
}

function findNode(design: JourneyDesign, nodeId: string): FlowNode {
  const node = design.flow.nodes.find((n) => n.id === nodeId);
  if (!node) throw new RuleError("That item is no longer on the canvas.");
  return node;
}

function touchpointNode(design: JourneyDesign, touchpointId: string): FlowNode | undefined {
  return design.flow.nodes.find((n) => n.kind === "touchpoint" && n.touchpointId === touchpointId);
}

export function entryNode(design: JourneyDesign): FlowNode {
  const entry = design.flow.nodes.find((n) => n.kind === "entry");
  if (!entry) throw new RuleError("The canvas has no entry.");
  return entry;
}

function clampIndex(index: number, length: number): number {
  return Math.max(0, Math.min(length, Math.trunc(index)));
}

// ---------------------------------------------------------------- stages

export function addStage(design: JourneyDesign, name: string, atIndex = design.stages.length): JourneyDesign {
  const next = copy(design);
  next.stages.splice(clampIndex(atIndex, next.stages.length), 0, {
    id: newDesignId("stage"),
    name,
    goal: null,
    customerGoal: "",
    doing: "",
    thinking: "",
    emotion: 0,
    painPoints: [],
    opportunities: [],
    touchpoints: [],
  });
  return next;
}

export function updateStage(design: JourneyDesign, stageId: string, patch: StagePatch): JourneyDesign {
  const next = copy(design);
  const stage = next.stages[stageIndex(next, stageId)]!;
  Object.assign(stage, patch);
  return next;
}

/** Moves a stage to a new column; its touchpoints go with it. */
export function moveStage(design: JourneyDesign, stageId: string, toIndex: number): JourneyDesign {
  const next = copy(design);
  const [stage] = next.stages.splice(stageIndex(next, stageId), 1);
  next.stages.splice(clampIndex(toIndex, next.stages.length), 0, stage!);
  return next;
}

/** Removes a stage and its touchpoints (and their places on the canvas). */
export function removeStage(design: JourneyDesign, stageId: string): JourneyDesign {
  if (design.stages.length === 1) throw new RuleError("A journey needs at least one stage.");
  let next = design;
  for (const tp of design.stages[stageIndex(design, stageId)]!.touchpoints)
    next = removeTouchpoint(next, tp.id);
  next = copy(next);
  next.stages.splice(stageIndex(next, stageId), 1);
  return next;
}

// ---------------------------------------------------------------- touchpoints

/** The default canvas spot of a touchpoint: its stage's column, its channel's row. */
export function defaultTouchpointPosition(
  design: JourneyDesign,
  stageId: string,
  channel: Touchpoint["channel"],
): Position {
  const column = stageIndex(design, stageId);
  const row = channels.indexOf(channel);
  const base = { x: (column + 1) * CANVAS_COLUMN_WIDTH, y: row * CANVAS_ROW_HEIGHT };
  // Nudge down past nodes already there, so a new node is never hidden under another.
  const taken = (p: Position) =>
    design.flow.nodes.some((n) => Math.abs(n.position.x - p.x) < 40 && Math.abs(n.position.y - p.y) < 40);
  let position = base;
  for (let i = 1; taken(position) && i < 50; i++) position = { x: base.x + 24 * i, y: base.y + 24 * i };
  return position;
}

/** The touchpoint just before a grid slot: earlier in the same stage, else the last of the nearest earlier stage with one. */
function touchpointBefore(design: JourneyDesign, s: number, t: number): Touchpoint | undefined {
  const here = design.stages[s]!.touchpoints;
  if (t > 0) return here[t - 1];
  for (let i = s - 1; i >= 0; i--) {
    const earlier = design.stages[i]!.touchpoints;
    if (earlier.length > 0) return earlier[earlier.length - 1];
  }
  return undefined;
}

/**
 * Adds a touchpoint to a stage (at the end unless `atIndex`) and places it on
 * the canvas after the touchpoint before it in the grid (or after the entry),
 * inserted into that arrow if it already led somewhere.
 */
export function addTouchpoint(
  design: JourneyDesign,
  stageId: string,
  touchpoint: NewTouchpoint,
  atIndex?: number,
): { design: JourneyDesign; touchpointId: string } {
  const next = copy(design);
  const s = stageIndex(next, stageId);
  const stage = next.stages[s]!;
  const t = clampIndex(atIndex ?? stage.touchpoints.length, stage.touchpoints.length);
  const id = newDesignId("tp");
  stage.touchpoints.splice(t, 0, { ...touchpoint, id });

  const before = touchpointBefore(next, s, t);
  const anchor = before ? touchpointNode(next, before.id) : entryNode(next);
  const node: FlowNode = {
    kind: "touchpoint",
    id: newDesignId("node"),
    touchpointId: id,
    position: defaultTouchpointPosition(design, stageId, touchpoint.channel),
  };
  next.flow.nodes.push(node);
  if (anchor && anchor.kind !== "exit" && anchor.kind !== "branch") {
    const onward = next.flow.edges.find((e) => e.source === anchor.id && e.output === null);
    if (onward) {
      onward.source = node.id;
    }
    next.flow.edges.push({ id: newDesignId("edge"), source: anchor.id, target: node.id, output: null });
  }
  return { design: next, touchpointId: id };
}

export function updateTouchpoint(
  design: JourneyDesign,
  touchpointId: string,
  patch: TouchpointPatch,
): JourneyDesign {
  const next = copy(design);
  Object.assign(locateTouchpoint(next, touchpointId).touchpoint, patch);
  return next;
}

/** Moves a touchpoint to another stage or slot in the grid; its place and arrows on the canvas stay. */
export function moveTouchpoint(
  design: JourneyDesign,
  touchpointId: string,
  toStageId: string,
  toIndex: number,
): JourneyDesign {
  const next = copy(design);
  const { stage, t } = locateTouchpoint(next, touchpointId);
  const [touchpoint] = stage.touchpoints.splice(t, 1);
  const target = next.stages[stageIndex(next, toStageId)]!;
  target.touchpoints.splice(clampIndex(toIndex, target.touchpoints.length), 0, touchpoint!);
  return next;
}

/** Removes a touchpoint from the grid and the canvas; what led into it now leads to what followed it. */
export function removeTouchpoint(design: JourneyDesign, touchpointId: string): JourneyDesign {
  const next = copy(design);
  const { stage, t } = locateTouchpoint(next, touchpointId);
  stage.touchpoints.splice(t, 1);
  const node = touchpointNode(next, touchpointId);
  return node ? removeNodeAndBridge(next, node.id) : next;
}

/** Drops a node and its arrows; when it had one way on, its incoming arrows are joined to it. */
function removeNodeAndBridge(next: JourneyDesign, nodeId: string): JourneyDesign {
  const outgoing = next.flow.edges.filter((e) => e.source === nodeId);
  const onward = outgoing.length === 1 && outgoing[0]!.target !== nodeId ? outgoing[0]!.target : undefined;
  next.flow.nodes = next.flow.nodes.filter((n) => n.id !== nodeId);
  next.flow.edges = next.flow.edges
    .filter((e) => e.source !== nodeId)
    .map((e) => (e.target === nodeId && onward ? { ...e, target: onward } : e))
    .filter((e) => e.target !== nodeId && e.source !== e.target);
  return next;
}

// ---------------------------------------------------------------- canvas

export function addBranch(
  design: JourneyDesign,
  label: string,
  split: Split,
  position: Position,
): { design: JourneyDesign; nodeId: string } {
  const next = copy(design);
  const id = newDesignId("branch");
  next.flow.nodes.push({ kind: "branch", id, label, split, position });
  return { design: next, nodeId: id };
}

export function addExit(
  design: JourneyDesign,
  label: string,
  position: Position,
): { design: JourneyDesign; nodeId: string } {
  const next = copy(design);
  const id = newDesignId("exit");
  next.flow.nodes.push({ kind: "exit", id, label, position });
  return { design: next, nodeId: id };
}

/** Changes a branch; arrows from outputs the new split no longer has are removed. */
export function updateBranch(
  design: JourneyDesign,
  nodeId: string,
  patch: { label?: string; split?: Split },
): JourneyDesign {
  const next = copy(design);
  const node = findNode(next, nodeId);
  if (node.kind !== "branch") throw new RuleError("Only a branch has a split.");
  Object.assign(node, patch);
  const outputs = nodeOutputs(node);
  next.flow.edges = next.flow.edges.filter((e) => e.source !== nodeId || outputs.includes(e.output));
  return next;
}

export function renameExit(design: JourneyDesign, nodeId: string, label: string): JourneyDesign {
  const next = copy(design);
  const node = findNode(next, nodeId);
  if (node.kind !== "exit") throw new RuleError("Only an exit is renamed here.");
  node.label = label;
  return next;
}

/**
 * Draws an arrow from a node's output to another node. An output leads to one
 * place, so an arrow already on that output is replaced.
 */
export function connect(
  design: JourneyDesign,
  source: string,
  target: string,
  output: string | null = null,
): JourneyDesign {
  const from = findNode(design, source);
  const to = findNode(design, target);
  if (source === target) throw new RuleError("An arrow cannot point back at its own node.");
  if (to.kind === "entry") throw new RuleError("Nothing can lead into the entry.");
  if (!nodeOutputs(from).includes(output)) {
    throw new RuleError(
      from.kind === "exit" ? "Nothing can follow an exit." : "That node has no such output.",
    );
  }
  const next = copy(design);
  next.flow.edges = next.flow.edges.filter((e) => !(e.source === source && e.output === output));
  next.flow.edges.push({ id: newDesignId("edge"), source, target, output });
  return next;
}

export function disconnect(design: JourneyDesign, edgeId: string): JourneyDesign {
  const next = copy(design);
  next.flow.edges = next.flow.edges.filter((e) => e.id !== edgeId);
  return next;
}

export function moveNode(design: JourneyDesign, nodeId: string, position: Position): JourneyDesign {
  const next = copy(design);
  findNode(next, nodeId).position = position;
  return next;
}

/** Removes a node from the canvas; a touchpoint's node takes the touchpoint with it, and the entry stays. */
export function removeNode(design: JourneyDesign, nodeId: string): JourneyDesign {
  const node = findNode(design, nodeId);
  if (node.kind === "entry") throw new RuleError("The entry cannot be removed.");
  if (node.kind === "touchpoint") return removeTouchpoint(design, node.touchpointId);
  return removeNodeAndBridge(copy(design), nodeId);
}

export function setQuietHours(design: JourneyDesign, quietHours: JourneyDesign["quietHours"]): JourneyDesign {
  return { ...copy(design), quietHours };
}

/** The arrows out of a node, for the canvas's keyboard connect dialog. */
export function edgesFrom(design: JourneyDesign, nodeId: string): FlowEdge[] {
  return design.flow.edges.filter((e) => e.source === nodeId);
}

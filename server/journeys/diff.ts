import type {
  FlowEdge,
  FlowNode,
  FrequencyCap,
  HourRange,
  JourneyDesign,
  Split,
  Stage,
  StageGoal,
  Touchpoint,
  Trigger,
} from "./design";

// What changed between two designs of a journey, as sentences' worth of parts
// for people ("the touchpoint “Welcome email” changed its delay from 1 day to
// 2 days"). Pure, and free of server imports, so the designer can show the
// unsaved changes in the browser too. Where a node sits on the canvas is
// layout, not design: moving one is no change.

export type ChangeKind = "added" | "removed" | "changed" | "moved";
export type ChangedItem = "journey" | "stage" | "touchpoint" | "branch" | "exit" | "arrow";

export interface DesignChange {
  kind: ChangeKind;
  item: ChangedItem;
  /** The design id of the item ("journey" for journey-wide settings). */
  id: string;
  /** The item's name for people: a stage's name, a touchpoint's title, "Entry → Welcome email". */
  label: string;
  /** The design property that changed (see fieldLabels), or "position"/"stage" for a move. */
  field?: string;
  /** The old and new value, written out for people. */
  before?: string;
  after?: string;
  /** The stage a touchpoint is in (after the change; before it for a removed one). */
  stageName?: string;
}

export interface DiffOptions {
  /** Names segments that branches split on; the id is shown otherwise. */
  segmentName?: (id: string) => string | undefined;
}

export const fieldLabels: Record<string, string> = {
  quietHours: "quiet hours",
  name: "name",
  position: "position",
  stage: "stage",
  goal: "goal event",
  customerGoal: "customer goal",
  doing: "doing",
  thinking: "thinking",
  emotion: "emotion",
  painPoints: "pain points",
  opportunities: "opportunities",
  channel: "channel",
  title: "title",
  content: "content",
  link: "link",
  trigger: "trigger",
  delayHours: "delay",
  sendWindow: "send window",
  respectQuietHours: "respects quiet hours",
  bestChannel: "best channel",
  sendAtBestHour: "sends at the customer's best hour",
  frequencyCap: "frequency cap",
  ownerTeam: "owner team",
  actionEvent: "action event",
  label: "label",
  split: "split",
};

// ---------------------------------------------------------------------------
// Values written out for people
// ---------------------------------------------------------------------------

const none = "none";
const quoted = (s: string) => `“${s}”`;
const text = (s: string) => (s === "" ? "(empty)" : s);
const list = (items: string[]) => (items.length === 0 ? none : items.join("; "));
const channelName = (channel: string) => channel.replaceAll("_", " ");
const onChannel = (channel: string | undefined) => (channel ? ` on ${channelName(channel)}` : "");
const hour = (h: number) => `${String(h).padStart(2, "0")}:00`;
const hours = (range: HourRange | null) => (range ? `${hour(range.startHour)}–${hour(range.endHour)}` : none);

const emotionNames: Record<number, string> = {
  [-2]: "very negative",
  [-1]: "negative",
  0: "neutral",
  1: "positive",
  2: "very positive",
};
const emotion = (n: number) => `${emotionNames[n] ?? "?"} (${n > 0 ? "+" : ""}${n})`;

const goal = (g: StageGoal | null) => (g ? `${quoted(g.event)}${onChannel(g.channel)}` : none);

function trigger(t: Trigger): string {
  if (t.kind === "segmentEntry") return "on entering the segment";
  if (t.kind === "previous") return "after the previous step";
  return `after ${quoted(t.event)}${onChannel(t.channel)}`;
}

function delay(h: number): string {
  if (h === 0) return "none";
  if (h % 24 === 0) return h === 24 ? "1 day" : `${h / 24} days`;
  return h === 1 ? "1 hour" : `${h} hours`;
}

const cap = (c: FrequencyCap | null) =>
  c ? `at most ${c.max} per ${c.perDays === 1 ? "day" : `${c.perDays} days`}` : none;

function split(s: Split, options: DiffOptions): string {
  if (s.kind === "random") return `A/B test: ${s.variants.map((v) => `${v.label} ${v.percent}%`).join(", ")}`;
  if (s.kind === "segment") return `member of ${quoted(options.segmentName?.(s.segmentId) ?? s.segmentId)}`;
  return `did ${quoted(s.event)}${onChannel(s.channel)} within ${s.withinDays === 1 ? "1 day" : `${s.withinDays} days`}`;
}

// ---------------------------------------------------------------------------
// Comparison helpers
// ---------------------------------------------------------------------------

/** Deep equality that ignores object key order (jsonb does not keep it). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((item, i) => same(item, bs[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

type Shown<T> = { [K in keyof T]?: (value: T[K]) => string };
type ChangeBase = Pick<DesignChange, "item" | "id" | "label" | "stageName">;

/** One "changed" entry per listed field whose value differs. */
function fieldChanges<T extends object>(before: T, after: T, shown: Shown<T>, base: ChangeBase) {
  const changes: DesignChange[] = [];
  for (const field of Object.keys(shown) as (keyof T & string)[]) {
    if (same(before[field], after[field])) continue;
    const show = shown[field]!;
    changes.push({ ...base, kind: "changed", field, before: show(before[field]), after: show(after[field]) });
  }
  return changes;
}

/**
 * The ids, among those in both orders, that moved: all but a longest run that
 * kept its relative order, so inserting one item does not "move" those after it.
 */
export function movedIds(beforeOrder: readonly string[], afterOrder: readonly string[]): Set<string> {
  const beforeIndex = new Map(beforeOrder.map((id, i) => [id, i]));
  const common = afterOrder.filter((id) => beforeIndex.has(id));
  const seq = common.map((id) => beforeIndex.get(id)!);
  // Longest increasing subsequence, O(n²): designs have at most a few hundred items.
  const length = seq.map(() => 1);
  const previous = seq.map(() => -1);
  let best = -1;
  seq.forEach((value, i) => {
    for (let j = 0; j < i; j++) {
      if (seq[j]! < value && length[j]! + 1 > length[i]!) {
        length[i] = length[j]! + 1;
        previous[i] = j;
      }
    }
    if (best === -1 || length[i]! > length[best]!) best = i;
  });
  const kept = new Set<string>();
  for (let i = best; i !== -1; i = previous[i]!) kept.add(common[i]!);
  return new Set(common.filter((id) => !kept.has(id)));
}

// ---------------------------------------------------------------------------
// The parts of a design
// ---------------------------------------------------------------------------

const stageShown: Shown<Stage> = {
  name: text,
  goal,
  customerGoal: text,
  doing: text,
  thinking: text,
  emotion,
  painPoints: list,
  opportunities: list,
};

const touchpointShown: Shown<Touchpoint> = {
  channel: channelName,
  title: text,
  content: text,
  link: (link) => link ?? none,
  trigger,
  delayHours: delay,
  sendWindow: hours,
  respectQuietHours: (b) => (b ? "yes" : "no"),
  bestChannel: (best) =>
    best ? `yes, else in order: ${best.fallback.map(channelName).join(", ") || none}` : "no",
  sendAtBestHour: (b) => (b ? "yes" : "no"),
  frequencyCap: cap,
  ownerTeam: (team) => (team === "it" ? "IT" : team),
  actionEvent: (event) => (event ? quoted(event) : "the stage's goal"),
};

function stageChanges(before: JourneyDesign, after: JourneyDesign): DesignChange[] {
  const old = new Map(before.stages.map((s) => [s.id, s]));
  const now = new Map(after.stages.map((s) => [s.id, s]));
  const changes: DesignChange[] = [];
  for (const stage of before.stages) {
    if (!now.has(stage.id)) changes.push({ kind: "removed", item: "stage", id: stage.id, label: stage.name });
  }
  const moved = movedIds(
    before.stages.map((s) => s.id),
    after.stages.map((s) => s.id),
  );
  after.stages.forEach((stage, index) => {
    const was = old.get(stage.id);
    if (!was) {
      changes.push({ kind: "added", item: "stage", id: stage.id, label: stage.name });
      return;
    }
    const base = { item: "stage", id: stage.id, label: stage.name } as const;
    if (moved.has(stage.id)) {
      const from = before.stages.indexOf(was) + 1;
      changes.push({
        ...base,
        kind: "moved",
        field: "position",
        before: String(from),
        after: String(index + 1),
      });
    }
    changes.push(...fieldChanges(was, stage, stageShown, base));
  });
  return changes;
}

function touchpointsById(design: JourneyDesign) {
  const found = new Map<string, { touchpoint: Touchpoint; stage: Stage }>();
  for (const stage of design.stages) {
    for (const touchpoint of stage.touchpoints) found.set(touchpoint.id, { touchpoint, stage });
  }
  return found;
}

function touchpointChanges(before: JourneyDesign, after: JourneyDesign): DesignChange[] {
  const old = touchpointsById(before);
  const now = touchpointsById(after);
  const changes: DesignChange[] = [];
  for (const [id, { touchpoint, stage }] of old) {
    if (!now.has(id)) {
      changes.push({
        kind: "removed",
        item: "touchpoint",
        id,
        label: touchpoint.title,
        stageName: stage.name,
      });
    }
  }
  for (const [id, { touchpoint, stage }] of now) {
    const was = old.get(id);
    const base = { item: "touchpoint", id, label: touchpoint.title, stageName: stage.name } as const;
    if (!was) {
      changes.push({ ...base, kind: "added" });
      continue;
    }
    if (was.stage.id !== stage.id) {
      changes.push({ ...base, kind: "moved", field: "stage", before: was.stage.name, after: stage.name });
    }
    changes.push(...fieldChanges(was.touchpoint, touchpoint, touchpointShown, base));
  }
  return changes;
}

type Branch = Extract<FlowNode, { kind: "branch" }>;
type Exit = Extract<FlowNode, { kind: "exit" }>;

function outputLabel(node: FlowNode | undefined, output: string | null): string {
  if (output === null) return "";
  if (node?.kind === "branch" && node.split.kind === "random") {
    return ` (${node.split.variants.find((v) => v.id === output)?.label ?? output})`;
  }
  return ` (${output})`;
}

/** Names an arrow of `design` by its ends: "Clicked? (yes) → Thank-you email". */
function arrowLabeller(design: JourneyDesign) {
  const nodes = new Map(design.flow.nodes.map((n) => [n.id, n]));
  const touchpoints = touchpointsById(design);
  const nodeLabel = (node: FlowNode | undefined) => {
    if (!node) return "?";
    if (node.kind === "entry") return "Entry";
    if (node.kind === "branch" || node.kind === "exit") return node.label;
    return touchpoints.get(node.touchpointId)?.touchpoint.title ?? node.touchpointId;
  };
  return (edge: FlowEdge) => {
    const source = nodes.get(edge.source);
    return `${nodeLabel(source)}${outputLabel(source, edge.output)} → ${nodeLabel(nodes.get(edge.target))}`;
  };
}

function flowChanges(before: JourneyDesign, after: JourneyDesign, options: DiffOptions): DesignChange[] {
  const changes: DesignChange[] = [];
  const branchShown: Shown<Branch> = { label: text, split: (s) => split(s, options) };
  const exitShown: Shown<Exit> = { label: text };
  const oldNodes = new Map(before.flow.nodes.map((n) => [n.id, n]));
  const newNodes = new Map(after.flow.nodes.map((n) => [n.id, n]));

  // Touchpoint nodes come and go with their touchpoints, and there is one entry: only branches and exits count here.
  for (const node of before.flow.nodes) {
    if ((node.kind === "branch" || node.kind === "exit") && newNodes.get(node.id)?.kind !== node.kind) {
      changes.push({ kind: "removed", item: node.kind, id: node.id, label: node.label });
    }
  }
  for (const node of after.flow.nodes) {
    if (node.kind !== "branch" && node.kind !== "exit") continue;
    const was = oldNodes.get(node.id);
    const base = { item: node.kind, id: node.id, label: node.label } as const;
    if (was?.kind !== node.kind) changes.push({ ...base, kind: "added" });
    else if (node.kind === "branch") changes.push(...fieldChanges(was as Branch, node, branchShown, base));
    else changes.push(...fieldChanges(was as Exit, node, exitShown, base));
  }

  // An arrow is where it goes from and to; the editor may give a redrawn one a new id.
  const key = (e: FlowEdge) => `${e.source}\u0000${e.output ?? ""}\u0000${e.target}`;
  const oldKeys = new Set(before.flow.edges.map(key));
  const newKeys = new Set(after.flow.edges.map(key));
  const oldLabel = arrowLabeller(before);
  const newLabel = arrowLabeller(after);
  for (const edge of before.flow.edges) {
    if (!newKeys.has(key(edge))) {
      changes.push({ kind: "removed", item: "arrow", id: edge.id, label: oldLabel(edge) });
    }
  }
  for (const edge of after.flow.edges) {
    if (!oldKeys.has(key(edge))) {
      changes.push({ kind: "added", item: "arrow", id: edge.id, label: newLabel(edge) });
    }
  }
  return changes;
}

/** The changes from `before` to `after`: journey settings, stages, touchpoints, then the canvas. */
export function diffDesigns(
  before: JourneyDesign,
  after: JourneyDesign,
  options: DiffOptions = {},
): DesignChange[] {
  return [
    ...fieldChanges(
      before,
      after,
      { quietHours: hours },
      { item: "journey", id: "journey", label: "Journey" },
    ),
    ...stageChanges(before, after),
    ...touchpointChanges(before, after),
    ...flowChanges(before, after, options),
  ];
}

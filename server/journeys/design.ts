import { z } from "zod";
import { channels, type Channel } from "~/db/enums";
import { InvalidInputError } from "~/server/errors";

// A journey's design: the document that the grid and the flow canvas both edit,
// that a draft holds and that a published version freezes. It is plain JSON and
// imports nothing from the server, so the designer can validate and check it in
// the browser as it changes.
//
// Two views, one document:
//  - `stages` is the grid: ordered columns, each with its journey-mapping
//    staples and its touchpoints (one row per channel in the grid).
//  - `flow` is the canvas: an entry, one node per touchpoint, branches and exits,
//    joined by edges. Every touchpoint has exactly one node, so a touchpoint added
//    in the grid appears on the canvas and one removed there leaves both.

export const MAX_STAGES = 12;
export const MAX_TOUCHPOINTS_PER_STAGE = 30;
export const MAX_FLOW_NODES = 400;
const MAX_NOTE = 2000;
const MAX_LIST = 20;

export const ownerTeams = ["marketing", "it", "service"] as const;
export type OwnerTeam = (typeof ownerTeams)[number];

/** Emotion is scored like Smaply's emotional journey: -2 (very negative) to +2 (very positive). */
export const MIN_EMOTION = -2;
export const MAX_EMOTION = 2;

// PostgreSQL text cannot hold NUL, so it is refused here rather than failing in the database.
const noNul = (s: string) => !s.includes("\u0000");
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, "must not contain NUL characters");
const note = z
  .string()
  .max(MAX_NOTE, `must be at most ${MAX_NOTE} characters`)
  .refine(noNul, "must not contain NUL characters");

/** Ids are made by the designer (short random strings) and only need to be unique inside one design. */
export const ZDesignId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, - or _");

export const ZChannel = z.enum(channels as unknown as [Channel, ...Channel[]], {
  error: () => `unknown channel: use ${channels.join(", ")}`,
});

const hour = z.number().int().min(0).max(23);

/** Hours of the day, in the customer's local time. start > end wraps midnight (21 → 8 is the night). */
export const ZHourRange = z
  .strictObject({ startHour: hour, endHour: hour })
  .refine((r) => r.startHour !== r.endHour, { message: "start and end must differ", path: ["endHour"] });
export type HourRange = z.infer<typeof ZHourRange>;

/** What starts a touchpoint's clock. */
export const ZTrigger = z.discriminatedUnion(
  "kind",
  [
    /** The customer entered the journey's segment. */
    z.strictObject({ kind: z.literal("segmentEntry") }),
    /** The customer performed an event (optionally on one channel). */
    z.strictObject({ kind: z.literal("event"), event: text(200), channel: ZChannel.optional() }),
    /** The touchpoint (or entry) before this one on the flow canvas was sent. */
    z.strictObject({ kind: z.literal("previous") }),
  ],
  { error: () => "unknown trigger: use segmentEntry, event or previous" },
);
export type Trigger = z.infer<typeof ZTrigger>;

export const ZFrequencyCap = z.strictObject({
  /** At most this many messages on the touchpoint's channel ... */
  max: z.number().int().min(1).max(100),
  /** ... in any period of this many days. */
  perDays: z.number().int().min(1).max(365),
});
export type FrequencyCap = z.infer<typeof ZFrequencyCap>;

export const ZTouchpoint = z.strictObject({
  id: ZDesignId,
  channel: ZChannel,
  /** The message: a title, and its content or a link to it. */
  title: text(200),
  content: note.default(""),
  link: z
    .url({ protocol: /^https?$/, error: "must be an http(s) address" })
    .max(2000)
    .nullable()
    .default(null),
  trigger: ZTrigger,
  /** Hours after the trigger. */
  delayHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 365)
    .default(0),
  /** Send only between these local hours; null sends at any hour. */
  sendWindow: ZHourRange.nullable().default(null),
  /** Whether the journey's quiet hours hold this message back. */
  respectQuietHours: z.boolean().default(true),
  /**
   * Send on the customer's preferred channel when it is `channel` or one of
   * `fallback`; else on the first of them, `channel` first, that reaches the
   * customer (server/engagement/best-channel.ts). Absent: always on `channel`.
   */
  bestChannel: z
    .strictObject({
      fallback: z
        .array(ZChannel)
        .max(channels.length - 1)
        .refine((list) => new Set(list).size === list.length, "a channel can be in the order only once"),
    })
    .optional(),
  /** Send inside the customer's usual active hours (within the send window), when they have them. */
  sendAtBestHour: z.boolean().optional(),
  frequencyCap: ZFrequencyCap.nullable().default(null),
  ownerTeam: z.enum(ownerTeams, { error: () => `unknown team: use ${ownerTeams.join(", ")}` }),
  /** The event that shows a customer acted on this touchpoint; null means the stage's goal. */
  actionEvent: text(200).nullable().default(null),
});
export type Touchpoint = z.infer<typeof ZTouchpoint>;

/** The event that shows a customer reached a stage, optionally only on one channel. */
export const ZStageGoal = z.strictObject({ event: text(200), channel: ZChannel.optional() });
export type StageGoal = z.infer<typeof ZStageGoal>;

export const ZStage = z.strictObject({
  id: ZDesignId,
  name: text(80),
  goal: ZStageGoal.nullable().default(null),
  customerGoal: note.default(""),
  /** What the customer does and thinks at this stage. */
  doing: note.default(""),
  thinking: note.default(""),
  emotion: z.number().int().min(MIN_EMOTION).max(MAX_EMOTION).default(0),
  painPoints: z.array(text(500)).max(MAX_LIST).default([]),
  opportunities: z.array(text(500)).max(MAX_LIST).default([]),
  touchpoints: z.array(ZTouchpoint).max(MAX_TOUCHPOINTS_PER_STAGE).default([]),
});
export type Stage = z.infer<typeof ZStage>;

const ZPosition = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

/** How a branch splits the customers who reach it. */
export const ZSplit = z.discriminatedUnion(
  "kind",
  [
    /** Customers who performed `event` within `withinDays` of reaching the branch go "yes", the rest "no". */
    z.strictObject({
      kind: z.literal("event"),
      event: text(200),
      channel: ZChannel.optional(),
      withinDays: z.number().int().min(1).max(365),
    }),
    /** Members of the segment go "yes", the rest "no". */
    z.strictObject({ kind: z.literal("segment"), segmentId: z.uuid() }),
    /** An A/B test: each customer lands in one variant, with these shares. */
    z.strictObject({
      kind: z.literal("random"),
      variants: z
        .array(z.strictObject({ id: ZDesignId, label: text(40), percent: z.number().int().min(1).max(99) }))
        .min(2)
        .max(5)
        .refine(
          (vs) => vs.reduce((sum, v) => sum + v.percent, 0) === 100,
          "the variants' shares must add up to 100%",
        ),
    }),
  ],
  { error: () => "unknown split: use event, segment or random" },
);
export type Split = z.infer<typeof ZSplit>;

export const ZFlowNode = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("entry"), id: ZDesignId, position: ZPosition }),
    z.strictObject({
      kind: z.literal("touchpoint"),
      id: ZDesignId,
      touchpointId: ZDesignId,
      position: ZPosition,
    }),
    z.strictObject({
      kind: z.literal("branch"),
      id: ZDesignId,
      label: text(80),
      split: ZSplit,
      position: ZPosition,
    }),
    z.strictObject({ kind: z.literal("exit"), id: ZDesignId, label: text(80), position: ZPosition }),
  ],
  { error: () => "unknown node: use entry, touchpoint, branch or exit" },
);
export type FlowNode = z.infer<typeof ZFlowNode>;

/**
 * An arrow on the canvas. Out of a branch, `output` says which way: "yes" or
 * "no" for an event or segment split, a variant id for a random one.
 */
export const ZFlowEdge = z.strictObject({
  id: ZDesignId,
  source: ZDesignId,
  target: ZDesignId,
  output: ZDesignId.nullable().default(null),
});
export type FlowEdge = z.infer<typeof ZFlowEdge>;

export const ZJourneyDesign = z
  .strictObject({
    /** No message is sent in these local hours unless a touchpoint opts out; null means none. */
    quietHours: ZHourRange.nullable().default(null),
    stages: z.array(ZStage).min(1, "a journey needs at least one stage").max(MAX_STAGES),
    flow: z.strictObject({
      nodes: z.array(ZFlowNode).max(MAX_FLOW_NODES),
      edges: z.array(ZFlowEdge).max(MAX_FLOW_NODES * 4),
    }),
  })
  .superRefine((design, ctx) => {
    for (const issue of structuralIssues(design)) ctx.addIssue({ code: "custom", ...issue });
  });
export type JourneyDesign = z.infer<typeof ZJourneyDesign>;
/** A design as written by hand or in an import file, before defaults are filled in. */
export type JourneyDesignInput = z.input<typeof ZJourneyDesign>;

/** The outputs a node offers: one plain output, yes/no, or one per variant; none for an exit. */
export function nodeOutputs(node: FlowNode): (string | null)[] {
  if (node.kind === "exit") return [];
  if (node.kind !== "branch") return [null];
  if (node.split.kind === "random") return node.split.variants.map((v) => v.id);
  return ["yes", "no"];
}

/**
 * The rules that tie the grid and the canvas together and keep the graph well
 * formed. Each issue has the path of the item it is about, so a form can show it there.
 */
function structuralIssues(design: {
  stages: Stage[];
  flow: { nodes: FlowNode[]; edges: FlowEdge[] };
}): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<string>();
  const unique = (id: string, path: (string | number)[]) => {
    if (seen.has(id)) issues.push({ path, message: `the id "${id}" is used twice` });
    seen.add(id);
  };

  const touchpointIds = new Set<string>();
  design.stages.forEach((stage, s) => {
    unique(stage.id, ["stages", s, "id"]);
    stage.touchpoints.forEach((tp, t) => {
      unique(tp.id, ["stages", s, "touchpoints", t, "id"]);
      touchpointIds.add(tp.id);
    });
  });

  const nodes = new Map<string, FlowNode>();
  const placed = new Set<string>();
  let entries = 0;
  design.flow.nodes.forEach((node, n) => {
    unique(node.id, ["flow", "nodes", n, "id"]);
    nodes.set(node.id, node);
    if (node.kind === "entry") entries += 1;
    if (node.kind === "touchpoint") {
      if (!touchpointIds.has(node.touchpointId)) {
        issues.push({
          path: ["flow", "nodes", n, "touchpointId"],
          message: `no touchpoint has the id "${node.touchpointId}"`,
        });
      } else if (placed.has(node.touchpointId)) {
        issues.push({
          path: ["flow", "nodes", n, "touchpointId"],
          message: "a touchpoint can be on the canvas only once",
        });
      }
      placed.add(node.touchpointId);
    }
  });
  if (entries !== 1) issues.push({ path: ["flow", "nodes"], message: "the canvas needs exactly one entry" });
  design.stages.forEach((stage, s) =>
    stage.touchpoints.forEach((tp, t) => {
      if (!placed.has(tp.id)) {
        issues.push({
          path: ["stages", s, "touchpoints", t],
          message: `the touchpoint "${tp.title}" is not on the canvas`,
        });
      }
    }),
  );

  const taken = new Set<string>();
  design.flow.edges.forEach((edge, e) => {
    unique(edge.id, ["flow", "edges", e, "id"]);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source)
      issues.push({ path: ["flow", "edges", e, "source"], message: `no node has the id "${edge.source}"` });
    if (!target)
      issues.push({ path: ["flow", "edges", e, "target"], message: `no node has the id "${edge.target}"` });
    if (!source || !target) return;
    if (edge.source === edge.target)
      issues.push({ path: ["flow", "edges", e], message: "an arrow cannot point back at its own node" });
    if (target.kind === "entry")
      issues.push({ path: ["flow", "edges", e, "target"], message: "nothing can lead into the entry" });
    if (!nodeOutputs(source).includes(edge.output)) {
      issues.push({
        path: ["flow", "edges", e, "output"],
        message:
          source.kind === "exit"
            ? "nothing can follow an exit"
            : source.kind === "branch"
              ? `a branch's arrow must say which way it goes (${nodeOutputs(source).join(", ")})`
              : "only a branch's arrows name an output",
      });
      return;
    }
    const key = `${edge.source}\u0000${edge.output ?? ""}`;
    if (taken.has(key))
      issues.push({ path: ["flow", "edges", e], message: "this output already has an arrow" });
    taken.add(key);
  });
  return issues;
}

/** The default stages of a new journey, from the customer-journey literature. */
export const defaultStageNames = ["Discover", "Consider", "Buy", "Use", "Stay", "Advocate"] as const;

/** A short random id for a new stage, touchpoint, node or edge. */
export function newDesignId(prefix: string): string {
  const random = globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 10);
  return `${prefix}-${random}`;
}

/** A new journey's design: the default stages, no touchpoints, an entry on the canvas. */
export function emptyDesign(stageNames: readonly string[] = defaultStageNames): JourneyDesign {
  return ZJourneyDesign.parse({
    quietHours: { startHour: 21, endHour: 8 },
    stages: stageNames.map((name) => ({ id: newDesignId("stage"), name })),
    flow: { nodes: [{ kind: "entry", id: "entry", position: { x: 0, y: 0 } }], edges: [] },
  });
}

/** Where a design-level issue sits: "stages[2].touchpoints[0].title". */
export function formatDesignPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

export class InvalidDesignError extends InvalidInputError {
  name = "InvalidDesignError";
  constructor(issues: { path: string; message: string }[]) {
    const listed = issues.slice(0, 5).map((i) => `${i.path || "design"}: ${i.message}`);
    super(`The journey design is not valid: ${listed.join("; ")}`, issues);
  }
}

/** Validates a design from any source (the editor, an import, the database) and fills in defaults. */
export function parseDesign(input: unknown): JourneyDesign {
  const result = ZJourneyDesign.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidDesignError(
    result.error.issues.map((issue) => ({ path: formatDesignPath(issue.path), message: issue.message })),
  );
}

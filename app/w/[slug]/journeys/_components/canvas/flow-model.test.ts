import { describe, expect, it } from "vitest";
import { emptyDesign, type JourneyDesign } from "~/server/journeys/design";
import { addBranch, addExit, addTouchpoint, connect, type NewTouchpoint } from "~/server/journeys/edit";
import type { JourneyOverlay } from "../overlay";
import {
  carryViewState,
  connectChoices,
  conversionColour,
  delaySummary,
  splitSummary,
  toCanvasEdges,
  toCanvasNodes,
  triggerSummary,
} from "./flow-model";

const email: NewTouchpoint = {
  channel: "email",
  title: "Welcome",
  content: "",
  link: null,
  trigger: { kind: "segmentEntry" },
  delayHours: 0,
  sendWindow: null,
  respectQuietHours: true,
  frequencyCap: null,
  ownerTeam: "marketing",
  actionEvent: null,
};

const segmentId = "7d0c4f8e-2b8a-4a55-9a43-0d5c1c7b9e21";

/** Entry → Welcome (Discover, email) → "Bought?" branch; yes → Thanks (Buy, web), no → exit. */
function sample() {
  let design = emptyDesign(["Discover", "Consider", "Buy"]);
  const [discover, , buy] = design.stages;
  const welcome = addTouchpoint(design, discover!.id, email);
  design = welcome.design;
  const thanks = addTouchpoint(design, buy!.id, {
    ...email,
    channel: "web",
    title: "Thanks",
    trigger: { kind: "event", event: "Order Completed", channel: "web" },
    delayHours: 48,
    ownerTeam: "service",
  });
  design = thanks.design;
  const nodeOf = (d: JourneyDesign, touchpointId: string) =>
    d.flow.nodes.find((n) => n.kind === "touchpoint" && n.touchpointId === touchpointId)!.id;
  const branch = addBranch(
    design,
    "Bought?",
    { kind: "event", event: "Order Completed", withinDays: 7 },
    { x: 0, y: 0 },
  );
  design = branch.design;
  const exit = addExit(design, "Lost", { x: 0, y: 0 });
  design = exit.design;
  const welcomeNode = nodeOf(design, welcome.touchpointId);
  const thanksNode = nodeOf(design, thanks.touchpointId);
  design = connect(design, welcomeNode, branch.nodeId);
  design = connect(design, branch.nodeId, thanksNode, "yes");
  design = connect(design, branch.nodeId, exit.nodeId, "no");
  return {
    design,
    welcome: welcome.touchpointId,
    thanks: thanks.touchpointId,
    welcomeNode,
    thanksNode,
    branch: branch.nodeId,
    exit: exit.nodeId,
  };
}

describe("summaries", () => {
  it("says when a touchpoint goes out", () => {
    expect(delaySummary(0)).toBe("at once");
    expect(delaySummary(24)).toBe("1 day later");
    expect(delaySummary(72)).toBe("3 days later");
    expect(delaySummary(30)).toBe("30 h later");
    expect(triggerSummary({ kind: "segmentEntry" }, 0)).toBe("On entering the segment, at once");
    expect(triggerSummary({ kind: "event", event: "Product Viewed", channel: "web" }, 2)).toBe(
      "After “Product Viewed” on Web, 2 h later",
    );
  });

  it("asks each kind of split's question", () => {
    const names = new Map([[segmentId, "Loyal weekly"]]);
    expect(splitSummary({ kind: "event", event: "Order Completed", withinDays: 7 }, names)).toBe(
      "“Order Completed” within 7 days?",
    );
    expect(splitSummary({ kind: "segment", segmentId }, names)).toBe("In segment “Loyal weekly”?");
    expect(splitSummary({ kind: "segment", segmentId }, new Map())).toBe("In segment “unknown segment”?");
    expect(
      splitSummary(
        {
          kind: "random",
          variants: [
            { id: "a", label: "A", percent: 70 },
            { id: "b", label: "B", percent: 30 },
          ],
        },
        names,
      ),
    ).toBe("A/B test: A 70% · B 30%");
  });
});

describe("design to canvas", () => {
  it("draws one node per flow node with its words, and the checks on their touchpoints", () => {
    const s = sample();
    const nodes = toCanvasNodes(s.design, {
      checks: [
        {
          id: "c1",
          kind: "quietHours",
          target: { type: "touchpoint", touchpointId: s.thanks },
          message: "Sent inside quiet hours.",
        },
        {
          id: "c2",
          kind: "stageWithoutGoal",
          target: { type: "stage", stageId: s.design.stages[0]!.id },
          message: "No goal.",
        },
      ],
      segmentNames: new Map(),
    });
    expect(nodes.map((n) => n.type).sort()).toEqual(["branch", "entry", "exit", "touchpoint", "touchpoint"]);
    const thanks = nodes.find((n) => n.id === s.thanksNode)!;
    expect(thanks.type).toBe("touchpoint");
    if (thanks.type !== "touchpoint") return;
    expect(thanks.data).toMatchObject({
      stageName: "Buy",
      team: "Service",
      trigger: "After “Order Completed” on Web, 2 days later",
      checks: ["Sent inside quiet hours."],
      acted: null,
    });
    expect(thanks.ariaLabel).toContain("1 check: Sent inside quiet hours.");
    const welcome = nodes.find((n) => n.id === s.welcomeNode)!;
    expect(welcome.type === "touchpoint" && welcome.data.checks).toEqual([]);
    const branch = nodes.find((n) => n.id === s.branch)!;
    expect(branch.type === "branch" && branch.data.outputs.map((o) => o.id)).toEqual(["yes", "no"]);
    expect(nodes.find((n) => n.type === "entry")!.deletable).toBe(false);
  });

  it("labels a branch's arrows with their output and leaves plain arrows bare", () => {
    const s = sample();
    const edges = toCanvasEdges(s.design);
    const fromBranch = edges.filter((e) => e.source === s.branch);
    expect(fromBranch.map((e) => [e.sourceHandle, e.label]).sort()).toEqual([
      ["no", "No"],
      ["yes", "Yes"],
    ]);
    const plain = edges.find((e) => e.source === s.welcomeNode)!;
    expect(plain.sourceHandle).toBeNull();
    expect(plain.label).toBeUndefined();
    expect(plain.ariaLabel).toBe("Arrow from Email: Welcome to Branch: Bought?");
  });

  it("draws the overlay's counts on stage-to-stage arrows and touchpoints", () => {
    const s = sample();
    const [discover, consider, buy] = s.design.stages;
    // Put Welcome → Thanks directly, a Discover → Buy arrow.
    const design = connect(s.design, s.welcomeNode, s.thanksNode);
    const overlay: JourneyOverlay = {
      members: 1000,
      from: "2026-01-01",
      to: "2026-03-31",
      stages: {},
      transitions: [
        { fromStageId: discover!.id, toStageId: consider!.id, converted: 900, conversion: 0.9 },
        { fromStageId: discover!.id, toStageId: buy!.id, converted: 300, conversion: 0.3 },
      ],
      touchpoints: {
        [s.welcome]: { measure: "action", acted: 400, onDesignedChannel: 100, reachedStage: null },
        [s.thanks]: null,
      },
      sends: {},
    };
    const edge = toCanvasEdges(design, overlay).find((e) => e.source === s.welcomeNode)!;
    expect(edge.label).toBe("300 (30%)");
    expect(edge.style).toMatchObject({ stroke: conversionColour(0.3), strokeWidth: 10 });
    expect(edge.data?.transition?.converted).toBe(300);

    const nodes = toCanvasNodes(design, { checks: [], overlay, segmentNames: new Map() });
    const welcome = nodes.find((n) => n.id === s.welcomeNode)!;
    expect(welcome.type === "touchpoint" && welcome.data.acted).toBe("400 acted · 25% on Email");
    const thanks = nodes.find((n) => n.id === s.thanksNode)!;
    expect(thanks.type === "touchpoint" && thanks.data.acted).toBeNull();
    // A message that asks for no action: its deliveries among the members who reached its stage.
    const delivered = toCanvasNodes(design, {
      checks: [],
      overlay: {
        ...overlay,
        touchpoints: {
          [s.thanks]: { measure: "delivery", acted: 180, onDesignedChannel: 180, reachedStage: 240 },
        },
      },
      segmentNames: new Map(),
    }).find((n) => n.id === s.thanksNode)!;
    expect(delivered.type === "touchpoint" && delivered.data.acted).toBe(
      "180 delivered or opened · 75% of stage",
    );
    // What the running journey sent follows how customers acted.
    const sent = toCanvasNodes(design, {
      checks: [],
      overlay: {
        ...overlay,
        sends: { [s.welcome]: { sent: 210, customers: 200, reacted: 50, converted: 10 } },
      },
      segmentNames: new Map(),
    }).find((n) => n.id === s.welcomeNode)!;
    expect(sent.type === "touchpoint" && sent.data.acted).toBe(
      "400 acted · 25% on Email · Sent 210 · 25% reacted · 5% converted",
    );
    // The branch's arrows join no two touchpoints, so they carry no figures.
    expect(toCanvasEdges(design, overlay).find((e) => e.sourceHandle === "no")!.label).toBe("No");
  });

  it("scales the colour with conversion", () => {
    expect(conversionColour(null)).toBe("#94a3b8");
    expect(conversionColour(0)).not.toBe(conversionColour(1));
    expect(conversionColour(1)).toBe(conversionColour(0.99));
  });
});

describe("keyboard connect", () => {
  it("offers the node's outputs and every other node but the entry", () => {
    const s = sample();
    const choices = connectChoices(s.design, s.branch);
    expect(choices.outputs).toEqual([
      { id: "yes", label: "Yes" },
      { id: "no", label: "No" },
    ]);
    expect(choices.targets.map((t) => t.label).sort()).toEqual([
      "Email: Welcome",
      "Exit: Lost",
      "Web: Thanks",
    ]);
    expect(connectChoices(s.design, s.exit).outputs).toEqual([]);
    expect(connectChoices(s.design, "entry").outputs).toEqual([{ id: null, label: "Next" }]);
  });
});

describe("view state", () => {
  it("keeps selection and measured size across a design change, and drops what left", () => {
    const s = sample();
    const before = toCanvasNodes(s.design, { checks: [], segmentNames: new Map() }).map((n) =>
      n.id === s.branch ? { ...n, selected: true, measured: { width: 224, height: 120 } } : n,
    );
    const withoutExit = {
      ...s.design,
      flow: { ...s.design.flow, nodes: s.design.flow.nodes.filter((n) => n.id !== s.exit) },
    };
    const after = carryViewState(before, toCanvasNodes(withoutExit, { checks: [], segmentNames: new Map() }));
    expect(after.find((n) => n.id === s.branch)).toMatchObject({
      selected: true,
      measured: { width: 224, height: 120 },
    });
    expect(after.find((n) => n.id === s.welcomeNode)!.selected).toBeFalsy();
    expect(after.some((n) => n.id === s.exit)).toBe(false);
  });
});

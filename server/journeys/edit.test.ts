import { describe, expect, it } from "vitest";
import { emptyDesign, parseDesign, type JourneyDesign } from "./design";
import {
  addBranch,
  addExit,
  addStage,
  addTouchpoint,
  connect,
  moveStage,
  moveTouchpoint,
  removeNode,
  removeStage,
  removeTouchpoint,
  updateBranch,
  type NewTouchpoint,
} from "./edit";

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

/** The canvas as a readable chain: "entry → Welcome → Offer". */
function chain(design: JourneyDesign): string {
  const title = (nodeId: string) => {
    const node = design.flow.nodes.find((n) => n.id === nodeId)!;
    if (node.kind !== "touchpoint") return node.kind === "entry" ? "entry" : node.label;
    return design.stages.flatMap((s) => s.touchpoints).find((t) => t.id === node.touchpointId)!.title;
  };
  const out: string[] = ["entry"];
  let at = "entry";
  for (let i = 0; i < 50; i++) {
    const edge = design.flow.edges.find((e) => e.source === at && e.output === null);
    if (!edge) break;
    at = edge.target;
    out.push(title(at));
  }
  return out.join(" → ");
}

const stageId = (design: JourneyDesign, name: string) => design.stages.find((s) => s.name === name)!.id;

describe("journey edits", () => {
  it("places each new touchpoint on the canvas after the one before it in the grid", () => {
    let design = emptyDesign();
    design = addTouchpoint(design, stageId(design, "Buy"), { ...email, title: "Offer" }).design;
    design = addTouchpoint(design, stageId(design, "Discover"), { ...email, title: "Welcome" }).design;
    design = addTouchpoint(design, stageId(design, "Stay"), {
      ...email,
      channel: "store",
      title: "Loyalty card",
    }).design;
    design = addTouchpoint(
      design,
      stageId(design, "Buy"),
      { ...email, channel: "web", title: "Banner" },
      0,
    ).design;
    expect(chain(design)).toBe("entry → Welcome → Banner → Offer → Loyalty card");
    expect(() => parseDesign(design)).not.toThrow();
  });

  it("joins the arrows around a removed touchpoint and keeps the design valid", () => {
    let design = emptyDesign();
    for (const title of ["A", "B", "C"])
      design = addTouchpoint(design, stageId(design, "Discover"), { ...email, title }).design;
    const b = design.stages[0]!.touchpoints[1]!.id;
    design = removeTouchpoint(design, b);
    expect(chain(design)).toBe("entry → A → C");
    expect(design.flow.nodes).toHaveLength(3);
    expect(() => parseDesign(design)).not.toThrow();
  });

  it("removing a stage takes its touchpoints off the canvas", () => {
    let design = emptyDesign();
    design = addTouchpoint(design, stageId(design, "Discover"), { ...email, title: "A" }).design;
    design = addTouchpoint(design, stageId(design, "Consider"), { ...email, title: "B" }).design;
    design = addTouchpoint(design, stageId(design, "Buy"), { ...email, title: "C" }).design;
    design = removeStage(design, stageId(design, "Consider"));
    expect(design.stages.map((s) => s.name)).toEqual(["Discover", "Buy", "Use", "Stay", "Advocate"]);
    expect(chain(design)).toBe("entry → A → C");
    expect(() => parseDesign(design)).not.toThrow();
    const single = parseDesign({
      ...design,
      stages: [design.stages[0]!],
      flow: { nodes: [design.flow.nodes[0]!, design.flow.nodes[1]!], edges: [design.flow.edges[0]!] },
    });
    expect(() => removeStage(single, single.stages[0]!.id)).toThrow("at least one stage");
  });

  it("moves stages and touchpoints in the grid without touching the canvas", () => {
    let design = emptyDesign();
    design = addTouchpoint(design, stageId(design, "Discover"), { ...email, title: "A" }).design;
    const flow = design.flow;
    design = moveStage(design, stageId(design, "Advocate"), 0);
    expect(design.stages.map((s) => s.name)[0]).toBe("Advocate");
    design = moveTouchpoint(design, design.stages[1]!.touchpoints[0]!.id, stageId(design, "Use"), 0);
    expect(design.stages.find((s) => s.name === "Use")!.touchpoints[0]!.title).toBe("A");
    expect(design.flow).toEqual(flow);
  });

  it("a branch's arrows follow its outputs, and removing it leaves no dangling arrows", () => {
    let design = emptyDesign();
    design = addTouchpoint(design, stageId(design, "Discover"), { ...email, title: "A" }).design;
    const a = design.flow.nodes.find((n) => n.kind === "touchpoint")!.id;
    const branch = addBranch(
      design,
      "Test",
      {
        kind: "random",
        variants: [
          { id: "a", label: "A", percent: 50 },
          { id: "b", label: "B", percent: 50 },
        ],
      },
      { x: 0, y: 0 },
    );
    design = branch.design;
    const exit = addExit(design, "Done", { x: 10, y: 0 });
    design = connect(exit.design, a, branch.nodeId);
    design = connect(design, branch.nodeId, exit.nodeId, "a");
    design = connect(design, branch.nodeId, exit.nodeId, "b");
    expect(() => parseDesign(design)).not.toThrow();
    expect(() => connect(design, branch.nodeId, exit.nodeId, null)).toThrow("no such output");
    expect(() => connect(design, exit.nodeId, a)).toThrow("Nothing can follow an exit");

    const yesNo = updateBranch(design, branch.nodeId, {
      split: { kind: "event", event: "Order Completed", withinDays: 7 },
    });
    expect(yesNo.flow.edges.filter((e) => e.source === branch.nodeId)).toEqual([]);
    const removed = removeNode(design, branch.nodeId);
    expect(removed.flow.edges.some((e) => e.source === branch.nodeId || e.target === branch.nodeId)).toBe(
      false,
    );
    expect(() => parseDesign(removed)).not.toThrow();
  });

  it("never changes the design it is given", () => {
    const design = emptyDesign();
    const before = structuredClone(design);
    addStage(design, "Return");
    addTouchpoint(design, design.stages[0]!.id, email);
    expect(design).toEqual(before);
  });
});

import { describe, expect, it } from "vitest";
import { emptyDesign } from "~/server/journeys/design";
import { addBranch, addExit, addTouchpoint, connect } from "~/server/journeys/edit";
import { TIDY_COLUMN_WIDTH, TIDY_ROW_HEIGHT, tidyPositions, tidyUp } from "./tidy-layout";

describe("tidy up", () => {
  it("puts each node in the column of its longest path from the entry, yes above no", () => {
    let design = emptyDesign(["Only"]);
    const bought = addBranch(
      design,
      "Bought?",
      { kind: "event", event: "Order Completed", withinDays: 7 },
      { x: 9, y: 9 },
    );
    design = bought.design;
    const thanks = addExit(design, "Thanks", { x: 9, y: 9 });
    design = thanks.design;
    const lost = addExit(design, "Lost", { x: 9, y: 9 });
    design = lost.design;
    // Arrows drawn "no" first, to show the order comes from the outputs, not the drawing.
    design = connect(design, "entry", bought.nodeId);
    design = connect(design, bought.nodeId, lost.nodeId, "no");
    design = connect(design, bought.nodeId, thanks.nodeId, "yes");

    const positions = tidyPositions(design);
    expect(positions.get("entry")).toEqual({ x: 0, y: 0 });
    expect(positions.get(bought.nodeId)).toEqual({ x: TIDY_COLUMN_WIDTH, y: 0 });
    expect(positions.get(thanks.nodeId)).toEqual({ x: 2 * TIDY_COLUMN_WIDTH, y: -TIDY_ROW_HEIGHT / 2 });
    expect(positions.get(lost.nodeId)).toEqual({ x: 2 * TIDY_COLUMN_WIDTH, y: TIDY_ROW_HEIGHT / 2 });
  });

  it("uses the longest path, ignores the arrow that closes a loop, and places what the entry does not reach", () => {
    let design = emptyDesign(["Only"]);
    const a = addBranch(
      design,
      "A",
      { kind: "event", event: "Order Completed", withinDays: 7 },
      { x: 0, y: 0 },
    );
    design = a.design;
    const b = addBranch(
      design,
      "B",
      { kind: "event", event: "Order Completed", withinDays: 7 },
      { x: 0, y: 0 },
    );
    design = b.design;
    const end = addExit(design, "End", { x: 0, y: 0 });
    design = end.design;
    const orphan = addExit(design, "Orphan", { x: 0, y: 0 });
    design = orphan.design;
    design = connect(design, "entry", a.nodeId);
    design = connect(design, a.nodeId, b.nodeId, "yes");
    // The short way to End and the long way through B: End goes after B.
    design = connect(design, a.nodeId, end.nodeId, "no");
    design = connect(design, b.nodeId, end.nodeId, "yes");
    // B's "no" loops back to A.
    design = connect(design, b.nodeId, a.nodeId, "no");

    const positions = tidyPositions(design);
    const column = (id: string) => positions.get(id)!.x / TIDY_COLUMN_WIDTH;
    expect(column("entry")).toBe(0);
    expect(column(a.nodeId)).toBe(1);
    expect(column(b.nodeId)).toBe(2);
    expect(column(end.nodeId)).toBe(3);
    expect(column(orphan.nodeId)).toBe(1);
    expect(positions.size).toBe(design.flow.nodes.length);
    // No two nodes share a spot.
    const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(positions.size);
  });

  it("keeps an arrow that skips a column clear of the node it skips", () => {
    // Entry → A/B test; "Banner" → Banner node → Order; "No banner" → Order directly.
    let design = emptyDesign(["Only"]);
    const test = addBranch(
      design,
      "Banner test",
      {
        kind: "random",
        variants: [
          { id: "banner", label: "Banner", percent: 50 },
          { id: "plain", label: "No banner", percent: 50 },
        ],
      },
      { x: 0, y: 0 },
    );
    design = test.design;
    const banner = addTouchpoint(design, design.stages[0]!.id, {
      channel: "web",
      title: "Home page banner",
      content: "",
      link: null,
      trigger: { kind: "previous" },
      delayHours: 0,
      sendWindow: null,
      respectQuietHours: true,
      frequencyCap: null,
      ownerTeam: "it",
      actionEvent: null,
    });
    design = banner.design;
    const bannerNode = design.flow.nodes.find((n) => n.kind === "touchpoint")!.id;
    const order = addExit(design, "Order", { x: 0, y: 0 });
    design = order.design;
    design = connect(design, "entry", test.nodeId);
    design = connect(design, test.nodeId, bannerNode, "banner");
    design = connect(design, test.nodeId, order.nodeId, "plain");
    design = connect(design, bannerNode, order.nodeId);

    const positions = tidyPositions(design);
    const at = (id: string) => positions.get(id)!;
    expect(at(bannerNode).x).toBeLessThan(at(order.nodeId).x);
    // The banner step moves up out of the way; the order sits level with the test, between its two ways in.
    expect(at(bannerNode).y).toBe(-TIDY_ROW_HEIGHT / 2);
    expect(at(order.nodeId).y).toBe(at(test.nodeId).y);
  });

  it("returns a new design through moveNode and leaves the old one alone", () => {
    let design = emptyDesign(["Only"]);
    const end = addExit(design, "End", { x: 500, y: 500 });
    design = connect(end.design, "entry", end.nodeId);
    const tidy = tidyUp(design);
    expect(tidy.flow.nodes.find((n) => n.id === end.nodeId)!.position).toEqual({
      x: TIDY_COLUMN_WIDTH,
      y: 0,
    });
    expect(design.flow.nodes.find((n) => n.id === end.nodeId)!.position).toEqual({ x: 500, y: 500 });
    expect(tidy.flow.edges).toEqual(design.flow.edges);
  });
});

import { describe, expect, it } from "vitest";
import { emptyDesign, parseDesign } from "~/server/journeys/design";
import { addTouchpoint, type NewTouchpoint } from "~/server/journeys/edit";
import { cellOf, moveToCell, neighbourCell } from "./moves";

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

function designWithTouchpoint() {
  const base = emptyDesign(["Discover", "Consider", "Buy"]);
  const [discover, consider, buy] = base.stages.map((s) => s.id) as [string, string, string];
  const first = addTouchpoint(base, discover, email);
  const second = addTouchpoint(first.design, consider, { ...email, title: "Offer" });
  return {
    design: second.design,
    welcome: first.touchpointId,
    offer: second.touchpointId,
    discover,
    consider,
    buy,
  };
}

describe("moveToCell", () => {
  it("moves a touchpoint to another stage and channel, last in the cell, and keeps the design valid", () => {
    const { design, welcome, consider } = designWithTouchpoint();
    const next = moveToCell(design, welcome, { stageId: consider, channel: "web" });
    expect(cellOf(next, welcome)).toEqual({ stageId: consider, channel: "web" });
    expect(next.stages[0]!.touchpoints).toHaveLength(0);
    expect(next.stages[1]!.touchpoints.map((tp) => tp.title)).toEqual(["Offer", "Welcome"]);
    expect(() => parseDesign(next)).not.toThrow();
    // The design it was given is left alone.
    expect(cellOf(design, welcome)?.channel).toBe("email");
  });

  it("changes only the channel within a stage", () => {
    const { design, offer, consider } = designWithTouchpoint();
    const next = moveToCell(design, offer, { stageId: consider, channel: "store" });
    expect(cellOf(next, offer)).toEqual({ stageId: consider, channel: "store" });
  });

  it("returns the same design when dropped on its own cell", () => {
    const { design, offer, consider } = designWithTouchpoint();
    expect(moveToCell(design, offer, { stageId: consider, channel: "email" })).toBe(design);
  });
});

describe("neighbourCell", () => {
  it("steps through stages left and right and channels up and down, stopping at the edges", () => {
    const { design, welcome, discover, consider } = designWithTouchpoint();
    expect(neighbourCell(design, welcome, "right")).toEqual({ stageId: consider, channel: "email" });
    expect(neighbourCell(design, welcome, "left")).toBeUndefined();
    expect(neighbourCell(design, welcome, "up")).toEqual({ stageId: discover, channel: "mobile" });
    expect(neighbourCell(design, welcome, "down")).toEqual({ stageId: discover, channel: "store" });
    const inOther = moveToCell(design, welcome, { stageId: discover, channel: "other" });
    expect(neighbourCell(inOther, welcome, "down")).toBeUndefined();
    expect(neighbourCell(design, "no-such-touchpoint", "up")).toBeUndefined();
  });
});

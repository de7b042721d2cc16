import { describe, expect, it } from "vitest";
import { parseDesign } from "~/server/journeys/design";
import { overlayFromAnalytics } from "../overlay";
import { testAnalytics, testDesign } from "./test-fixtures";

describe("overlayFromAnalytics", () => {
  it("puts the counts on the stages, the steps between them and the touchpoints", () => {
    expect(overlayFromAnalytics(testAnalytics(), testDesign())).toEqual({
      members: 200,
      from: "2026-08-25",
      to: "2026-11-23",
      stages: {
        discover: { reached: 120, share: 0.6 },
        consider: { reached: 60, share: 0.3 },
        buy: { reached: 0, share: 0 },
        use: { reached: null, share: null },
      },
      transitions: [
        { fromStageId: "discover", toStageId: "consider", converted: 60, conversion: 0.5 },
        { fromStageId: "consider", toStageId: "buy", converted: 0, conversion: 0 },
      ],
      touchpoints: {
        welcome: { measure: "action", acted: 50, onDesignedChannel: 10, reachedStage: null },
        lookbook: { measure: "action", acted: 0, onDesignedChannel: 0, reachedStage: null },
        tips: null,
      },
      sends: {},
    });
  });

  it("adds up what the running journey sent of each touchpoint across its variants", () => {
    const row = { queued: 0, failed: 0 };
    const overlay = overlayFromAnalytics(
      {
        ...testAnalytics(),
        sends: [
          {
            ...row,
            touchpointId: "welcome",
            variant: "a",
            sent: 30,
            customers: 30,
            reacted: 6,
            converted: 2,
          },
          {
            ...row,
            touchpointId: "welcome",
            variant: "b",
            sent: 25,
            customers: 20,
            reacted: 4,
            converted: 1,
          },
          // Only queued so far: nothing sent to show.
          {
            ...row,
            touchpointId: "tips",
            variant: null,
            sent: 0,
            queued: 5,
            customers: 0,
            reacted: 0,
            converted: 0,
          },
          // A touchpoint the map's design no longer has.
          { ...row, touchpointId: "gone", variant: null, sent: 9, customers: 9, reacted: 0, converted: 0 },
        ],
      },
      testDesign(),
    );
    expect(overlay.sends).toEqual({ welcome: { sent: 55, customers: 50, reacted: 10, converted: 3 } });
  });

  it("has no shares when the segment has no members", () => {
    const empty = { ...testAnalytics(), members: 0 };
    expect(overlayFromAnalytics(empty, testDesign()).stages.discover).toEqual({ reached: 120, share: null });
  });

  it("leaves out what the map's design no longer has", () => {
    const design = testDesign();
    const consider = design.stages[1]!;
    // The map's draft dropped Consider (and its lookbook) since the measured version.
    const draft = parseDesign({
      ...design,
      stages: design.stages.filter((stage) => stage.id !== consider.id),
      flow: { ...design.flow, nodes: design.flow.nodes.filter((node) => node.id !== "n-lookbook") },
    });
    const overlay = overlayFromAnalytics(testAnalytics(), draft);
    expect(Object.keys(overlay.stages)).toEqual(["discover", "buy", "use"]);
    expect(overlay.transitions).toEqual([]);
    expect(Object.keys(overlay.touchpoints)).toEqual(["welcome", "tips"]);
  });
});

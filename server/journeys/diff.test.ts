import { describe, expect, it } from "vitest";
import { parseDesign, type JourneyDesign, type JourneyDesignInput } from "./design";
import { diffDesigns, movedIds } from "./diff";

const at = (x: number) => ({ x, y: 0 });

/** A small journey: welcome email → A/B branch → web banner or exit. */
function baseInput(): JourneyDesignInput {
  return {
    quietHours: { startHour: 21, endHour: 8 },
    stages: [
      {
        id: "s-open",
        name: "Email Opened",
        goal: { event: "Email Opened", channel: "email" },
        emotion: 1,
        painPoints: ["Too many newsletters"],
        touchpoints: [
          {
            id: "t-welcome",
            channel: "email",
            title: "Welcome email",
            trigger: { kind: "segmentEntry" },
            delayHours: 24,
            ownerTeam: "marketing",
          },
        ],
      },
      {
        id: "s-view",
        name: "Product Viewed",
        touchpoints: [
          {
            id: "t-banner",
            channel: "web",
            title: "Home page banner",
            trigger: { kind: "previous" },
            ownerTeam: "it",
          },
        ],
      },
      { id: "s-buy", name: "Order Completed" },
    ],
    flow: {
      nodes: [
        { kind: "entry", id: "entry", position: at(0) },
        { kind: "touchpoint", id: "n-welcome", touchpointId: "t-welcome", position: at(100) },
        {
          kind: "branch",
          id: "n-ab",
          label: "Banner test",
          split: {
            kind: "random",
            variants: [
              { id: "a", label: "Banner", percent: 50 },
              { id: "b", label: "Control", percent: 50 },
            ],
          },
          position: at(200),
        },
        { kind: "touchpoint", id: "n-banner", touchpointId: "t-banner", position: at(300) },
        { kind: "exit", id: "n-exit", label: "Done", position: at(400) },
      ],
      edges: [
        { id: "e1", source: "entry", target: "n-welcome" },
        { id: "e2", source: "n-welcome", target: "n-ab" },
        { id: "e3", source: "n-ab", target: "n-banner", output: "a" },
        { id: "e4", source: "n-ab", target: "n-exit", output: "b" },
      ],
    },
  };
}

const base = () => parseDesign(baseInput());
/** The base design changed by `edit` on a plain copy, validated again. */
function edited(edit: (d: JourneyDesign) => void): JourneyDesign {
  const copy = structuredClone(base());
  edit(copy);
  return parseDesign(copy);
}
const stage = (d: JourneyDesign, id: string) => d.stages.find((s) => s.id === id)!;

describe("diffDesigns", () => {
  it("finds nothing between a design and itself, whatever the key order", () => {
    // jsonb gives keys back in its own order: every object's keys reversed.
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    expect(diffDesigns(base(), base())).toEqual([]);
    expect(diffDesigns(base(), reverseKeys(base()) as JourneyDesign)).toEqual([]);
  });

  it("ignores nodes that only moved on the canvas", () => {
    const after = edited((d) => d.flow.nodes.forEach((n) => (n.position = { x: n.position.x + 50, y: 80 })));
    expect(diffDesigns(base(), after)).toEqual([]);
  });

  it("reports quiet hours and stage fields with their values written out", () => {
    const after = edited((d) => {
      d.quietHours = null;
      const open = stage(d, "s-open");
      open.emotion = -2;
      open.goal = null;
      open.painPoints.push("Links open the app store");
      open.customerGoal = "Find a gift";
    });
    expect(diffDesigns(base(), after)).toEqual([
      {
        kind: "changed",
        item: "journey",
        id: "journey",
        label: "Journey",
        field: "quietHours",
        before: "21:00–08:00",
        after: "none",
      },
      {
        kind: "changed",
        item: "stage",
        id: "s-open",
        label: "Email Opened",
        field: "goal",
        before: "“Email Opened” on email",
        after: "none",
      },
      {
        kind: "changed",
        item: "stage",
        id: "s-open",
        label: "Email Opened",
        field: "customerGoal",
        before: "(empty)",
        after: "Find a gift",
      },
      {
        kind: "changed",
        item: "stage",
        id: "s-open",
        label: "Email Opened",
        field: "emotion",
        before: "positive (+1)",
        after: "very negative (-2)",
      },
      {
        kind: "changed",
        item: "stage",
        id: "s-open",
        label: "Email Opened",
        field: "painPoints",
        before: "Too many newsletters",
        after: "Too many newsletters; Links open the app store",
      },
    ]);
  });

  it("reports stages added, removed, renamed and moved, without moving the ones an insert shifts", () => {
    const after = edited((d) => {
      const [open, view, buy] = d.stages as [
        JourneyDesign["stages"][0],
        JourneyDesign["stages"][0],
        JourneyDesign["stages"][0],
      ];
      buy.name = "Order Completed (web)";
      d.stages = [view, open, { ...buy, id: "s-new", name: "Repeat Order" }, buy];
    });
    const changes = diffDesigns(base(), after);
    expect(changes).toEqual([
      // view and open swapped: the longest kept run is one of them, the other moved.
      {
        kind: "moved",
        item: "stage",
        id: "s-open",
        label: "Email Opened",
        field: "position",
        before: "1",
        after: "2",
      },
      { kind: "added", item: "stage", id: "s-new", label: "Repeat Order" },
      {
        kind: "changed",
        item: "stage",
        id: "s-buy",
        label: "Order Completed (web)",
        field: "name",
        before: "Order Completed",
        after: "Order Completed (web)",
      },
    ]);
    const removed = edited((d) => void d.stages.splice(2, 1));
    expect(diffDesigns(base(), removed)).toEqual([
      { kind: "removed", item: "stage", id: "s-buy", label: "Order Completed" },
    ]);
  });

  it("reports touchpoints changed per field, moved to another stage, added and removed", () => {
    const after = edited((d) => {
      const welcome = stage(d, "s-open").touchpoints[0]!;
      welcome.delayHours = 48;
      welcome.trigger = { kind: "event", event: "Product Viewed", channel: "web" };
      welcome.frequencyCap = { max: 2, perDays: 7 };
      const banner = stage(d, "s-view").touchpoints.pop()!;
      stage(d, "s-buy").touchpoints.push({ ...banner, sendWindow: { startHour: 9, endHour: 17 } });
    });
    expect(diffDesigns(base(), after)).toEqual([
      {
        kind: "changed",
        item: "touchpoint",
        id: "t-welcome",
        label: "Welcome email",
        stageName: "Email Opened",
        field: "trigger",
        before: "on entering the segment",
        after: "after “Product Viewed” on web",
      },
      {
        kind: "changed",
        item: "touchpoint",
        id: "t-welcome",
        label: "Welcome email",
        stageName: "Email Opened",
        field: "delayHours",
        before: "1 day",
        after: "2 days",
      },
      {
        kind: "changed",
        item: "touchpoint",
        id: "t-welcome",
        label: "Welcome email",
        stageName: "Email Opened",
        field: "frequencyCap",
        before: "none",
        after: "at most 2 per 7 days",
      },
      {
        kind: "moved",
        item: "touchpoint",
        id: "t-banner",
        label: "Home page banner",
        stageName: "Order Completed",
        field: "stage",
        before: "Product Viewed",
        after: "Order Completed",
      },
      {
        kind: "changed",
        item: "touchpoint",
        id: "t-banner",
        label: "Home page banner",
        stageName: "Order Completed",
        field: "sendWindow",
        before: "none",
        after: "09:00–17:00",
      },
    ]);

    const removed = edited((d) => {
      stage(d, "s-view").touchpoints = [];
      d.flow.nodes = d.flow.nodes.filter((n) => n.id !== "n-banner");
      d.flow.edges = d.flow.edges.filter((e) => e.target !== "n-banner");
    });
    expect(diffDesigns(base(), removed)).toEqual([
      {
        kind: "removed",
        item: "touchpoint",
        id: "t-banner",
        label: "Home page banner",
        stageName: "Product Viewed",
      },
      { kind: "removed", item: "arrow", id: "e3", label: "Banner test (Banner) → Home page banner" },
    ]);
    expect(diffDesigns(removed, base()).map((c) => [c.kind, c.item, c.label])).toEqual([
      ["added", "touchpoint", "Home page banner"],
      ["added", "arrow", "Banner test (Banner) → Home page banner"],
    ]);
  });

  it("reports branches and exits added, removed and changed, and arrows by their ends, not their ids", () => {
    const after = edited((d) => {
      const ab = d.flow.nodes.find((n) => n.id === "n-ab")!;
      if (ab.kind === "branch" && ab.split.kind === "random") {
        ab.split.variants[0]!.percent = 70;
        ab.split.variants[1]!.percent = 30;
      }
      d.flow.nodes = d.flow.nodes.filter((n) => n.id !== "n-exit");
      d.flow.nodes.push(
        { kind: "exit", id: "n-bought", label: "Bought", position: at(500) },
        {
          kind: "branch",
          id: "n-seg",
          label: "Loyal?",
          split: { kind: "segment", segmentId: "00000000-0000-4000-8000-000000000001" },
          position: at(600),
        },
      );
      // The same arrow drawn again gets a new id; e4 now leads to the new exit.
      d.flow.edges = [
        { id: "e1-redrawn", source: "entry", target: "n-welcome", output: null },
        ...d.flow.edges.filter((e) => e.id === "e2" || e.id === "e3"),
        { id: "e5", source: "n-ab", target: "n-bought", output: "b" },
      ];
    });
    const segmentName = (id: string) => (id.endsWith("1") ? "Loyal weekly customers" : undefined);
    expect(diffDesigns(base(), after, { segmentName })).toEqual([
      { kind: "removed", item: "exit", id: "n-exit", label: "Done" },
      {
        kind: "changed",
        item: "branch",
        id: "n-ab",
        label: "Banner test",
        field: "split",
        before: "A/B test: Banner 50%, Control 50%",
        after: "A/B test: Banner 70%, Control 30%",
      },
      { kind: "added", item: "exit", id: "n-bought", label: "Bought" },
      { kind: "added", item: "branch", id: "n-seg", label: "Loyal?" },
      { kind: "removed", item: "arrow", id: "e4", label: "Banner test (Control) → Done" },
      { kind: "added", item: "arrow", id: "e5", label: "Banner test (Control) → Bought" },
    ]);
    const relabelled = edited((d) => {
      const exit = d.flow.nodes.find((n) => n.id === "n-exit")!;
      if (exit.kind === "exit") exit.label = "Finished";
    });
    expect(diffDesigns(base(), relabelled)).toEqual([
      {
        kind: "changed",
        item: "exit",
        id: "n-exit",
        label: "Finished",
        field: "label",
        before: "Done",
        after: "Finished",
      },
    ]);
  });
});

describe("movedIds", () => {
  it("moves only what left the longest run that kept its order", () => {
    expect([...movedIds(["a", "b", "c", "d"], ["a", "x", "b", "c", "d"])]).toEqual([]);
    expect([...movedIds(["a", "b", "c", "d"], ["d", "a", "b", "c"])]).toEqual(["d"]);
    // Reversed: any one of them can stay, the other two moved.
    expect(movedIds(["a", "b", "c"], ["c", "b", "a"]).size).toBe(2);
    expect([...movedIds(["a", "b"], ["b"])]).toEqual([]);
  });
});

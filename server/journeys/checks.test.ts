import { describe, expect, it } from "vitest";
import { checkDesign, type DesignCheck } from "./checks";
import { parseDesign, type JourneyDesignInput } from "./design";

// Hand-built designs: a stage "Buy" (with a goal unless a test says otherwise)
// holding the touchpoints, and a canvas wired by `edges` ("a>b", "br>c:yes").

type TouchpointInput = NonNullable<JourneyDesignInput["stages"][number]["touchpoints"]>[number];

const at = { x: 0, y: 0 };

function touchpoint(id: string, fields: Partial<TouchpointInput> = {}): TouchpointInput {
  return {
    id,
    channel: "email",
    title: id.toUpperCase(),
    trigger: { kind: "segmentEntry" },
    ownerTeam: "marketing",
    respectQuietHours: false,
    ...fields,
  };
}

function design(options: {
  touchpoints?: TouchpointInput[];
  edges?: string[];
  branches?: { id: string; split?: "event" | "random" }[];
  quietHours?: { startHour: number; endHour: number } | null;
  stages?: JourneyDesignInput["stages"];
}) {
  const touchpoints = options.touchpoints ?? [];
  // Ids are unique across the whole design: a touchpoint's node is "<id>-node".
  const node = (id: string) => (touchpoints.some((tp) => tp.id === id) ? `${id}-node` : id);
  const edges = (options.edges ?? []).map((text, i) => {
    const [source, rest] = text.split(">") as [string, string];
    const [target, output] = rest.split(":") as [string, string | undefined];
    return { id: `e${i}`, source: node(source), target: node(target), output: output ?? null };
  });
  return parseDesign({
    quietHours: options.quietHours ?? null,
    stages: options.stages ?? [{ id: "buy", name: "Buy", goal: { event: "Order Completed" }, touchpoints }],
    flow: {
      nodes: [
        { kind: "entry", id: "entry", position: at },
        ...touchpoints.map((tp) => ({
          kind: "touchpoint" as const,
          id: node(tp.id),
          touchpointId: tp.id,
          position: at,
        })),
        ...(options.branches ?? []).map((b) => ({
          kind: "branch" as const,
          id: b.id,
          label: b.id,
          position: at,
          split:
            b.split === "random"
              ? {
                  kind: "random" as const,
                  variants: [
                    { id: "a", label: "A", percent: 50 },
                    { id: "b", label: "B", percent: 50 },
                  ],
                }
              : { kind: "event" as const, event: "Email Opened", withinDays: 3 },
        })),
      ],
      edges,
    },
  });
}

const ofKind = (checks: DesignCheck[], kind: DesignCheck["kind"]) => checks.filter((c) => c.kind === kind);

describe("stageWithoutGoal", () => {
  it("names each stage without a goal", () => {
    const checks = checkDesign(
      design({
        stages: [
          { id: "discover", name: "Discover", goal: { event: "Product Viewed" } },
          { id: "buy", name: "Buy" },
        ],
      }),
    );
    expect(checks).toEqual([
      {
        id: "stageWithoutGoal:buy",
        kind: "stageWithoutGoal",
        target: { type: "stage", stageId: "buy" },
        message: 'The stage "Buy" has no goal: add the event that shows a customer reached it.',
      },
    ]);
  });

  it("is quiet when every stage has a goal", () => {
    expect(checkDesign(design({}))).toEqual([]);
  });
});

describe("sameMoment", () => {
  it("finds two emails sent on segment entry, one check each naming the other", () => {
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("welcome", { title: "Welcome" }),
          touchpoint("offer", { title: "First offer" }),
          touchpoint("push", { channel: "mobile" }),
        ],
      }),
    );
    expect(ofKind(checks, "sameMoment")).toEqual([
      {
        id: "sameMoment:welcome",
        kind: "sameMoment",
        target: { type: "touchpoint", touchpointId: "welcome" },
        message:
          'Email "Welcome" goes out at the same moment as "First offer" (at segment entry), so the customer gets ' +
          "them together: space them apart or give them send windows that do not overlap.",
      },
      expect.objectContaining({
        id: "sameMoment:offer",
        target: { type: "touchpoint", touchpointId: "offer" },
        message: expect.stringContaining('Email "First offer" goes out at the same moment as "Welcome"'),
      }),
    ]);
  });

  it("adds the delays along a chain of previous triggers", () => {
    // a: entry + 24 h; b: a + 24 h = entry + 48 h; c: entry + 48 h directly.
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("a", { delayHours: 24, trigger: { kind: "previous" } }),
          touchpoint("b", { delayHours: 24, trigger: { kind: "previous" } }),
          touchpoint("c", { delayHours: 48 }),
        ],
        edges: ["entry>a", "a>b"],
      }),
    );
    expect(ofKind(checks, "sameMoment").map((c) => c.id)).toEqual(["sameMoment:b", "sameMoment:c"]);
    expect(checks[0]!.message).toContain("(2 days after segment entry)");
  });

  it("keeps different delays, channels, anchors and non-overlapping send windows apart", () => {
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("a", { delayHours: 1 }),
          touchpoint("b", { delayHours: 2 }),
          touchpoint("c", { delayHours: 1, channel: "social" }),
          touchpoint("d", { delayHours: 1, trigger: { kind: "event", event: "Order Completed" } }),
          touchpoint("e", { delayHours: 2, sendWindow: { startHour: 22, endHour: 2 } }),
          touchpoint("f", { delayHours: 2, sendWindow: { startHour: 9, endHour: 17 } }),
        ],
      }),
    );
    // b has no send window, so it meets both e and f; e and f themselves never overlap.
    expect(ofKind(checks, "sameMoment").map((c) => c.id)).toEqual([
      "sameMoment:b",
      "sameMoment:e",
      "sameMoment:f",
    ]);
    expect(checks.find((c) => c.id === "sameMoment:b")!.message).toContain('as "E" and "F"');
    expect(checks.find((c) => c.id === "sameMoment:e")!.message).toContain('as "B" (');
  });

  it("compares event triggers only with the same event and channel", () => {
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("a", { trigger: { kind: "event", event: "Cart Abandoned", channel: "web" } }),
          touchpoint("b", { trigger: { kind: "event", event: "Cart Abandoned", channel: "web" } }),
          touchpoint("c", { trigger: { kind: "event", event: "Cart Abandoned" } }),
        ],
      }),
    );
    expect(ofKind(checks, "sameMoment").map((c) => c.id)).toEqual(["sameMoment:a", "sameMoment:b"]);
    expect(checks[0]!.message).toContain('(at the event "Cart Abandoned" on web)');
  });

  it("does not collide touchpoints on the two outputs of one branch, but does on one output", () => {
    // entry → split: yes → a, no → b (both 24 h after entry, exclusive); a → c (entry + 24 h, yes path too).
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("a", { delayHours: 24, trigger: { kind: "previous" } }),
          touchpoint("b", { delayHours: 24, trigger: { kind: "previous" } }),
          touchpoint("c", { delayHours: 0, trigger: { kind: "previous" } }),
        ],
        branches: [{ id: "split" }],
        edges: ["entry>split", "split>a:yes", "split>b:no", "a>c"],
      }),
    );
    expect(ofKind(checks, "sameMoment").map((c) => c.id)).toEqual(["sameMoment:a", "sameMoment:c"]);
  });

  it("uses every route into a node: two paths that rejoin collide on either", () => {
    // entry → r (A/B): variant a → x (12 h), variant b → y (36 h); both → z (previous, +12 h).
    // z goes out 24 h after entry on the a route and 48 h on the b route; w is at 48 h.
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("x", { channel: "mobile", delayHours: 12, trigger: { kind: "previous" } }),
          touchpoint("y", { channel: "mobile", delayHours: 36, trigger: { kind: "previous" } }),
          touchpoint("z", { delayHours: 12, trigger: { kind: "previous" } }),
          touchpoint("w", { delayHours: 48 }),
        ],
        branches: [{ id: "r", split: "random" }],
        edges: ["entry>r", "r>x:a", "r>y:b", "x>z", "y>z"],
      }),
    );
    expect(ofKind(checks, "sameMoment").map((c) => c.id)).toEqual(["sameMoment:z", "sameMoment:w"]);
    expect(checks[0]!.message).toContain("(2 days after segment entry)");
  });

  it("stops at a loop on the canvas", () => {
    // a → b → a: a's only ways in are the entry and the loop; b is a + 24 h.
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("a", { delayHours: 24, trigger: { kind: "previous" } }),
          touchpoint("b", { delayHours: 24, trigger: { kind: "previous" } }),
          touchpoint("c", { delayHours: 48 }),
        ],
        edges: ["entry>a", "a>b", "b>a"],
      }),
    );
    expect(ofKind(checks, "sameMoment").map((c) => c.id)).toEqual(["sameMoment:b", "sameMoment:c"]);
  });

  it("treats a touchpoint nothing leads to as starting at the entry", () => {
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("loose", { delayHours: 5, trigger: { kind: "previous" } }),
          touchpoint("timed", { delayHours: 5 }),
        ],
      }),
    );
    expect(ofKind(checks, "sameMoment").map((c) => c.id)).toEqual(["sameMoment:loose", "sameMoment:timed"]);
    expect(checks[0]!.message).toContain("(5 hours after segment entry)");
  });
});

describe("frequencyCap", () => {
  const cap = { max: 2, perDays: 7 };

  it("counts the channel's sends within the period and names them", () => {
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("x", { title: "X", frequencyCap: cap }),
          touchpoint("y", { title: "Y", delayHours: 72 }),
          touchpoint("z", { title: "Z", delayHours: 24 * 6 + 23 }),
          touchpoint("later", { delayHours: 24 * 7 }),
          touchpoint("push", { channel: "mobile", delayHours: 1 }),
        ],
      }),
    );
    expect(ofKind(checks, "frequencyCap")).toEqual([
      {
        id: "frequencyCap:x",
        kind: "frequencyCap",
        target: { type: "touchpoint", touchpointId: "x" },
        message:
          'Email "X" allows at most 2 emails in 7 days, but this journey sends 3 (X, Y, Z) within 7 days of segment entry.',
      },
    ]);
  });

  it("finds the fullest period holding the touchpoint, which may start before it", () => {
    // The capped email is at day 6; a period from day 0 holds days 0, 3, 6; one from day 6 holds 6, 12.
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("d0", { title: "D0" }),
          touchpoint("d3", { title: "D3", delayHours: 72 }),
          touchpoint("d6", { title: "D6", delayHours: 144, frequencyCap: cap }),
          touchpoint("d12", { title: "D12", delayHours: 288 }),
        ],
      }),
    );
    expect(ofKind(checks, "frequencyCap").map((c) => c.message)).toEqual([
      'Email "D6" allows at most 2 emails in 7 days, but this journey sends 3 (D0, D3, D6) within 7 days of segment entry.',
    ]);
  });

  it("does not count sends that are further apart, on another anchor or on another branch output", () => {
    const checks = checkDesign(
      design({
        touchpoints: [
          touchpoint("capped", { frequencyCap: { max: 1, perDays: 2 }, trigger: { kind: "previous" } }),
          touchpoint("far", { delayHours: 48 }),
          touchpoint("event", { trigger: { kind: "event", event: "Order Completed" } }),
          touchpoint("other-way", { delayHours: 1, trigger: { kind: "previous" } }),
        ],
        branches: [{ id: "split" }],
        edges: ["entry>split", "split>capped:yes", "split>other-way:no"],
      }),
    );
    expect(ofKind(checks, "frequencyCap")).toEqual([]);
  });
});

describe("quietHours", () => {
  const night = { startHour: 21, endHour: 8 };

  it("flags a message whose send window runs into the night, and one without a window", () => {
    const checks = checkDesign(
      design({
        quietHours: night,
        touchpoints: [
          touchpoint("late", {
            title: "Late",
            respectQuietHours: true,
            sendWindow: { startHour: 18, endHour: 22 },
          }),
          touchpoint("any", {
            title: "Any time",
            channel: "call_center",
            respectQuietHours: true,
            delayHours: 3,
          }),
        ],
      }),
    );
    expect(ofKind(checks, "quietHours")).toEqual([
      {
        id: "quietHours:late",
        kind: "quietHours",
        target: { type: "touchpoint", touchpointId: "late" },
        message:
          'Email "Late" has the send window 18:00–22:00, which overlaps the quiet hours (21:00–08:00), so what ' +
          "comes due then waits until 08:00: move the window outside 21:00–08:00.",
      },
      {
        id: "quietHours:any",
        kind: "quietHours",
        target: { type: "touchpoint", touchpointId: "any" },
        message:
          'Call "Any time" has no send window, so it can come due in the quiet hours (21:00–08:00) and wait until ' +
          "08:00: give it a send window outside them, or let it ignore quiet hours.",
      },
    ]);
  });

  it("wraps midnight on both sides", () => {
    // The window 23 → 1 and the quiet hours 0 → 6 share the hour after midnight; 6 → 23 does not touch them.
    const flagged = (sendWindow: { startHour: number; endHour: number }) =>
      ofKind(
        checkDesign(
          design({
            quietHours: { startHour: 0, endHour: 6 },
            touchpoints: [touchpoint("a", { respectQuietHours: true, sendWindow })],
          }),
        ),
        "quietHours",
      ).length;
    expect(flagged({ startHour: 23, endHour: 1 })).toBe(1);
    expect(flagged({ startHour: 6, endHour: 23 })).toBe(0);
    expect(flagged({ startHour: 5, endHour: 7 })).toBe(1);
  });

  it("leaves alone windows outside the quiet hours, opted-out messages, pull channels and journeys without quiet hours", () => {
    const touchpoints = [
      touchpoint("day", { respectQuietHours: true, sendWindow: { startHour: 8, endHour: 21 } }),
      touchpoint("urgent", { respectQuietHours: false, delayHours: 1 }),
      touchpoint("banner", { channel: "web", respectQuietHours: true, delayHours: 2 }),
      touchpoint("shelf", { channel: "store", respectQuietHours: true, delayHours: 3 }),
    ];
    expect(ofKind(checkDesign(design({ quietHours: night, touchpoints })), "quietHours")).toEqual([]);
    const noQuiet = [
      touchpoint("night", { respectQuietHours: true, sendWindow: { startHour: 22, endHour: 23 } }),
    ];
    expect(ofKind(checkDesign(design({ quietHours: null, touchpoints: noQuiet })), "quietHours")).toEqual([]);
  });
});

describe("check ids", () => {
  it("stay the same when the design is checked again or unrelated parts change", () => {
    const base = {
      quietHours: { startHour: 21, endHour: 8 },
      touchpoints: [
        touchpoint("a", { respectQuietHours: true, frequencyCap: { max: 1, perDays: 1 } }),
        touchpoint("b", { delayHours: 0 }),
      ],
    };
    const first = checkDesign(design(base));
    expect(checkDesign(design(base))).toEqual(first);
    const edited = checkDesign(
      design({
        ...base,
        touchpoints: [...base.touchpoints, touchpoint("c", { channel: "social", delayHours: 9 })],
      }),
    );
    expect(edited.map((c) => c.id)).toEqual(first.map((c) => c.id));
    expect(first.map((c) => c.id)).toEqual([
      "sameMoment:a",
      "frequencyCap:a",
      "quietHours:a",
      "sameMoment:b",
    ]);
  });
});

describe("a canvas at the size limits", () => {
  // 12 stages of 30 capped emails, chained on the canvas; with `branches`, the first ones
  // each sit behind an event split whose "no" skips them, so routes multiply.
  function big(branches: number) {
    const stages = Array.from({ length: 12 }, (_, s) => ({
      id: `s${s}`,
      name: `Stage ${s}`,
      goal: { event: "Order Completed" },
      touchpoints: Array.from({ length: 30 }, (_, t) =>
        touchpoint(`t${s}-${t}`, {
          trigger: { kind: "previous" },
          delayHours: (t % 3) * 24,
          frequencyCap: { max: 3, perDays: 30 },
        }),
      ),
    }));
    const ids = stages.flatMap((s) => s.touchpoints.map((t) => t.id));
    const edges: { id: string; source: string; target: string; output?: string }[] = [];
    let previous = "entry";
    ids.forEach((id, i) => {
      if (i < branches) {
        edges.push({ id: `e${edges.length}`, source: previous, target: `b-${id}` });
        edges.push({ id: `e${edges.length}`, source: `b-${id}`, target: `n-${id}`, output: "yes" });
        edges.push({ id: `e${edges.length}`, source: `b-${id}`, target: `n-${ids[i + 1]!}`, output: "no" });
      } else if (i > branches || branches === 0) {
        edges.push({ id: `e${edges.length}`, source: previous, target: `n-${id}` });
      }
      previous = `n-${id}`;
    });
    return parseDesign({
      stages,
      flow: {
        nodes: [
          { kind: "entry", id: "entry", position: at },
          ...ids.map((id) => ({
            kind: "touchpoint" as const,
            id: `n-${id}`,
            touchpointId: id,
            position: at,
          })),
          ...ids.slice(0, branches).map((id) => ({
            kind: "branch" as const,
            id: `b-${id}`,
            label: "Opened?",
            split: { kind: "event" as const, event: "Email Opened", withinDays: 3 },
            position: at,
          })),
        ],
        edges,
      },
    });
  }

  it("checks 360 capped emails in a chain, every one of them", () => {
    const started = performance.now();
    const checks = checkDesign(big(0));
    expect(performance.now() - started).toBeLessThan(5000);
    // Every email has at least three others within 30 days of it on the chain.
    expect(ofKind(checks, "frequencyCap")).toHaveLength(360);
  });

  it("stays quick when twenty branches multiply the routes", () => {
    const started = performance.now();
    const checks = checkDesign(big(20));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(ofKind(checks, "frequencyCap").length).toBeGreaterThan(0);
  });
});

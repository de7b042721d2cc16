import { beforeAll, expect, it } from "vitest";
import type { Database } from "~/db";
import type { Channel } from "~/db/enums";
import { segmentMembers, segments } from "~/db/schema";
import { insertCustomer, insertEvents } from "~/server/customers/test-fixtures";
import { InvalidInputError, NotFoundError } from "~/server/errors";
import type { Rule } from "~/server/segments/rules";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { journeyAnalytics } from "./analytics";
import { parseDesign } from "./design";

// A small segment whose numbers are worked out by hand below. The window is
// March 2026; the stages are Discover (Product Viewed, any channel), Consider
// (Email Opened, on email only), Buy (Order Completed, any channel) and
// Advocate (no goal).
//
// member  events in the window (day-of-March hour, channel)          path (first reach)
// Ann     PV 2 10:00 web, EO 3 10:00 email, OC 5 10:00 web,         D web → C email → B web
//         Post Liked 20 social                                       (reads email, buys on the web)
// Bob     PV 5 00:00 mobile, EO 5 06:00 email, OC 6 18:00 store      D mobile → C email → B store
//         (+ PV on Feb 20, web: before the window)
// Cat     PV 10 00:00 web, OC 10 12:00 web                           D web → B web (skips Consider)
// Dan     OC 2 00:00 store, PV 3 00:00 web, EO 4 12:00 email,        B store → D web → C email
//         OC 5 00:00 web, Post Liked 21 web                          (out of order)
// Eve     EO 14 10:00 email, PV 15 10:00 web, EO 16 10:00 mobile     C email → D web
//         (reached Consider only before Discover: not converted)
// Fay     Signed Up 8 09:00 web, EO 8 10:00 mobile (not email)       (none)
// Gus     PV on May 2 (after the window)                             (none, no events)
// Joe     PV 12 08:00 web, EO 12 08:00 email (same moment),          D web → C email → B web
//         OC 13 08:00 web                                            (tie: design order)
// Hal     PV, EO, OC, Post Liked in the window, but not a member
// Ivy     OC in the window, member of another segment only
//
// Steps (hours from the first reach of a stage to the first reach of the next at or after it):
//   Discover → Consider: Ann 24, Bob 6, Dan 36, Joe 0 → 4 of 6, median (6 + 24) / 2 = 15
//   Consider → Buy: Ann 48, Bob 36, Dan 12 (his order on the 2nd came before), Joe 24 → 4 of 5, median 30

const march = (day: number, hour = 0) => new Date(Date.UTC(2026, 2, day, hour));
const from = march(1);
const to = new Date(Date.UTC(2026, 3, 1));

const PV = "Product Viewed";
const EO = "Email Opened";
const OC = "Order Completed";
const LIKE = "Post Liked";
const ev = (event: string, timestamp: Date, channel: Channel) => ({ event, timestamp, channel });

const design = parseDesign({
  quietHours: null,
  stages: [
    {
      id: "discover",
      name: "Discover",
      goal: { event: PV },
      touchpoints: [tp("web-ad", "web")],
    },
    {
      id: "consider",
      name: "Consider",
      goal: { event: EO, channel: "email" },
      touchpoints: [tp("offer-email", "email", OC)],
    },
    { id: "buy", name: "Buy", goal: { event: OC }, touchpoints: [tp("shelf", "store")] },
    {
      id: "advocate",
      name: "Advocate",
      touchpoints: [tp("share-ask", "social", LIKE), tp("thank-you", "social")],
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
      ...["web-ad", "offer-email", "shelf", "share-ask", "thank-you"].map((id) => ({
        kind: "touchpoint" as const,
        id: `${id}-node`,
        touchpointId: id,
        position: { x: 0, y: 0 },
      })),
    ],
    edges: [],
  },
});

function tp(id: string, channel: Channel, actionEvent: string | null = null) {
  return {
    id,
    channel,
    title: id,
    trigger: { kind: "segmentEntry" as const },
    ownerTeam: "marketing" as const,
    actionEvent,
  };
}

const rule: Rule = { type: "behaviour", performed: true, event: OC };

describeEachDatabase("journey analytics", (getDb) => {
  let db: Database;
  let workspaceId: string;
  let segmentId: string;

  beforeAll(async () => {
    db = getDb();
    await truncateAllTables(db);
    workspaceId = (await makeWorkspace(db)).workspace.id;
    const [segment, other] = await db
      .insert(segments)
      .values([
        { workspaceId, name: "Journey members", rule },
        { workspaceId, name: "Someone else's", rule },
      ])
      .returning({ id: segments.id });
    segmentId = segment!.id;

    const customer = async (name: string, events: ReturnType<typeof ev>[], segment: string | null) => {
      const id = await insertCustomer(db, workspaceId, { name });
      await insertEvents(db, workspaceId, id, events);
      if (segment)
        await db.insert(segmentMembers).values({ workspaceId, segmentId: segment, customerId: id });
    };
    await customer(
      "Ann",
      [
        ev(PV, march(2, 10), "web"),
        ev(EO, march(3, 10), "email"),
        ev(OC, march(5, 10), "web"),
        ev(LIKE, march(20), "social"),
      ],
      segmentId,
    );
    await customer(
      "Bob",
      [
        ev(PV, new Date(Date.UTC(2026, 1, 20)), "web"),
        ev(PV, march(5), "mobile"),
        ev(EO, march(5, 6), "email"),
        ev(OC, march(6, 18), "store"),
      ],
      segmentId,
    );
    await customer("Cat", [ev(PV, march(10), "web"), ev(OC, march(10, 12), "web")], segmentId);
    await customer(
      "Dan",
      [
        ev(OC, march(2), "store"),
        ev(PV, march(3), "web"),
        ev(EO, march(4, 12), "email"),
        ev(OC, march(5), "web"),
        ev(LIKE, march(21), "web"),
      ],
      segmentId,
    );
    await customer(
      "Eve",
      [ev(EO, march(14, 10), "email"), ev(PV, march(15, 10), "web"), ev(EO, march(16, 10), "mobile")],
      segmentId,
    );
    await customer("Fay", [ev("Signed Up", march(8, 9), "web"), ev(EO, march(8, 10), "mobile")], segmentId);
    await customer("Gus", [ev(PV, new Date(Date.UTC(2026, 4, 2)), "web")], segmentId);
    await customer(
      "Joe",
      [ev(PV, march(12, 8), "web"), ev(EO, march(12, 8), "email"), ev(OC, march(13, 8), "web")],
      segmentId,
    );
    await customer(
      "Hal",
      [
        ev(PV, march(2), "web"),
        ev(EO, march(3), "email"),
        ev(OC, march(4), "web"),
        ev(LIKE, march(5), "social"),
      ],
      null,
    );
    await customer("Ivy", [ev(OC, march(2), "store")], other!.id);
  });

  const analytics = () => journeyAnalytics(db, { workspaceId, segmentId, design, from, to });

  it("counts the members, and those with any event in the window", async () => {
    const result = await analytics();
    expect(result.window).toEqual({ from, to });
    expect(result.members).toBe(8);
    expect(result.membersWithEvents).toBe(7); // all but Gus
  });

  it("counts who reached each stage, null for the stage without a goal", async () => {
    expect((await analytics()).stages).toEqual([
      { stageId: "discover", reached: 6 }, // Ann, Bob, Cat, Dan, Eve, Joe
      { stageId: "consider", reached: 5 }, // Ann, Bob, Dan, Eve, Joe (Fay opened on mobile)
      { stageId: "buy", reached: 5 }, // Ann, Bob, Cat, Dan, Joe
      { stageId: "advocate", reached: null },
    ]);
  });

  it("converts stage to stage from each member's first reach, with the median hours", async () => {
    expect((await analytics()).steps).toEqual([
      {
        fromStageId: "discover",
        toStageId: "consider",
        reached: 6,
        converted: 4,
        conversion: 4 / 6,
        dropOff: 2,
        medianHours: 15,
      },
      {
        fromStageId: "consider",
        toStageId: "buy",
        reached: 5,
        converted: 4,
        conversion: 4 / 5,
        dropOff: 1,
        medianHours: 30,
      },
      {
        fromStageId: "buy",
        toStageId: "advocate",
        reached: 5,
        converted: null,
        conversion: null,
        dropOff: null,
        medianHours: null,
      },
    ]);
  });

  it("shows on which channel members acted on each touchpoint", async () => {
    expect((await analytics()).touchpoints).toEqual([
      {
        touchpointId: "web-ad",
        stageId: "discover",
        channel: "web",
        // First product view: Bob's in the window was on mobile (his web view in February is outside).
        action: {
          event: PV,
          acted: 6,
          onDesignedChannel: 5,
          onOtherChannels: 1,
          byChannel: { web: 5, mobile: 1 },
        },
      },
      {
        touchpointId: "offer-email",
        stageId: "consider",
        channel: "email",
        // The email's readers bought on the web (Ann, Cat, Joe) and in the store (Bob, Dan), never by email.
        action: {
          event: OC,
          acted: 5,
          onDesignedChannel: 0,
          onOtherChannels: 5,
          byChannel: { web: 3, store: 2 },
        },
      },
      {
        touchpointId: "shelf",
        stageId: "buy",
        channel: "store",
        action: {
          event: OC,
          acted: 5,
          onDesignedChannel: 2,
          onOtherChannels: 3,
          byChannel: { web: 3, store: 2 },
        },
      },
      {
        touchpointId: "share-ask",
        stageId: "advocate",
        channel: "social",
        action: {
          event: LIKE,
          acted: 2,
          onDesignedChannel: 1,
          onOtherChannels: 1,
          byChannel: { social: 1, web: 1 },
        },
      },
      { touchpointId: "thank-you", stageId: "advocate", channel: "social", action: null },
    ]);
  });

  it("lists the most common actual paths with their channels and whether they follow the design", async () => {
    const { paths } = await analytics();
    const path = (...steps: [string, Channel][]) => steps.map(([stageId, channel]) => ({ stageId, channel }));
    expect(paths).toEqual({
      top: [
        {
          stages: path(["discover", "web"], ["consider", "email"], ["buy", "web"]),
          members: 2,
          share: 2 / 8,
          followsDesign: true,
        },
        // Ties in the order of their stage numbers and channels.
        {
          stages: path(["discover", "mobile"], ["consider", "email"], ["buy", "store"]),
          members: 1,
          share: 1 / 8,
          followsDesign: true,
        },
        { stages: path(["discover", "web"], ["buy", "web"]), members: 1, share: 1 / 8, followsDesign: false },
        {
          stages: path(["consider", "email"], ["discover", "web"]),
          members: 1,
          share: 1 / 8,
          followsDesign: false,
        },
        {
          stages: path(["buy", "store"], ["discover", "web"], ["consider", "email"]),
          members: 1,
          share: 1 / 8,
          followsDesign: false,
        },
      ],
      distinct: 5,
      noStage: 2, // Fay and Gus
    });
  });

  it("needs a later event when two stages in a row have the same goal: one order is not two", async () => {
    const stages = (first: { event: string; channel?: Channel }) =>
      parseDesign({
        stages: [
          { id: "buy", name: "Buy", goal: first },
          { id: "again", name: "Buy again", goal: { event: OC } },
          { id: "web", name: "Buy on the web", goal: { event: OC, channel: "web" } },
        ],
        flow: { nodes: [{ kind: "entry", id: "entry", position: { x: 0, y: 0 } }], edges: [] },
      });
    // Orders in the window: Ann, Bob, Cat and Joe one each; Dan two (store on the 2nd, web on the 5th).
    const any = await journeyAnalytics(db, {
      workspaceId,
      segmentId,
      design: stages({ event: OC }),
      from,
      to,
    });
    expect(any.stages.map((s) => s.reached)).toEqual([5, 5, 4]);
    expect(any.steps[0]).toMatchObject({ reached: 5, converted: 1, dropOff: 4, medianHours: 72 });
    // Buy again → on the web: the same event can reach both (Ann, Cat, Joe: first order on the web),
    // so they need a later web order; Dan's first order was in store, his web order came later.
    expect(any.steps[1]).toMatchObject({ reached: 5, converted: 1, medianHours: 72 });

    const store = await journeyAnalytics(db, {
      workspaceId,
      segmentId,
      design: stages({ event: OC, channel: "store" }),
      from,
      to,
    });
    // Bob's and Dan's store orders; only Dan ordered again after it.
    expect(store.steps[0]).toMatchObject({ reached: 2, converted: 1, medianHours: 72 });
  });

  it("reports nothing reached when no stage has a goal, and an empty window's zeros", async () => {
    const noGoals = parseDesign({
      stages: [{ id: "only", name: "Only", touchpoints: [tp("t", "email")] }],
      flow: {
        nodes: [
          { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
          { kind: "touchpoint", id: "t-node", touchpointId: "t", position: { x: 0, y: 0 } },
        ],
        edges: [],
      },
    });
    const none = await journeyAnalytics(db, { workspaceId, segmentId, design: noGoals, from, to });
    expect(none.stages).toEqual([{ stageId: "only", reached: null }]);
    expect(none.steps).toEqual([]);
    expect(none.touchpoints).toEqual([
      { touchpointId: "t", stageId: "only", channel: "email", action: null },
    ]);
    expect(none.paths).toEqual({ top: [], distinct: 0, noStage: 8 });

    const later = await journeyAnalytics(db, {
      workspaceId,
      segmentId,
      design,
      from: new Date(Date.UTC(2027, 0, 1)),
      to: new Date(Date.UTC(2027, 1, 1)),
    });
    expect(later.membersWithEvents).toBe(0);
    expect(later.stages.map((s) => s.reached)).toEqual([0, 0, 0, null]);
    expect(later.steps[0]).toMatchObject({ reached: 0, converted: 0, conversion: null, medianHours: null });
    expect(later.paths.noStage).toBe(8);
  });

  it("refuses a segment of another workspace and a window that ends before it starts", async () => {
    const elsewhere = (await makeWorkspace(db, "Elsewhere")).workspace.id;
    await expect(
      journeyAnalytics(db, { workspaceId: elsewhere, segmentId, design, from, to }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      journeyAnalytics(db, { workspaceId, segmentId, design, from: to, to: from }),
    ).rejects.toThrow(InvalidInputError);
  });
});

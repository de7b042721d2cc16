import { drizzle } from "drizzle-orm/node-postgres";
import type { Pool } from "pg";
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
// Advocate (no goal). A stage is reached with its goal event after reaching the
// stage with a goal before it (docs/journeys.md).
//
// member  events in the window (day-of-March hour, channel)          reached in order
// Ann     PV 2 10:00 web, EO 3 10:00 email, OC 5 10:00 web,         D 2 10:00, C 3 10:00, B 5 10:00
//         Email Delivered 5 11:00 + EO 5 12:00 email (the receipt),
//         Post Liked 20 social
// Bob     PV 5 00:00 mobile, EO 5 06:00 email, OC 6 18:00 store      D 5 00:00, C 5 06:00, B 6 18:00
//         (+ PV on Feb 20, web: before the window)
// Cat     PV 10 00:00 web, OC 10 12:00 web                           D only: bought without Consider
// Dan     OC 2 00:00 store, PV 3 00:00 web, EO 4 12:00 email,        D 3, C 4 12:00, B 5 (his order on
//         OC 5 00:00 web, Post Liked 21 web                          the 2nd came before Discover)
// Eve     EO 14 10:00 email, PV 15 10:00 web, EO 16 10:00 mobile     D only: her email open came first
// Fay     Signed Up 8 09:00 web, EO 8 10:00 mobile (not email)       none
// Gus     PV on May 2 (after the window)                             none, no events
// Joe     PV 12 08:00 web, EO 12 08:00 email (same moment),          D, C (same instant counts), B 13
//         OC 13 08:00 web, Email Delivered 13 09:00 email
// Hal     PV, EO, OC, Post Liked in the window, but not a member
// Ivy     OC in the window, member of another segment only
//
// Reached: D 6, C 4, B 4; performed the goal anywhere: D 6, C 5 (+ Eve), B 5 (+ Cat).
// Steps (hours from reaching a stage to reaching the next):
//   Discover → Consider: Ann 24, Bob 6, Dan 36, Joe 0 → 4 of 6, median (6 + 24) / 2 = 15
//   Consider → Buy: Ann 48, Bob 36, Dan 12, Joe 24 → 4 of 4, median 30

const march = (day: number, hour = 0) => new Date(Date.UTC(2026, 2, day, hour));
const from = march(1);
const to = new Date(Date.UTC(2026, 3, 1));

const PV = "Product Viewed";
const EO = "Email Opened";
const OC = "Order Completed";
const LIKE = "Post Liked";
const DELIVERED = "Email Delivered";
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
    {
      id: "buy",
      name: "Buy",
      goal: { event: OC },
      // The receipt asks for no action: it is measured by its deliveries, not by the order's channel.
      touchpoints: [tp("shelf", "store"), tp("receipt", "email")],
    },
    {
      id: "advocate",
      name: "Advocate",
      touchpoints: [tp("share-ask", "social", LIKE), tp("thank-you", "social")],
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
      ...["web-ad", "offer-email", "shelf", "receipt", "share-ask", "thank-you"].map((id) => ({
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
        ev(DELIVERED, march(5, 11), "email"),
        ev(EO, march(5, 12), "email"),
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
      [
        ev(PV, march(12, 8), "web"),
        ev(EO, march(12, 8), "email"),
        ev(OC, march(13, 8), "web"),
        ev(DELIVERED, march(13, 9), "email"),
      ],
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

  it("counts who reached each stage in order, and who did its goal at all; null for the stage without a goal", async () => {
    expect((await analytics()).stages).toEqual([
      // Ann, Bob, Cat, Dan, Eve, Joe
      { stageId: "discover", reached: 6, performedGoal: 6 },
      // Ann, Bob, Dan, Joe; Eve opened the email before Discover, Fay on mobile
      { stageId: "consider", reached: 4, performedGoal: 5 },
      // Ann, Bob, Dan, Joe; Cat bought without Consider
      { stageId: "buy", reached: 4, performedGoal: 5 },
      { stageId: "advocate", reached: null, performedGoal: null },
    ]);
  });

  it("converts stage to stage: the step's converted are the next stage's reached, with the median hours", async () => {
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
        reached: 4,
        converted: 4,
        conversion: 1,
        dropOff: 0,
        medianHours: 30,
      },
      {
        fromStageId: "buy",
        toStageId: "advocate",
        reached: 4,
        converted: null,
        conversion: null,
        dropOff: null,
        medianHours: null,
      },
    ]);
  });

  it("shows on which channel members acted on each touchpoint, or reached its stage when it names no action", async () => {
    expect((await analytics()).touchpoints).toEqual([
      {
        touchpointId: "web-ad",
        stageId: "discover",
        channel: "web",
        // First product view: Bob's in the window was on mobile (his web view in February is outside).
        action: {
          measure: "action",
          event: PV,
          acted: 6,
          onDesignedChannel: 5,
          onOtherChannels: 1,
          byChannel: { web: 5, mobile: 1 },
          reachedStage: null,
          deliveries: [],
        },
      },
      {
        touchpointId: "offer-email",
        stageId: "consider",
        channel: "email",
        // The email's readers bought on the web (Ann, Cat, Joe) and in the store (Bob, Dan), never by email.
        action: {
          measure: "action",
          event: OC,
          acted: 5,
          onDesignedChannel: 0,
          onOtherChannels: 5,
          byChannel: { web: 3, store: 2 },
          reachedStage: null,
          deliveries: [],
        },
      },
      {
        touchpointId: "shelf",
        stageId: "buy",
        channel: "store",
        // No action event: the 4 who reached Buy, by the channel of the order that reached it (Dan's
        // was his web order on the 5th; his store order came before Discover). Cat is not counted.
        action: {
          measure: "action",
          event: OC,
          acted: 4,
          onDesignedChannel: 1,
          onOtherChannels: 3,
          byChannel: { web: 3, store: 1 },
          reachedStage: null,
          deliveries: [],
        },
      },
      {
        touchpointId: "receipt",
        stageId: "buy",
        channel: "email",
        // Of the 4 who reached Buy, Ann and Joe had an email delivered after it; Ann opened one.
        // Bob's email open came before his order, so it is not the receipt's.
        action: {
          measure: "delivery",
          event: "Email Delivered, Email Opened, Email Clicked, Email Link Clicked",
          acted: 2,
          onDesignedChannel: 2,
          onOtherChannels: 0,
          byChannel: { email: 2 },
          reachedStage: 4,
          deliveries: [
            { event: DELIVERED, members: 2 },
            { event: EO, members: 1 },
            { event: "Email Clicked", members: 0 },
            { event: "Email Link Clicked", members: 0 },
          ],
        },
      },
      {
        touchpointId: "share-ask",
        stageId: "advocate",
        channel: "social",
        action: {
          measure: "action",
          event: LIKE,
          acted: 2,
          onDesignedChannel: 1,
          onOtherChannels: 1,
          byChannel: { social: 1, web: 1 },
          reachedStage: null,
          deliveries: [],
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

  const designOf = (...goals: { event: string; channel?: Channel }[]) =>
    parseDesign({
      stages: goals.map((goal, i) => ({ id: `s${i}`, name: `Stage ${i + 1}`, goal })),
      flow: { nodes: [{ kind: "entry", id: "entry", position: { x: 0, y: 0 } }], edges: [] },
    });
  const run = (...goals: { event: string; channel?: Channel }[]) =>
    journeyAnalytics(db, { workspaceId, segmentId, design: designOf(...goals), from, to });

  it("needs a later event when two stages in a row have the same goal: one order is not two", async () => {
    // Orders in the window: Ann, Bob, Cat and Joe one each; Dan two (store on the 2nd, web on the 5th).
    const any = await run({ event: OC }, { event: OC }, { event: OC, channel: "web" });
    expect(any.stages.map((s) => s.reached)).toEqual([5, 1, 0]);
    expect(any.stages.map((s) => s.performedGoal)).toEqual([5, 5, 4]);
    expect(any.steps[0]).toMatchObject({ reached: 5, converted: 1, dropOff: 4, medianHours: 72 });
    // Dan's second order, which made him "Buy again", was on the web: the same event cannot also be
    // his web order after it, and he made no later one.
    expect(any.steps[1]).toMatchObject({ reached: 1, converted: 0, conversion: 0, medianHours: null });

    // Bob's and Dan's store orders; only Dan ordered again after it.
    const store = await run({ event: OC, channel: "store" }, { event: OC });
    expect(store.stages.map((s) => s.reached)).toEqual([2, 1]);
    expect(store.steps[0]).toMatchObject({ reached: 2, converted: 1, medianHours: 72 });
  });

  it("never counts more at a stage than at the one before: the demo's Order Again", async () => {
    // The demo's "Order Completed (web)" then "Order Again" (any channel): counted apart, 4 ordered on
    // the web and 5 ordered at all, so Order Again showed more than the stage before it. In order,
    // nobody ordered again after a web order; Dan's store order came before his web one.
    const result = await run({ event: OC, channel: "web" }, { event: OC });
    expect(result.stages).toEqual([
      { stageId: "s0", reached: 4, performedGoal: 4 },
      { stageId: "s1", reached: 0, performedGoal: 5 },
    ]);
    expect(result.steps[0]).toMatchObject({ reached: 4, converted: 0, conversion: 0, dropOff: 4 });
  });

  it("counts a stage only after the one before: the demo's Compare (few openers, many buyers)", async () => {
    // Like the demo's holiday journey: few opened the email on email (Ann, Bob, Dan, Eve, Joe: 5) and
    // more bought; Cat bought without opening, Eve opened but did not buy after it. Counted apart,
    // both stages showed 5 and "80 % from the stage before"; in order the second has 4, 4 / 5.
    const result = await run({ event: EO, channel: "email" }, { event: OC });
    expect(result.stages.map((s) => [s.reached, s.performedGoal])).toEqual([
      [5, 5],
      [4, 5],
    ]);
    expect(result.steps[0]).toMatchObject({ reached: 5, converted: 4, conversion: 4 / 5, dropOff: 1 });
    // A stage that only one member reached (Fay, on mobile) leaves nothing for the next.
    const mobile = await run({ event: EO, channel: "mobile" }, { event: OC });
    expect(mobile.stages.map((s) => [s.reached, s.performedGoal])).toEqual([
      [2, 2], // Eve on the 16th, Fay on the 8th
      [0, 5],
    ]);
  });

  it("skips a stage without a goal: the next is reached after the last stage with one", async () => {
    const design = parseDesign({
      stages: [
        { id: "view", name: "View", goal: { event: PV } },
        { id: "think", name: "Think" },
        { id: "buy", name: "Buy", goal: { event: OC } },
      ],
      flow: { nodes: [{ kind: "entry", id: "entry", position: { x: 0, y: 0 } }], edges: [] },
    });
    const result = await journeyAnalytics(db, { workspaceId, segmentId, design, from, to });
    // Product views: Ann, Bob, Cat, Dan, Eve, Joe; an order after it: Ann, Bob, Cat, Dan (the 5th), Joe.
    expect(result.stages.map((s) => s.reached)).toEqual([6, null, 5]);
    expect(result.steps.map((s) => s.converted)).toEqual([null, null]);
  });

  it("holds for any order of the stages: no stage above the one before, conversion at most 100 %", async () => {
    const goals = [
      { event: PV },
      { event: EO, channel: "email" as const },
      { event: OC },
      { event: OC, channel: "web" as const },
      { event: LIKE },
    ];
    for (const order of [
      [0, 1, 2, 3, 4],
      [2, 0, 1, 3],
      [4, 2, 1, 0],
      [3, 2, 2, 0, 1],
      [1, 4, 3, 2],
    ]) {
      const result = await run(...order.map((i) => goals[i]!));
      const reached = result.stages.map((s) => s.reached!);
      reached.forEach((n, k) => {
        if (k > 0) expect(n).toBeLessThanOrEqual(reached[k - 1]!);
        expect(n).toBeLessThanOrEqual(result.stages[k]!.performedGoal!);
      });
      result.steps.forEach((step, k) => {
        expect(step.converted).toBe(reached[k + 1]);
        expect(step.conversion ?? 0).toBeLessThanOrEqual(1);
      });
    }
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
    expect(none.stages).toEqual([{ stageId: "only", reached: null, performedGoal: null }]);
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

  it("never reads a CTE once per row of another: its plan holds at 100,000 members", async () => {
    // PostgreSQL guesses a handful of rows for every CTE, whatever it holds. A nested loop that
    // rescans a CTE on its inner side is then quadratic in the members (docs/benchmarks.md#journeys).
    const pool = (db as unknown as { $client: Pool }).$client;
    const sent: { sql: string; params: unknown[] }[] = [];
    const capturing = drizzle(pool, { logger: { logQuery: (sql, params) => sent.push({ sql, params }) } });
    await journeyAnalytics(capturing as unknown as Database, { workspaceId, segmentId, design, from, to });
    const settings = sent.find((q) => q.sql.includes("set_config"))!;
    const statement = sent.find((q) => q.sql.includes("with goals"))!;
    const client = await pool.connect();
    let plan: PlanNode;
    try {
      await client.query("begin");
      await client.query(settings.sql, settings.params);
      const explained = await client.query(`explain (format json) ${statement.sql}`, statement.params);
      plan = explained.rows[0]["QUERY PLAN"][0].Plan;
    } finally {
      await client.query("rollback");
      client.release();
    }
    const rescans: string[] = [];
    const walk = (node: PlanNode) => {
      if (node["Node Type"] === "Nested Loop" && node.Plans?.[1] && holdsCteScan(node.Plans[1])) {
        rescans.push(`${node["Join Type"]} join rescanning ${cteScans(node.Plans[1]).join(", ")}`);
      }
      node.Plans?.forEach(walk);
    };
    walk(plan);
    expect(rescans).toEqual([]);
  });
});

interface PlanNode {
  "Node Type": string;
  "Join Type"?: string;
  "CTE Name"?: string;
  Plans?: PlanNode[];
}

function cteScans(node: PlanNode): string[] {
  return [
    ...(node["Node Type"] === "CTE Scan" ? [node["CTE Name"]!] : []),
    ...(node.Plans ?? []).flatMap(cteScans),
  ];
}

const holdsCteScan = (node: PlanNode) => cteScans(node).length > 0;

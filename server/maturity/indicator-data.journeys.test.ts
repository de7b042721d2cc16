import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import type { Channel } from "~/db/enums";
import { journeys, journeyVersions, segmentMembers, segments } from "~/db/schema";
import { insertCustomer, insertEvents } from "~/server/customers/test-fixtures";
import { emptyDesign, parseDesign, type JourneyDesign } from "~/server/journeys/design";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { computeIndicators, GOAL_JOURNEYS } from "./indicator-data";

// Journey goal conversion, counted by hand. Now is 30 June 2026 noon, so the
// window is the 90 days from 1 April noon.
//
// Buyers (a1-a5), journey Welcome: version 1's last goal is Product Viewed,
// version 2 (the latest, published 30 days ago) has Discover (Product Viewed)
// and Buy (Order Completed on store), then Advocate without a goal. Its draft
// ends in Product Viewed: neither version 1 nor the draft counts.
//   a1 OC store 10 days ago               reached
//   a2 OC web 5 days ago                  not: the goal is on store
//   a3 OC store 100 days ago              not: before the window
//   a4 PV 3 days ago                      not: Discover is not the last goal stage
//   a5 OC store 2 days ago                reached
//   a non-member's OC store yesterday     not a member
// Lapsed (b1, b2, b3 and a1), journey Win back, published 20 days ago: Return
// (Email Clicked), Buy (Order Completed, any channel), Thanks (no goal).
//   b1 OC web 20 days ago                 reached
//   b2 Email Clicked only                 not
//   b3 no events                          not
//   a1 (above)                            reached: counted in each journey
// Not counted: a published journey without goals on Buyers, a draft-only one on Lapsed.
// (2 + 2) of (5 + 4) = 44.4%.

const now = new Date("2026-06-30T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600 * 1000);
const PV = "Product Viewed";
const OC = "Order Completed";
const EC = "Email Clicked";
const ev = (event: string, timestamp: Date, channel: Channel) => ({ event, timestamp, channel });

function design(stages: { name: string; goal?: { event: string; channel?: Channel } }[]): JourneyDesign {
  return parseDesign({
    quietHours: null,
    stages: stages.map((stage, i) => ({ id: `stage-${i}`, ...stage })),
    flow: { nodes: [{ kind: "entry", id: "entry", position: { x: 0, y: 0 } }], edges: [] },
  });
}

const welcomeV1 = design([{ name: "Discover", goal: { event: PV } }, { name: "Buy" }]);
const welcomeV2 = design([
  { name: "Discover", goal: { event: PV } },
  { name: "Buy", goal: { event: OC, channel: "store" } },
  { name: "Advocate" },
]);
const winBack = design([
  { name: "Return", goal: { event: EC } },
  { name: "Buy", goal: { event: OC } },
  { name: "Thanks" },
]);

describeEachDatabase("maturity indicator: journey goal conversion", (getDb) => {
  let db: Database;
  let workspaceId: string;

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    workspaceId = (await makeWorkspace(db)).workspace.id;
  });

  async function segment(name: string, members: string[]) {
    const [row] = await db
      .insert(segments)
      .values({ workspaceId, name, rule: { type: "eventCount", op: "gte", value: 1 } })
      .returning({ id: segments.id });
    if (members.length > 0)
      await db
        .insert(segmentMembers)
        .values(members.map((customerId) => ({ workspaceId, segmentId: row!.id, customerId })));
    return row!.id;
  }

  async function customer(events: ReturnType<typeof ev>[]) {
    const id = await insertCustomer(db, workspaceId, { lastSeenAt: daysAgo(1) });
    await insertEvents(db, workspaceId, id, events);
    return id;
  }

  /** A journey with these versions (design, published days ago), oldest first; none: a draft only. */
  async function journey(
    segmentId: string,
    name: string,
    draft: JourneyDesign,
    versions: [JourneyDesign, number][],
  ) {
    const [row] = await db
      .insert(journeys)
      .values({ workspaceId, segmentId, name, draft, publishedVersion: versions.length || null })
      .returning({ id: journeys.id });
    if (versions.length > 0)
      await db.insert(journeyVersions).values(
        versions.map(([design, days], i) => ({
          workspaceId,
          journeyId: row!.id,
          version: i + 1,
          design,
          publishedAt: daysAgo(days),
        })),
      );
  }

  async function fixture() {
    const a1 = await customer([ev(OC, daysAgo(10), "store")]);
    const a2 = await customer([ev(OC, daysAgo(5), "web")]);
    const a3 = await customer([ev(OC, daysAgo(100), "store")]);
    const a4 = await customer([ev(PV, daysAgo(3), "web")]);
    const a5 = await customer([ev(OC, daysAgo(2), "store")]);
    await customer([ev(OC, daysAgo(1), "store")]);
    const b1 = await customer([ev(OC, daysAgo(20), "web")]);
    const b2 = await customer([ev(EC, daysAgo(4), "email")]);
    const b3 = await customer([]);
    const buyers = await segment("Buyers", [a1, a2, a3, a4, a5]);
    const lapsed = await segment("Lapsed", [b1, b2, b3, a1]);
    await journey(buyers, "Welcome", welcomeV1, [
      [welcomeV1, 60],
      [welcomeV2, 30],
    ]);
    await journey(lapsed, "Win back", winBack, [[winBack, 20]]);
    await journey(buyers, "No goals", emptyDesign(), [[emptyDesign(), 1]]);
    await journey(lapsed, "Draft only", winBack, []);
  }

  const conversion = async () =>
    (await computeIndicators(db, { workspaceId, now })).values.find(
      (v) => v.key === "journey-goal-conversion",
    );

  it("adds up the members who reached each published journey's last goal, with its latest version", async () => {
    await fixture();
    expect(await conversion()).toEqual({
      key: "journey-goal-conversion",
      value: 44.4,
      note: "4 of 9 segment members reached the goal, over 2 published journeys with a goal",
    });
  });

  it(`counts only the ${GOAL_JOURNEYS} most recently published journeys with a goal`, async () => {
    await fixture();
    // Nine journeys published after Win back, each on a segment of one member who did nothing:
    // they and Win back are counted, Welcome (published before all of them) is not. 2 of (9 + 4).
    for (let i = 0; i < GOAL_JOURNEYS - 1; i++) {
      const quiet = await segment(`Quiet ${i}`, [await customer([])]);
      await journey(quiet, `Quiet ${i}`, winBack, [[winBack, 10 - i]]);
    }
    expect(await conversion()).toEqual({
      key: "journey-goal-conversion",
      value: 15.4,
      note: `2 of 13 segment members reached the goal, over the ${GOAL_JOURNEYS} most recently published of 11 journeys with a goal`,
    });
  });

  it("is not available without a published journey, or when none has a goal", async () => {
    const buyers = await segment("Buyers", [await customer([ev(OC, daysAgo(1), "store")])]);
    await journey(buyers, "Draft only", welcomeV2, []);
    expect(await conversion()).toMatchObject({ value: null, note: "no journey is published yet" });
    await journey(buyers, "No goals", emptyDesign(), [[emptyDesign(), 1]]);
    expect(await conversion()).toMatchObject({
      value: null,
      note: "no published journey has a stage with a goal",
    });
  });

  it("is not available when the segments of the journeys have no members", async () => {
    await journey(await segment("Nobody", []), "Welcome", welcomeV2, [[welcomeV2, 1]]);
    expect(await conversion()).toMatchObject({
      value: null,
      note: "the segments of 1 published journey with a goal have no members",
    });
  });
});

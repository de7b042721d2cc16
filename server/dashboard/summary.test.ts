import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { segmentMembers, segments, segmentSizes } from "~/db/schema";
import { emptyDesign } from "~/server/journeys/design";
import { createJourney } from "~/server/journeys/store";
import { publishJourney } from "~/server/journeys/versions";
import type { Rule } from "~/server/segments/rules";
import { insertCustomer, insertEvents, insertIdentity } from "~/server/customers/test-fixtures";
import { describeEachDatabase, transactionPerTest } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { ACTIVITY_DAYS, customerFigures, eventActivity } from "./activity";
import { endToEndConversion, journeyFigures, MAX_DASHBOARD_MEMBERS } from "./journeys";
import { segmentFigures } from "./segments";
import { dashboardSummary } from "./summary";

const DAY = 24 * 3600 * 1000;
const now = new Date("2026-06-15T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

describeEachDatabase("dashboard summary", (getFileDb) => {
  let workspaceId: string;
  let otherWorkspaceId: string;
  let admin: Awaited<ReturnType<typeof makeWorkspace>>["admin"];

  beforeAll(async () => {
    const db = getFileDb();
    const a = await makeWorkspace(db, "Northwind");
    workspaceId = a.workspace.id;
    admin = a.admin;
    otherWorkspaceId = (await makeWorkspace(db, "Elsewhere")).workspace.id;
  });

  const getDb = transactionPerTest(getFileDb);

  it("counts standing, active, merged and identified profiles of the workspace only", async () => {
    const db = getDb();
    const ada = await insertCustomer(db, workspaceId, { name: "Ada", lastSeenAt: daysAgo(3) });
    const bob = await insertCustomer(db, workspaceId, { name: "Bob", lastSeenAt: daysAgo(45) });
    await insertCustomer(db, workspaceId, {
      name: "Ada's old profile",
      mergedInto: ada,
      lastSeenAt: daysAgo(1),
    });
    await insertIdentity(db, workspaceId, ada, "email", "ada@example.com");
    await insertIdentity(db, workspaceId, ada, "user_id", "u-ada");
    await insertIdentity(db, workspaceId, bob, "anonymous_id", "anon-bob");
    const elsewhere = await insertCustomer(db, otherWorkspaceId, { lastSeenAt: daysAgo(1) });
    await insertIdentity(db, otherWorkspaceId, elsewhere, "email", "x@example.com");

    expect(await customerFigures(db, workspaceId, now)).toEqual({
      customers: 2,
      activeCustomers: 1,
      profiles: 3,
      mergedProfiles: 1,
      identifiedCustomers: 1,
    });
  });

  it("gives every day of the window with its events, and the channel mix of the window", async () => {
    const db = getDb();
    const ada = await insertCustomer(db, workspaceId, { lastSeenAt: now });
    await insertEvents(db, workspaceId, ada, [
      { timestamp: "2026-06-15T00:00:00Z", channel: "web" },
      { timestamp: "2026-06-15T11:59:00Z", channel: "email" },
      { timestamp: "2026-06-14T23:59:59Z", channel: "web" },
      { timestamp: daysAgo(ACTIVITY_DAYS - 1), channel: "store" },
      // Before the window: not counted.
      { timestamp: daysAgo(ACTIVITY_DAYS + 1), channel: "store" },
    ]);
    const elsewhere = await insertCustomer(db, otherWorkspaceId);
    await insertEvents(db, otherWorkspaceId, elsewhere, [{ timestamp: now, channel: "social" }]);

    const activity = await eventActivity(db, workspaceId, now);
    expect(activity.days).toHaveLength(ACTIVITY_DAYS);
    expect(activity.days[0]).toEqual({ day: "2026-05-17", events: 1 });
    expect(activity.days.at(-1)).toEqual({ day: "2026-06-15", events: 2 });
    expect(activity.days.at(-2)).toEqual({ day: "2026-06-14", events: 1 });
    expect(activity.total).toBe(4);
    expect(activity.channels).toEqual([
      { channel: "web", count: 2, share: 0.5 },
      { channel: "email", count: 1, share: 0.25 },
      { channel: "store", count: 1, share: 0.25 },
    ]);
  });

  it("compares each segment's size with its size 30 days before, or with its first size since", async () => {
    const db = getDb();
    const rule: Rule = { type: "and", rules: [] };
    const [grown, fresh] = await db
      .insert(segments)
      .values([
        { workspaceId, name: "Grown", rule, memberCount: 120 },
        { workspaceId, name: "Fresh", rule, memberCount: 7 },
        { workspaceId, name: "Never refreshed", rule },
      ])
      .returning({ id: segments.id });
    await db.insert(segmentSizes).values([
      { workspaceId, segmentId: grown!.id, day: "2026-05-01", size: 80 },
      { workspaceId, segmentId: grown!.id, day: "2026-05-10", size: 100 },
      { workspaceId, segmentId: grown!.id, day: "2026-06-01", size: 115 },
      { workspaceId, segmentId: fresh!.id, day: "2026-06-10", size: 5 },
      { workspaceId, segmentId: fresh!.id, day: "2026-06-12", size: 7 },
    ]);
    const figures = await segmentFigures(db, workspaceId, now);
    expect(
      figures.map(({ name, members, membersBefore, since, change }) => ({
        name,
        members,
        membersBefore,
        since,
        change,
      })),
    ).toEqual([
      { name: "Grown", members: 120, membersBefore: 100, since: null, change: 20 },
      { name: "Fresh", members: 7, membersBefore: 5, since: "2026-06-10", change: 2 },
      { name: "Never refreshed", members: 0, membersBefore: null, since: null, change: null },
    ]);
  });

  it("gives a published journey's conversion from the journey analytics, and skips large segments", async () => {
    const db = getDb();
    const rule: Rule = { type: "and", rules: [] };
    const [segment] = await db
      .insert(segments)
      .values({ workspaceId, name: "Shoppers", rule, memberCount: 3 })
      .returning({ id: segments.id });
    const [ada, bob, cy] = [
      await insertCustomer(db, workspaceId),
      await insertCustomer(db, workspaceId),
      await insertCustomer(db, workspaceId),
    ];
    await db
      .insert(segmentMembers)
      .values([ada!, bob!, cy!].map((customerId) => ({ workspaceId, segmentId: segment!.id, customerId })));
    await insertEvents(db, workspaceId, ada!, [
      { event: "Product Viewed", timestamp: daysAgo(10) },
      { event: "Order Completed", timestamp: daysAgo(9) },
    ]);
    await insertEvents(db, workspaceId, bob!, [{ event: "Product Viewed", timestamp: daysAgo(5) }]);

    const design = emptyDesign(["Discover", "Consider", "Buy"]);
    design.stages[0]!.goal = { event: "Product Viewed" };
    design.stages[2]!.goal = { event: "Order Completed" };
    const journey = await createJourney(db, {
      workspaceId,
      userId: admin.id,
      segmentId: segment!.id,
      name: "First order",
      description: "",
      design,
    });
    // A draft is not on the dashboard until it is published.
    expect((await journeyFigures(db, workspaceId, now)).published).toBe(0);
    await publishJourney(db, { workspaceId, userId: admin.id, id: journey.id });

    const figures = await journeyFigures(db, workspaceId, now);
    expect(figures.published).toBe(1);
    expect(figures.journeys).toEqual([
      expect.objectContaining({
        name: "First order",
        version: 1,
        members: 3,
        computed: true,
        conversion: {
          firstStage: { name: "Discover", reached: 2 },
          lastStage: { name: "Buy", reached: 1 },
          rate: 0.5,
        },
      }),
    ]);

    await db
      .update(segments)
      .set({ memberCount: MAX_DASHBOARD_MEMBERS + 1 })
      .where(eq(segments.id, segment!.id));
    const large = await journeyFigures(db, workspaceId, now);
    expect(large.journeys[0]).toMatchObject({ computed: false, conversion: null });
  });

  it("answers an empty workspace with zeros and says it is empty", async () => {
    const summary = await dashboardSummary(getDb(), { workspaceId, userId: admin.id, now });
    expect(summary.empty).toBe(true);
    expect(summary.customers.customers).toBe(0);
    expect(summary.activity.total).toBe(0);
    expect(summary.value).toBeNull();
    expect(summary.maturity).toMatchObject({ assessment: null, index: null, targetIndex: null });
  });

  it("is served by dashboard.summary to a member, and no figure of another workspace reaches it", async () => {
    const db = getDb();
    // The procedure reads the clock.
    const yesterday = new Date(Date.now() - DAY);
    await insertCustomer(db, otherWorkspaceId, { lastSeenAt: yesterday });
    await insertCustomer(db, workspaceId, { lastSeenAt: yesterday });
    const summary = await callerAs(db, admin).dashboard.summary({ workspaceId });
    expect(summary.customers).toMatchObject({ customers: 1, activeCustomers: 1 });
    expect(summary.empty).toBe(false);
  });
});

it("measures a journey's conversion from its first stage with a goal to its last", () => {
  const stage = (id: string, goal: boolean) => ({
    id,
    name: id,
    goal: goal ? { event: `${id} done`, channel: null } : null,
    touchpoints: [],
  });
  const design = {
    stages: [stage("Discover", false), stage("Buy", true), stage("Use", false), stage("Stay", true)],
  };
  const analytics = {
    stages: [
      { stageId: "Discover", reached: null },
      { stageId: "Buy", reached: 40 },
      { stageId: "Use", reached: null },
      { stageId: "Stay", reached: 10 },
    ],
  };
  type Args = Parameters<typeof endToEndConversion>;
  expect(endToEndConversion(design as unknown as Args[0], analytics as unknown as Args[1])).toEqual({
    firstStage: { name: "Buy", reached: 40 },
    lastStage: { name: "Stay", reached: 10 },
    rate: 0.25,
  });
  const oneGoal = { stages: design.stages.slice(0, 2) };
  expect(endToEndConversion(oneGoal as unknown as Args[0], analytics as unknown as Args[1])).toBeNull();
});

import { beforeAll, expect, it } from "vitest";
import type { Database } from "~/db";
import { journeys, journeyVersions, segmentMembers, segmentMembershipChanges, segments } from "~/db/schema";
import { NotFoundError } from "~/server/errors";
import { parseDesign } from "~/server/journeys/design";
import type { Rule } from "~/server/segments/rules";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { bucketIndex } from "./lane-buckets";
import { customerLanes, LANE_EVENT_LIMIT, type LaneBucket } from "./lanes";
import { customerMemberships } from "./memberships";
import { insertCustomer, insertEvents } from "./test-fixtures";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date("2026-06-15T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
const rule: Rule = { type: "behaviour", performed: true, event: "Order Completed" };

describeEachDatabase("customer lanes and memberships", (getDb) => {
  let db: Database;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let sparseId: string;
  let denseId: string;
  let segmentId: string;

  beforeAll(async () => {
    db = getDb();
    await truncateAllTables(db);
    workspaceId = (await makeWorkspace(db, "Northwind")).workspace.id;
    otherWorkspaceId = (await makeWorkspace(db, "Elsewhere")).workspace.id;

    sparseId = await insertCustomer(db, workspaceId, { name: "Sparse" });
    await insertEvents(db, workspaceId, sparseId, [
      { event: "Product Viewed", channel: "web", timestamp: daysAgo(20) },
      { event: "Email Opened", channel: "email", timestamp: daysAgo(10) },
      { event: "Order Completed", channel: "store", timestamp: daysAgo(5), amount: 42.5 },
      { type: "identify", event: null, channel: "web", timestamp: daysAgo(4) },
    ]);

    // More events than come back one by one: three a day on the web for a year, and a weekly store purchase.
    denseId = await insertCustomer(db, workspaceId, { name: "Dense" });
    const dense = [];
    for (let day = 1; day <= 365; day++) {
      for (const hour of [9, 13, 20]) {
        dense.push({
          event: "Page Viewed",
          channel: "web" as const,
          timestamp: new Date(daysAgo(day).getTime() + hour * HOUR),
        });
      }
      if (day % 7 === 0)
        dense.push({
          event: "Order Completed",
          channel: "store" as const,
          timestamp: daysAgo(day),
          amount: 10,
        });
    }
    await insertEvents(db, workspaceId, denseId, dense);

    const [segment] = await db
      .insert(segments)
      .values({ workspaceId, name: "Buyers", rule })
      .returning({ id: segments.id });
    segmentId = segment!.id;
  });

  it("returns a sparse stretch event by event, oldest outside the stretch left out", async () => {
    const lanes = await customerLanes({
      db,
      workspaceId,
      customerId: sparseId,
      from: daysAgo(15),
      to: now,
      maxBuckets: 100,
    });
    expect(lanes.kind).toBe("events");
    if (lanes.kind !== "events") return;
    expect(lanes.events.map((e) => [e.channel, e.amount])).toEqual([
      ["web", null],
      ["store", 42.5],
      ["email", null],
    ]);
    expect(lanes.events[0]!.type).toBe("identify");
  });

  it("groups a dense stretch into epoch-aligned buckets per channel that add up to the events", async () => {
    const lanes = await customerLanes({
      db,
      workspaceId,
      customerId: denseId,
      from: daysAgo(400),
      to: now,
      maxBuckets: 100,
    });
    expect(lanes.kind).toBe("buckets");
    if (lanes.kind !== "buckets") return;
    expect(lanes.widthMs).toBe(7 * DAY);
    expect(lanes.buckets.length).toBeLessThanOrEqual(2 * 100);
    const total = (channel: string, pick: (b: LaneBucket) => number) =>
      lanes.buckets.filter((b) => b.channel === channel).reduce((sum, b) => sum + pick(b), 0);
    expect(total("web", (b) => b.events)).toBe(365 * 3);
    expect(total("store", (b) => b.purchases)).toBe(52);
    expect(total("store", (b) => b.amount)).toBe(520);
    for (const bucket of lanes.buckets) {
      expect(bucket.end.getTime() - bucket.start.getTime()).toBe(lanes.widthMs);
      expect(bucket.start.getTime()).toBe(bucketIndex(bucket.start, lanes.widthMs) * lanes.widthMs);
    }
    expect(LANE_EVENT_LIMIT).toBeLessThan(365 * 3);
  });

  it("finds no customer of another workspace", async () => {
    await expect(
      customerLanes({
        db,
        workspaceId: otherWorkspaceId,
        customerId: sparseId,
        from: daysAgo(30),
        to: now,
        maxBuckets: 100,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("gives the segments with their latest entry and the furthest stage of their published journeys", async () => {
    await db
      .insert(segmentMembers)
      .values({ workspaceId, segmentId, customerId: sparseId, enteredAt: daysAgo(3) });
    await db.insert(segmentMembershipChanges).values([
      { workspaceId, segmentId, customerId: sparseId, change: "entered", at: daysAgo(30), cause: "created" },
      { workspaceId, segmentId, customerId: sparseId, change: "left", at: daysAgo(25), cause: "refresh" },
      { workspaceId, segmentId, customerId: sparseId, change: "entered", at: daysAgo(6), cause: "refresh" },
    ]);
    const stage = (id: string, name: string, event: string | null) => ({
      id,
      name,
      goal: event ? { event } : null,
      touchpoints: [],
    });
    const design = parseDesign({
      quietHours: null,
      stages: [
        stage("view", "Browse", "Product Viewed"),
        stage("read", "Read", "Email Opened"),
        stage("buy", "Buy", "Order Completed"),
        stage("review", "Review", "Review Written"),
        stage("love", "Advocate", null),
      ],
      flow: { nodes: [{ kind: "entry", id: "entry", position: { x: 0, y: 0 } }], edges: [] },
    });
    const [published, draft] = await db
      .insert(journeys)
      .values([
        { workspaceId, segmentId, name: "Buyer journey", draft: design, publishedVersion: 1 },
        { workspaceId, segmentId, name: "Draft journey", draft: design },
      ])
      .returning({ id: journeys.id });
    await db.insert(journeyVersions).values({ workspaceId, journeyId: published!.id, version: 1, design });

    const result = await customerMemberships(db, { workspaceId, customerId: sparseId, now });
    expect(result.segments).toEqual([{ id: segmentId, name: "Buyers", memberCount: 0, since: daysAgo(6) }]);
    expect(result.journeys.map((j) => j.name)).toEqual(["Buyer journey", "Draft journey"]);
    // Browse, Read and Buy reached (the order in the store); no review written yet.
    expect(result.journeys[0]).toMatchObject({
      id: published!.id,
      version: 1,
      stageCount: 5,
      measuredStages: 4,
      current: { stageId: "buy", name: "Buy", position: 3, channel: "store", reachedStages: 3 },
    });
    expect(result.journeys[1]).toMatchObject({ id: draft!.id, version: null, current: null });

    // Someone else's view: nothing of this workspace.
    const elsewhere = await customerMemberships(db, {
      workspaceId: otherWorkspaceId,
      customerId: sparseId,
      now,
    });
    expect(elsewhere).toMatchObject({ segments: [], journeys: [] });
  });
});

import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "~/db";
import {
  customers,
  valueFits,
  jobs,
  segmentMembers,
  segmentMembershipChanges,
  segments,
  segmentSizes,
  workspaces,
} from "~/db/schema";
import { listCustomers } from "~/server/customers/list";
import { insertCustomer, insertCustomerValue, insertEvents } from "~/server/customers/test-fixtures";
import { ConflictError, InvalidInputError, RuleError } from "~/server/errors";
import { JobRunner } from "~/server/jobs/runner";
import { mergeProfiles } from "~/server/identity/merge";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { getPortfolio } from "~/server/valuation/fits";
import { exportColumns, exportFileName, segmentMembersCsv, spreadsheetField } from "./export";
import { runSegmentRefresh } from "./job";
import { applyNewEvents, queueDueRefreshes, segmentLoopTurn } from "./live";
import { refreshSegment } from "./membership";
import { previewRule } from "./preview";
import { buildStreams } from "./streams";
import { dependencyOrder } from "./references";
import type { Rule } from "./rules";
import {
  createSegment,
  getSegment,
  listChanges,
  listSegments,
  queueRefresh,
  queueValueDependentRefreshes,
  removeSegment,
  SEGMENT_REFRESH_JOB_KIND,
  sizeHistory,
  updateSegment,
} from "./store";

const day1 = new Date("2026-03-01T09:00:00Z");
const day2 = new Date("2026-03-02T09:00:00Z");

const buyers = (times: number): Rule => ({
  type: "behaviour",
  performed: true,
  event: "Order Completed",
  times: { atLeast: times },
});
const order = (at: Date, channel: "web" | "store" = "web") => ({
  event: "Order Completed",
  channel,
  timestamp: at,
  amount: 20,
});

describe("spreadsheetField", () => {
  it("quotes delimiters and quotes, and defuses formulas", () => {
    expect(spreadsheetField('Ann "A", Jr.')).toBe('"Ann ""A"", Jr."');
    expect(spreadsheetField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(spreadsheetField(-3)).toBe("-3");
    expect(spreadsheetField(null)).toBe("");
    expect(exportFileName("Loyal weekly customers!")).toBe("loyal-weekly-customers-members.csv");
  });
});

describe("dependencyOrder", () => {
  it("puts referenced segments first and ignores ids outside the list", () => {
    const a = "00000000-0000-4000-8000-00000000000a";
    const b = "00000000-0000-4000-8000-00000000000b";
    const c = "00000000-0000-4000-8000-00000000000c";
    const list = [
      { id: c, rule: { type: "segment", segmentId: b, member: true } as Rule },
      { id: b, rule: { type: "segment", segmentId: a, member: false } as Rule },
      { id: a, rule: buyers(1) },
    ];
    expect(dependencyOrder(list)).toEqual([a, b, c]);
    expect(dependencyOrder([list[0]!])).toEqual([c]);
  });
});

describeEachDatabase("segment membership", (getDb) => {
  let db: Database;
  let workspaceId: string;
  let userId: string;
  let ann: string; // 3 orders on the web
  let bob: string; // 1 order in the store
  let cat: string; // no orders

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    const made = await makeWorkspace(db);
    workspaceId = made.workspace.id;
    userId = made.admin.id;
    ann = await insertCustomer(db, workspaceId, {
      name: "Ann",
      eventCount: 3,
      purchaseCount: 3,
      totalSpend: 60,
      channelCounts: { web: 3 },
    });
    bob = await insertCustomer(db, workspaceId, {
      name: "Bob",
      eventCount: 1,
      purchaseCount: 1,
      totalSpend: 20,
      channelCounts: { store: 1 },
    });
    cat = await insertCustomer(db, workspaceId, { name: "Cat" });
    await insertEvents(db, workspaceId, ann, [order(day1), order(day1), order(day1)]);
    await insertEvents(db, workspaceId, bob, [order(day1, "store")]);
  });

  const create = (name: string, rule: unknown, schedule: "off" | "hourly" | "daily" = "daily") =>
    createSegment(db, { workspaceId, userId, name, description: "", rule, schedule });

  const members = async (segmentId: string) =>
    (
      await db
        .select({ id: segmentMembers.customerId })
        .from(segmentMembers)
        .where(and(eq(segmentMembers.workspaceId, workspaceId), eq(segmentMembers.segmentId, segmentId)))
    )
      .map((row) => row.id)
      .sort();

  it("a full refresh stores the members, their history, the day's size and the stats", async () => {
    const { id } = await create("Buyers", buyers(1));
    const result = await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    expect(result).toMatchObject({ size: 2, entered: 2, left: 0 });
    expect(await members(id)).toEqual([ann, bob].sort());

    const segment = await getSegment(db, { workspaceId, id });
    expect(segment.memberCount).toBe(2);
    expect(segment.refreshedAt).toEqual(day1);
    expect(segment.stats).toEqual({
      channelMix: [
        { channel: "web", events: 3, share: 0.75 },
        { channel: "store", events: 1, share: 0.25 },
      ],
      value: null, // no value fit yet
      purchases: 4,
      spend: 80,
    });
    expect(await sizeHistory(db, { workspaceId, id, now: day1 })).toEqual([
      { day: "2026-03-01", size: 2, entered: 2, left: 0, reconstructed: false },
    ]);
    const changes = await listChanges(db, { workspaceId, id });
    expect(changes.items.map((c) => [c.name, c.change, c.cause])).toEqual(
      expect.arrayContaining([
        ["Ann", "entered", "refresh"],
        ["Bob", "entered", "refresh"],
      ]),
    );
  });

  it("a second refresh logs who entered and who left, and adds to the day's counts", async () => {
    const { id } = await create("Repeat buyers", buyers(2));
    await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    expect(await members(id)).toEqual([ann]);

    // Bob buys again (enters); Ann is merged into Cat (leaves; Cat now holds her events and enters).
    await insertEvents(db, workspaceId, bob, [order(day2)]);
    await db.update(customers).set({ mergedInto: cat }).where(eq(customers.id, ann));
    await db.execute(sql`update events set customer_id = ${cat}::uuid where customer_id = ${ann}::uuid`);
    const again = await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    expect(again).toMatchObject({ size: 2, entered: 2, left: 1 });
    expect(await members(id)).toEqual([bob, cat].sort());
    expect(await sizeHistory(db, { workspaceId, id, now: day1 })).toEqual([
      { day: "2026-03-01", size: 2, entered: 3, left: 1, reconstructed: false },
    ]);
    const left = await listChanges(db, { workspaceId, id, change: "left" });
    expect(left.items.map((c) => c.customerId)).toEqual([ann]);

    // Nothing changed: nothing logged.
    const third = await refreshSegment(db, { workspaceId, segmentId: id, now: day2 });
    expect(third).toMatchObject({ size: 2, entered: 0, left: 0 });
    expect((await listChanges(db, { workspaceId, id })).items).toHaveLength(4);
  });

  it("new events move membership for their customers only, once they have settled", async () => {
    const { id } = await create("Repeat buyers", buyers(2));
    await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    await insertEvents(db, workspaceId, bob, [order(day2)]);

    // Not settled yet: the cursor waits.
    expect((await applyNewEvents(db, { workspaceId, settleMs: 60_000 })).events).toBe(0);
    const applied = await applyNewEvents(db, { workspaceId, settleMs: 0, now: day2 });
    expect(applied.events).toBe(1);
    expect(applied.changes).toEqual([{ segmentId: id, entered: 1, left: 0 }]);
    expect(await members(id)).toEqual([ann, bob].sort());
    expect((await getSegment(db, { workspaceId, id })).memberCount).toBe(2);
    expect(await sizeHistory(db, { workspaceId, id, now: day2 })).toEqual([
      { day: "2026-03-01", size: 1, entered: 1, left: 0, reconstructed: false },
      { day: "2026-03-02", size: 2, entered: 1, left: 0, reconstructed: false },
    ]);
    const [change] = (await listChanges(db, { workspaceId, id })).items;
    expect(change).toMatchObject({ customerId: bob, change: "entered", cause: "events" });

    // The cursor moved on: the same event is not applied twice.
    expect((await applyNewEvents(db, { workspaceId, settleMs: 0 })).events).toBe(0);

    // A merge: Ann joins Cat with a new event; Ann's profile leaves, Cat (now with 4 orders) enters.
    await db.update(customers).set({ mergedInto: cat }).where(eq(customers.id, ann));
    await db.execute(sql`update events set customer_id = ${cat}::uuid where customer_id = ${ann}::uuid`);
    await insertEvents(db, workspaceId, cat, [order(day2)]);
    const merged = await applyNewEvents(db, { workspaceId, settleMs: 0, now: day2 });
    expect(merged.changes).toEqual([{ segmentId: id, entered: 1, left: 1 }]);
    expect(await members(id)).toEqual([bob, cat].sort());
  });

  it("once the customer streams are built, the loop brings them and then the members up to date", async () => {
    const { id } = await create("Repeat buyers", buyers(2));
    await buildStreams(db, { workspaceId, settleMs: 0 });
    await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    expect(await members(id)).toEqual([ann]);

    // Bob buys again: the streams take the order first, then his membership follows.
    await insertEvents(db, workspaceId, bob, [order(day2)]);
    await segmentLoopTurn(db, { settleMs: 0 });
    expect(await members(id)).toEqual([ann, bob].sort());
    // A full refresh, which reads the streams, agrees.
    expect(await refreshSegment(db, { workspaceId, segmentId: id, now: day2 })).toMatchObject({
      size: 2,
      entered: 0,
      left: 0,
    });
    // A merge by hand moves events without adding any: the streams follow at once.
    await mergeProfiles(db, { workspaceId, survivorId: cat, mergedId: ann, actorUserId: userId });
    expect(await refreshSegment(db, { workspaceId, segmentId: id, now: day2 })).toMatchObject({
      size: 2,
      entered: 1,
      left: 1,
    });
    expect(await members(id)).toEqual([bob, cat].sort());
  });

  it("segments refer to others' members, refreshed in order; cycles and removing a referenced one are refused", async () => {
    const a = await create("Buyers", buyers(1));
    const b = await create("Buyers outside the store", {
      type: "and",
      rules: [
        { type: "segment", segmentId: a.id, member: true },
        { type: "channelShare", channel: "store", op: "lte", value: 0.5 },
      ],
    });
    await refreshSegment(db, { workspaceId, segmentId: a.id, now: day1 });
    await refreshSegment(db, { workspaceId, segmentId: b.id, now: day1 });
    expect(await members(b.id)).toEqual([ann]);

    await expect(
      updateSegment(db, {
        workspaceId,
        userId,
        id: a.id,
        name: "Buyers",
        description: "",
        schedule: "daily",
        rule: { type: "segment", segmentId: b.id, member: false },
      }),
    ).rejects.toThrow(/cannot depend on itself: Buyers → Buyers outside the store → Buyers/);
    await expect(removeSegment(db, { workspaceId, id: a.id })).rejects.toThrow(
      /Other segments refer to this one: Buyers outside the store/,
    );
    await expect(
      create("Ghost", { type: "segment", segmentId: crypto.randomUUID(), member: true }),
    ).rejects.toThrow(RuleError);
    expect((await getSegment(db, { workspaceId, id: a.id })).usedBy).toEqual([
      { id: b.id, name: "Buyers outside the store" },
    ]);

    // Cat buys on the web: the event pass runs Buyers before the segment built on it.
    await insertEvents(db, workspaceId, cat, [order(day2)]);
    await db
      .update(customers)
      .set({ eventCount: 1, channelCounts: { web: 1 } })
      .where(eq(customers.id, cat));
    const applied = await applyNewEvents(db, { workspaceId, settleMs: 0, now: day2 });
    expect(applied.changes.map((c) => c.segmentId)).toEqual([a.id, b.id]);
    expect(await members(b.id)).toEqual([ann, cat].sort());
  });

  it("saving: names are unique per workspace, a changed rule queues a refresh, an unchanged one does not", async () => {
    const created = await create("Buyers", buyers(1));
    expect(created.jobId).toBeTruthy();
    await expect(create("buyers", buyers(2))).rejects.toThrow(ConflictError);
    await expect(
      create("Bad", { type: "behaviour", performed: true, times: { atLeast: -1 } }),
    ).rejects.toThrow(InvalidInputError);

    const same = await updateSegment(db, {
      workspaceId,
      userId,
      id: created.id,
      name: "All buyers",
      description: "Anyone who bought",
      schedule: "off",
      rule: buyers(1),
    });
    expect(same.jobId).toBeNull();
    // The creation's refresh is still queued: a changed rule reuses it, as it reads the rule when it runs.
    const changed = await updateSegment(db, {
      workspaceId,
      userId,
      id: created.id,
      name: "All buyers",
      description: "",
      schedule: "off",
      rule: buyers(2),
    });
    expect(changed.jobId).toBe(created.jobId);
    const [row] = await listSegments(db, workspaceId);
    expect(row).toMatchObject({ name: "All buyers", schedule: "off", refreshing: true, memberCount: 0 });
    expect(row!.owner?.id).toBe(userId);
  });

  it("the refresh job fills the segment, survives a second run, and queues the segments that depend on it", async () => {
    const a = await create("Buyers", buyers(1));
    const runner = new JobRunner({
      db,
      handlers: new Map([[SEGMENT_REFRESH_JOB_KIND, runSegmentRefresh]]),
      log: () => undefined,
    });
    expect(await runner.runOnce()).toBe(true);
    const segment = await getSegment(db, { workspaceId, id: a.id });
    expect(segment.memberCount).toBe(2);
    expect(segment.refresh).toMatchObject({
      status: "succeeded",
      progress: { message: "2 members: 2 entered, 0 left" },
    });

    const b = await create("Not buyers", { type: "segment", segmentId: a.id, member: false });
    expect(await runner.runOnce()).toBe(true); // b's own refresh
    expect(await members(b.id)).toEqual([cat]);
    // A job run again after its step committed does nothing twice.
    await db.update(jobs).set({ status: "queued" }).where(eq(jobs.id, a.jobId));
    expect(await runner.runOnce()).toBe(true);
    expect((await listChanges(db, { workspaceId, id: a.id })).items).toHaveLength(2);
    // Refreshing a queues b again, after it.
    await queueRefresh(db, { workspaceId, segmentId: a.id, cause: "refresh", userId });
    expect(await runner.runOnce()).toBe(true);
    const queued = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.status, "queued"), eq(jobs.kind, SEGMENT_REFRESH_JOB_KIND)));
    expect(queued.map((job) => job.payload)).toEqual([{ segmentId: b.id, cause: "depends" }]);
  });

  it("a value fit queues refreshes of the segments that read value, and only those", async () => {
    const valued = await create("Champions", {
      type: "not",
      rule: { type: "rfmGroup", groups: ["champions"] },
    });
    await create("Buyers", buyers(1));
    await db.update(jobs).set({ status: "succeeded" }).where(eq(jobs.workspaceId, workspaceId));
    await queueValueDependentRefreshes(db, workspaceId);
    const queued = await db.select().from(jobs).where(eq(jobs.status, "queued"));
    expect(queued.map((job) => job.payload)).toEqual([{ segmentId: valued.id, cause: "value fit" }]);
  });

  it("schedules queue a refresh when due and move the next time on", async () => {
    const { id } = await create("Buyers", buyers(1), "hourly");
    const { jobId } = { jobId: (await getSegment(db, { workspaceId, id })).refresh!.jobId };
    await db.update(jobs).set({ status: "succeeded" }).where(eq(jobs.id, jobId));
    const due = new Date(Date.now() + 2 * 3600 * 1000);
    expect(await queueDueRefreshes(db, due)).toBe(1);
    expect(await queueDueRefreshes(db, due)).toBe(0);
    const [row] = await db.select().from(segments).where(eq(segments.id, id));
    expect(row!.nextRefreshAt!.getTime()).toBe(due.getTime() + 3600 * 1000);
    expect(row!.refreshJobId).not.toBe(jobId);
  });

  it("the preview counts, samples and takes the share of the workspace; bad rules name their path", async () => {
    const preview = await previewRule(db, { workspaceId, rule: buyers(1) });
    expect(preview).toMatchObject({ count: 2, total: 3 });
    expect(preview.percent).toBeCloseTo(66.67, 1);
    expect(preview.sample.map((s) => s.name).sort()).toEqual(["Ann", "Bob"]);
    expect(preview.estimate).toBeNull();
    // A workspace above the estimate threshold answers from a sample first (here every page: 100 %).
    const estimate = await previewRule(db, {
      workspaceId,
      rule: buyers(1),
      mode: "estimate",
      estimateAbove: 0,
    });
    expect(estimate).toMatchObject({ count: 2, total: 3, estimate: { sampled: 3, matched: 2 } });
    expect(estimate.estimate!.margin).toBe(Math.round(1.96 * Math.sqrt(((2 / 3) * (1 / 3)) / 3) * 3));
    expect(estimate.sample.map((s) => s.name).sort()).toEqual(["Ann", "Bob"]);
    expect((await previewRule(db, { workspaceId, rule: buyers(1), mode: "estimate" })).estimate).toBeNull();
    try {
      await previewRule(db, {
        workspaceId,
        rule: { type: "and", rules: [{ type: "eventCount", op: "gte" }] },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues[0]!.path).toBe("rule.rules[0].value");
    }
    const { id } = await create("Buyers", buyers(1));
    await expect(
      previewRule(db, { workspaceId, segmentId: id, rule: { type: "segment", segmentId: id, member: true } }),
    ).rejects.toThrow(/cannot depend on itself/);
  });

  it("members and history go with their segment, and with their workspace", async () => {
    const rows = async (table: typeof segmentMembers | typeof segmentMembershipChanges) =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(table)
          .where(eq(table.workspaceId, workspaceId))
      )[0]!.n;
    const kept = await create("Buyers", buyers(1));
    const removed = await create("Repeat buyers", buyers(2));
    await refreshSegment(db, { workspaceId, segmentId: kept.id, now: day1 });
    await refreshSegment(db, { workspaceId, segmentId: removed.id, now: day1 });
    expect([await rows(segmentMembers), await rows(segmentMembershipChanges)]).toEqual([3, 3]);
    await removeSegment(db, { workspaceId, id: removed.id });
    expect([await rows(segmentMembers), await rows(segmentMembershipChanges)]).toEqual([2, 2]);
    await db.delete(workspaces).where(eq(workspaces.id, workspaceId));
    expect([await rows(segmentMembers), await rows(segmentMembershipChanges)]).toEqual([0, 0]);
  });

  it("the preview says when value conditions wait for a first value fit", async () => {
    const valued = { type: "value", measure: "pAlive", op: "lte", value: 0.5 };
    expect(await previewRule(db, { workspaceId, rule: valued })).toMatchObject({
      count: 0,
      valueFitMissing: true,
    });
    expect((await previewRule(db, { workspaceId, rule: buyers(1) })).valueFitMissing).toBe(false);
    await db.insert(valueFits).values({
      workspaceId,
      id: crypto.randomUUID(),
      status: "succeeded",
      calibrationEnd: "2026-03-01",
      horizonWeeks: 52,
      discountRate: 0.1,
    });
    const afterFit = await previewRule(db, { workspaceId, rule: { type: "not", rule: valued } });
    expect(afterFit).toMatchObject({ valueFitMissing: false, count: 3 });
  });

  it("the customer list filters by segment, within the workspace only", async () => {
    const { id } = await create("Repeat buyers", buyers(2));
    await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    const list = await listCustomers({ db, workspaceId, segmentId: id });
    expect(list.customers.map((c) => c.id)).toEqual([ann]);
    const other = await makeWorkspace(db, "Other");
    expect((await listCustomers({ db, workspaceId: other.workspace.id, segmentId: id })).customers).toEqual(
      [],
    );
  });

  it("exports the members as CSV page by page, with their value", async () => {
    const { id } = await create("Buyers", buyers(1));
    await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    await db.update(customers).set({ email: "=cmd@example.com" }).where(eq(customers.id, bob));
    let csv = "";
    for await (const chunk of segmentMembersCsv(db, { workspaceId, segmentId: id, pageRows: 1 }))
      csv += chunk;
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(exportColumns.join(","));
    expect(lines).toHaveLength(3);
    const byId = Object.fromEntries(lines.slice(1).map((line) => [line.split(",")[0], line]));
    expect(byId[ann]).toContain(",Ann,,,");
    expect(byId[ann]).toContain(",3,3,60.00,2026-03-01T09:00:00Z,,,");
    expect(byId[bob]).toContain(",'=cmd@example.com,");
  });

  it("the value portfolio of a segment counts its members by RFM group", async () => {
    const { id } = await create("Buyers", buyers(1));
    await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    const fitId = crypto.randomUUID();
    await db.insert(valueFits).values({
      workspaceId,
      id: fitId,
      status: "succeeded",
      calibrationEnd: "2026-03-01",
      horizonWeeks: 52,
      discountRate: 0.1,
    });
    const seed = { fitId, pastRevenue: 10 };
    await insertCustomerValue(db, workspaceId, ann, {
      ...seed,
      pAlive: 0.9,
      clv: 300,
      group: "champions",
      previousGroup: "loyal",
      pastRevenue: 60,
    });
    await insertCustomerValue(db, workspaceId, bob, {
      ...seed,
      pAlive: 0.5,
      clv: 100,
      group: "at risk",
      pastRevenue: 20,
    });
    await insertCustomerValue(db, workspaceId, cat, {
      ...seed,
      pAlive: 0.1,
      clv: 5,
      group: "lost",
      pastRevenue: 5,
    });
    const portfolio = await getPortfolio({ db, workspaceId, segmentId: id });
    expect(
      portfolio.rows.map((r) => [r.group, r.customers, r.predictedValue, r.predictedValueShare]),
    ).toEqual([
      ["champions", 1, 300, 0.75],
      ["at risk", 1, 100, 0.25],
    ]);
    expect(portfolio.movement).toEqual([{ from: "loyal", to: "champions", customers: 1 }]);
  });

  it("removing a segment removes its members, history and sizes", async () => {
    const { id } = await create("Buyers", buyers(1));
    await refreshSegment(db, { workspaceId, segmentId: id, now: day1 });
    await removeSegment(db, { workspaceId, id });
    for (const table of [segmentMembers, segmentMembershipChanges, segmentSizes]) {
      expect(await db.select().from(table)).toEqual([]);
    }
  });
});

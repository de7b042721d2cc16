import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { uuidArray } from "~/db/sql";
import { customerValues, deliveries, events, journeyEnrollments, segmentMembers } from "~/db/schema";
import { insertCustomer, insertCustomerValue, insertEvents } from "~/server/customers/test-fixtures";
import { createSegment } from "~/server/segments/store";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import type { JourneyDesignInput } from "../design";
import { createJourney } from "../store";
import { publishJourney } from "../versions";
import { goLive } from "../run/control";
import { dryRun } from "../run/dry-run";
import { followLiveRuns } from "../run/entries";
import { runDueSteps } from "../run/runner";
import { runState } from "../run/state";
import { HELD_OUT } from "../run/step";
import { heldOutSql, isHeldOut } from "./holdout";
import { journeyImpact } from "./impact";
import { newcombeInterval, welchInterval, type Moments } from "./stats";

// Holdouts and the Impact tab's figures on both databases: the SQL and the
// TypeScript assignment agree, held-out customers are followed but sent
// nothing, entry values are recorded, and journeyImpact's aggregate equals the
// same figures computed here from the rows the test wrote.

const DAY = 86_400_000;
/** A Monday, 10:00 UTC. */
const T0 = new Date("2030-03-04T10:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const design: JourneyDesignInput = {
  stages: [
    {
      id: "s-offer",
      name: "Offered",
      goal: { event: "Order Completed" },
      touchpoints: [
        {
          id: "t-offer",
          channel: "email",
          title: "Our spring offer",
          trigger: { kind: "segmentEntry" },
          ownerTeam: "marketing",
        },
      ],
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: { x: 0, y: 0 } },
      { kind: "touchpoint", id: "n-offer", touchpointId: "t-offer", position: { x: 200, y: 0 } },
      { kind: "exit", id: "n-done", label: "Offered", position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: "e1", source: "entry", target: "n-offer" },
      { id: "e2", source: "n-offer", target: "n-done" },
    ],
  },
};

const moments = (values: number[]): Moments => ({
  n: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  sumSquares: values.reduce((a, b) => a + b * b, 0),
});

describeEachDatabase("journey holdouts and impact", (getDb) => {
  let db: Database;
  let workspaceId: string;
  let userId: string;
  let segmentId: string;

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    const ws = await makeWorkspace(db, "Impact");
    workspaceId = ws.workspace.id;
    userId = ws.editor.id;
    segmentId = (
      await createSegment(db, {
        workspaceId,
        userId: ws.admin.id,
        name: "Spring",
        description: "",
        rule: { type: "eventCount", op: "gte", value: 1 },
        schedule: "off",
      })
    ).id;
  });

  it("assigns the holdout the same way in SQL and in TypeScript", async () => {
    const journeyId = randomUUID();
    const ids = Array.from({ length: 2_000 }, () => randomUUID());
    for (const percent of [0, 10, 37, 50]) {
      const result = await db.execute<{ id: string; held: boolean }>(sql`
        select c.id::text as id, ${heldOutSql(journeyId, sql`c.id`, percent)} as held
        from unnest(${uuidArray(ids)}) as c(id)`);
      const sqlSide = new Map(result.rows.map((r) => [r.id, r.held]));
      const disagree = ids.filter((id) => sqlSide.get(id) !== isHeldOut(journeyId, id, percent));
      expect(disagree).toEqual([]);
      const share = ids.filter((id) => isHeldOut(journeyId, id, percent)).length / ids.length;
      // 2,000 draws: the share is within about 3 standard errors of the setting.
      expect(Math.abs(share - percent / 100)).toBeLessThan(0.035);
    }
  });

  it("holds out, follows the held-out customers without sending, and measures the difference", async () => {
    // 40 customers, each valued by a first fit; a quarter of them enter after the window's cutoff.
    const entryFit = randomUUID();
    const laterFit = randomUUID();
    const customers: { id: string; clv: number; pAlive: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const id = await insertCustomer(db, workspaceId, {
        name: `Customer ${i}`,
        email: `c${i}@example.test`,
      });
      const value = { id, clv: 100 + i, pAlive: 0.5 + i / 100 };
      customers.push(value);
      await insertCustomerValue(db, workspaceId, id, {
        clv: value.clv,
        pAlive: value.pAlive,
        group: "loyal",
        fitId: entryFit,
      });
    }
    const early = customers.slice(0, 30);
    const late = customers.slice(30);
    await db.insert(segmentMembers).values(early.map((c) => ({ workspaceId, segmentId, customerId: c.id })));
    const { id: journeyId } = await createJourney(db, {
      workspaceId,
      userId,
      segmentId,
      name: "Spring offer",
      description: "",
      design,
    });
    await publishJourney(db, { workspaceId, userId, id: journeyId });
    await goLive(db, {
      workspaceId,
      journeyId,
      userId,
      reentryDays: null,
      exitOnSegmentLeave: false,
      moveToNewVersion: false,
      timezone: "UTC",
      holdoutPercent: 40,
    });
    const turn = async (now: Date) => {
      while (await followLiveRuns(db, { workspaceId, now }));
      while ((await runDueSteps(db, { workspaceId, now })).steps > 0);
    };
    await turn(T0);
    // The late ones enter 20 days on: a 30-day window has not elapsed for them at day 31.
    await db.insert(segmentMembers).values(late.map((c) => ({ workspaceId, segmentId, customerId: c.id })));
    await db.execute(sql`
      insert into segment_membership_changes (workspace_id, segment_id, customer_id, change, cause)
      select ${workspaceId}::uuid, ${segmentId}::uuid, c.id, 'entered', 'test'
      from unnest(${uuidArray(late.map((c) => c.id))}) as c(id)`);
    await turn(at(20));

    const rows = await db
      .select()
      .from(journeyEnrollments)
      .where(eq(journeyEnrollments.workspaceId, workspaceId));
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      expect(row.holdout).toBe(isHeldOut(journeyId, row.customerId, 40));
      const value = customers.find((c) => c.id === row.customerId)!;
      expect([row.entryClv, row.entryPAlive, row.entryFitId]).toEqual([value.clv, value.pAlive, entryFit]);
      // Held-out customers go the whole way too.
      expect(row.state).toBe("completed");
    }
    const held = new Set(rows.filter((r) => r.holdout).map((r) => r.customerId));
    expect(held.size).toBeGreaterThan(5);
    expect(held.size).toBeLessThan(35);
    const sent = await db
      .select({ customerId: deliveries.customerId })
      .from(deliveries)
      .where(eq(deliveries.workspaceId, workspaceId));
    expect(new Set(sent.map((s) => s.customerId))).toEqual(
      new Set(customers.filter((c) => !held.has(c.id)).map((c) => c.id)),
    );
    const skipped = await db
      .select({ customerId: events.customerId, reason: sql<string>`${events.properties} ->> 'reason'` })
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), eq(events.event, "Message Skipped")));
    expect(new Set(skipped.map((s) => s.customerId))).toEqual(held);
    expect(new Set(skipped.map((s) => s.reason))).toEqual(new Set([HELD_OUT]));
    const state = await runState(db, { workspaceId, journeyId });
    expect(state.run!.holdoutPercent).toBe(40);
    expect(state.run!.groups).toEqual({ treatment: 40 - held.size, holdout: held.size });

    // History after entry: customer i buys i % 3 times for 10 · (i % 5 + 1) each, within the
    // window (day 2) — and once more outside it (day 35), which must not count; every fourth
    // reaches the goal. A later fit moves each customer's value.
    const expected = new Map<string, { purchases: number; revenue: number; goal: boolean }>();
    for (const [i, c] of customers.entries()) {
      const entered = i < 30 ? 0 : 20;
      const buys = i % 3;
      const amount = 10 * ((i % 5) + 1);
      await insertEvents(db, workspaceId, c.id, [
        ...Array.from({ length: buys }, () => ({
          event: "Order Completed",
          amount,
          timestamp: at(entered + 2),
        })),
        { event: "Order Completed", amount: 999, timestamp: at(entered + 35) },
        ...(i % 4 === 0 ? [{ event: "Order Completed", timestamp: at(entered + 1) }] : []),
      ]);
      expected.set(c.id, { purchases: buys, revenue: buys * amount, goal: buys > 0 || i % 4 === 0 });
      await db
        .update(customerValues)
        .set({ fitId: laterFit, clv: c.clv + (i % 7), pAlive: c.pAlive - (i % 3) / 10 })
        .where(and(eq(customerValues.workspaceId, workspaceId), eq(customerValues.customerId, c.id)));
    }

    const impact = await journeyImpact(db, { workspaceId, journeyId, windowDays: 30, now: at(31) });
    const counted = early;
    const side = (holdout: boolean) => counted.filter((c) => held.has(c.id) === holdout);
    expect(impact.counted).toEqual({ treatment: side(false).length, holdout: side(true).length });
    expect(impact.waiting).toBe(10);
    expect(impact.run?.holdoutPercent).toBe(40);
    expect(impact.goal).toEqual({ event: "Order Completed", channel: null });
    expect(impact.comparisons).toHaveLength(1);
    const metrics = new Map(impact.comparisons[0]!.metrics.map((m) => [m.key, m]));

    const values = (holdout: boolean, f: (c: (typeof customers)[number], i: number) => number) =>
      side(holdout).map((c) => f(c, customers.indexOf(c)));
    const conversion = newcombeInterval(
      {
        x: values(false, (c) => (expected.get(c.id)!.goal ? 1 : 0)).reduce((a, b) => a + b, 0),
        n: side(false).length,
      },
      {
        x: values(true, (c) => (expected.get(c.id)!.goal ? 1 : 0)).reduce((a, b) => a + b, 0),
        n: side(true).length,
      },
    )!;
    expect(metrics.get("conversion")!.interval!.low).toBeCloseTo(conversion.low, 10);
    expect(metrics.get("conversion")!.interval!.high).toBeCloseTo(conversion.high, 10);
    const checks: [string, (c: (typeof customers)[number], i: number) => number][] = [
      ["purchases", (c) => expected.get(c.id)!.purchases],
      ["revenue", (c) => expected.get(c.id)!.revenue],
      ["clvChange", (_c, i) => i % 7],
      ["pAliveChange", (_c, i) => -(i % 3) / 10],
    ];
    for (const [key, f] of checks) {
      const metric = metrics.get(key as "revenue")!;
      const reference = welchInterval(moments(values(false, f)), moments(values(true, f)))!;
      expect(metric.treatment.n).toBe(side(false).length);
      expect(metric.interval!.difference).toBeCloseTo(reference.difference, 8);
      expect(metric.interval!.low).toBeCloseTo(reference.low, 8);
      expect(metric.interval!.high).toBeCloseTo(reference.high, 8);
      expect(metric.incremental!.total).toBeCloseTo(reference.difference * side(false).length, 6);
    }

    // Without a fit since entry there is no change in value to measure.
    await db
      .update(customerValues)
      .set({ fitId: entryFit })
      .where(eq(customerValues.workspaceId, workspaceId));
    const unfitted = await journeyImpact(db, { workspaceId, journeyId, windowDays: 30, now: at(31) });
    const clv = unfitted.comparisons[0]!.metrics.find((m) => m.key === "clvChange")!;
    expect([clv.treatment.n, clv.holdout.n, clv.interval]).toEqual([0, 0, null]);
  });

  it("marks in the dry run the customers going live would hold out, and sends them nothing", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(await insertCustomer(db, workspaceId, { name: `Dry ${i}`, email: `d${i}@example.test` }));
    }
    await db.execute(sql`
      insert into segment_membership_changes (workspace_id, segment_id, customer_id, change, cause, at)
      select ${workspaceId}::uuid, ${segmentId}::uuid, c.id, 'entered', 'test', now() - interval '1 day'
      from unnest(${uuidArray(ids)}) as c(id)`);
    const { id: journeyId } = await createJourney(db, {
      workspaceId,
      userId,
      segmentId,
      name: "Dry",
      description: "",
      design,
    });
    await publishJourney(db, { workspaceId, userId, id: journeyId });
    const result = await dryRun(db, { workspaceId, journeyId, timezone: "UTC", holdoutPercent: 50 });
    expect(result.customers).toHaveLength(30);
    for (const c of result.customers) {
      expect(c.holdout).toBe(isHeldOut(journeyId, c.id, 50));
      if (c.holdout) {
        expect(c.messages).toEqual([]);
        expect(c.skipped.map((s) => s.reason)).toEqual([HELD_OUT]);
      } else expect(c.messages).toHaveLength(1);
    }
    expect(result.customers.filter((c) => c.holdout).length).toBeGreaterThan(3);
    const none = await dryRun(db, { workspaceId, journeyId, timezone: "UTC", holdoutPercent: 0 });
    expect(none.customers.every((c) => !c.holdout && c.messages.length === 1)).toBe(true);
  });

  it("compares each A/B variant with the held-out customers who drew it, and the variants with each other", async () => {
    const { id: journeyId } = await createJourney(db, {
      workspaceId,
      userId,
      segmentId,
      name: "Split offer",
      description: "",
      design,
    });
    await publishJourney(db, { workspaceId, userId, id: journeyId });
    const { runId } = await goLive(db, {
      workspaceId,
      journeyId,
      userId,
      reentryDays: null,
      exitOnSegmentLeave: false,
      moveToNewVersion: false,
      timezone: "UTC",
      holdoutPercent: 50,
    });
    // Only those who reach the split draw a variant, and they spend more than those who do not:
    // against the whole holdout a variant would look better than it is.
    const entrant = async (holdout: boolean, variant: string | null, spent: number) => {
      const customerId = await insertCustomer(db, workspaceId, {});
      await db.insert(journeyEnrollments).values({
        workspaceId,
        runId,
        journeyId,
        customerId,
        version: 1,
        state: "completed",
        nodeId: "n-done",
        enteredAt: at(0),
        holdout,
        variants: variant ? { "n-split": variant } : {},
      });
      if (spent > 0)
        await insertEvents(db, workspaceId, customerId, [
          { event: "Order Completed", amount: spent, timestamp: at(1) },
        ]);
    };
    for (const holdout of [false, true]) {
      for (let i = 0; i < 4; i++) await entrant(holdout, null, 0);
      for (const spent of [50, 60, 70]) await entrant(holdout, "a", spent);
      for (const spent of [80, 90, 100]) await entrant(holdout, "b", spent);
    }
    const impact = await journeyImpact(db, { workspaceId, journeyId, windowDays: 7, now: at(10) });
    const revenue = (variant: string | null, againstVariant: string | null = null) =>
      impact.comparisons
        .find((c) => c.variant === variant && c.againstVariant === againstVariant)!
        .metrics.find((m) => m.key === "revenue")!;
    expect(revenue(null)).toMatchObject({
      treatment: { n: 10, value: 450 / 10 },
      holdout: { n: 10, value: 450 / 10 },
    });
    // Variant a: 60 a customer on both sides, no difference; b likewise at 90.
    expect(revenue("a")).toMatchObject({ treatment: { n: 3, value: 60 }, holdout: { n: 3, value: 60 } });
    expect(revenue("a").interval!.difference).toBe(0);
    expect(revenue("b").interval!.difference).toBe(0);
    // The A/B test itself: b against a, both sent the journey.
    expect(revenue("b", "a")).toMatchObject({ treatment: { n: 3, value: 90 }, holdout: { n: 3, value: 60 } });
    expect(revenue("b", "a").interval!.difference).toBeCloseTo(30, 9);
    expect(impact.comparisons.filter((c) => c.againstVariant !== null)).toHaveLength(1);
  });

  it("has nothing to measure before a journey runs, and never another workspace's journey", async () => {
    const { id: journeyId } = await createJourney(db, {
      workspaceId,
      userId,
      segmentId,
      name: "Never live",
      description: "",
      design,
    });
    const impact = await journeyImpact(db, { workspaceId, journeyId, windowDays: 7 });
    expect(impact.run).toBeNull();
    expect(impact.comparisons).toEqual([]);
    const other = await makeWorkspace(db, "Other");
    await expect(
      journeyImpact(db, { workspaceId: other.workspace.id, journeyId, windowDays: 7 }),
    ).rejects.toThrow("does not exist");
  });
});

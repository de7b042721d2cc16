import { and, eq, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { customers, jobs, segmentSizes, valueFits } from "~/db/schema";
import type { Channel } from "~/db/enums";
import {
  insertCustomer,
  insertCustomerValue,
  insertEvents,
  type EventSeed,
} from "~/server/customers/test-fixtures";
import { JobRunner, JobStopped, type JobContext, type JobHandler } from "~/server/jobs/runner";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { addDays, endOfDay } from "./history";
import { SEGMENT_HISTORY_JOB_KIND, segmentHistoryHandler } from "./history-job";
import type { Rule } from "./rules";
import { createSegment, getSegment, sizeHistory, updateSegment } from "./store";

// The reconstructed size history against a recount of the fixture in
// TypeScript, day by day: who existed at the end of the day, and what the rule
// says of the events before it.

const NOW = new Date("2026-03-01T10:00:00Z");
const UNTIL = "2026-03-01";
const FIRST_DAY = "2026-01-10";
const FIT_DAY = "2026-02-20";
const DAY = 24 * 3600 * 1000;

interface FixtureEvent {
  event: string;
  channel: Channel;
  at: Date;
}
interface FixtureCustomer {
  id: string;
  createdAt: Date;
  firstSeen: Date | null;
  plan: string;
  champion: boolean;
  events: FixtureEvent[];
}

/** A seeded generator, so a failure names the same fixture every run. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + Math.imul(t ^ (t >>> 14), 45 | t));
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rules: Record<string, Rule> = {
  // A behaviour rule with a window relative to the day.
  "ordered twice in 30 days": {
    type: "behaviour",
    performed: true,
    event: "Order Completed",
    times: { atLeast: 2 },
    window: { lastDays: 30 },
  },
  // A trait: read as it is now, for the customers that existed on the day.
  "gold plan": { type: "trait", field: "traits.plan", test: { op: "equals", value: "Gold" } },
  // The customer row's event summaries, counted from the events before the day.
  "mostly web, 3+ events": {
    type: "and",
    rules: [
      { type: "eventCount", op: "gte", value: 3 },
      { type: "channelShare", channel: "web", op: "gte", value: 0.5 },
    ],
  },
  // Value figures: only from the day of their fit on.
  champions: { type: "rfmGroup", groups: ["champions"] },
};

/** The members as of the end of `day`, counted from the fixture. */
function recount(name: string, fixture: FixtureCustomer[], day: string): Set<string> {
  const end = endOfDay(day).getTime();
  const members = new Set<string>();
  for (const c of fixture) {
    const existed = (c.firstSeen !== null && c.firstSeen.getTime() < end) || c.createdAt.getTime() < end;
    if (!existed) continue;
    const before = c.events.filter((e) => e.at.getTime() < end);
    let match: boolean;
    switch (name) {
      case "ordered twice in 30 days":
        match =
          before.filter((e) => e.event === "Order Completed" && e.at.getTime() >= end - 30 * DAY).length >= 2;
        break;
      case "gold plan":
        match = c.plan.toLowerCase() === "gold";
        break;
      case "mostly web, 3+ events":
        match = before.length >= 3 && before.filter((e) => e.channel === "web").length / before.length >= 0.5;
        break;
      case "champions":
        match = c.champion;
        break;
      default:
        throw new Error(name);
    }
    if (match) members.add(c.id);
  }
  return members;
}

function expectedTrend(name: string, fixture: FixtureCustomer[], from: string) {
  const points = [];
  let previous = recount(name, fixture, addDays(from, -1));
  for (let day = from; day < UNTIL; day = addDays(day, 1)) {
    const current = recount(name, fixture, day);
    points.push({
      day,
      size: current.size,
      entered: [...current].filter((id) => !previous.has(id)).length,
      left: [...previous].filter((id) => !current.has(id)).length,
      reconstructed: true,
    });
    previous = current;
  }
  return points;
}

describeEachDatabase("segment size history", (getDb) => {
  let db: Database;
  let workspaceId: string;
  let userId: string;
  let fixture: FixtureCustomer[];

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    const made = await makeWorkspace(db);
    workspaceId = made.workspace.id;
    userId = made.admin.id;
    const random = mulberry32(20);
    const span = Date.parse(`${UNTIL}T00:00:00Z`) - Date.parse(`${FIRST_DAY}T00:00:00Z`);
    const fitId = crypto.randomUUID();
    await db.insert(valueFits).values({
      workspaceId,
      id: fitId,
      status: "succeeded",
      calibrationEnd: FIT_DAY,
      horizonWeeks: 52,
      discountRate: 0.1,
      finishedAt: new Date(`${FIT_DAY}T15:00:00Z`),
    });
    fixture = [];
    for (let i = 0; i < 40; i++) {
      const events: FixtureEvent[] = [];
      const n = i < 4 ? 0 : Math.floor(random() * 12);
      for (let k = 0; k < n; k++) {
        events.push({
          event: random() < 0.4 ? "Order Completed" : "Product Viewed",
          channel: (["web", "web", "store", "email"] as const)[Math.floor(random() * 4)]!,
          at: new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + Math.floor(random() * span)),
        });
      }
      // The first event on the first day, so the range starts there.
      if (i === 4)
        events.push({ event: "Product Viewed", channel: "web", at: new Date(`${FIRST_DAY}T08:00:00Z`) });
      const times = events.map((e) => e.at.getTime());
      const firstSeen = times.length ? new Date(Math.min(...times)) : null;
      const plan = random() < 0.5 ? "gold" : "silver";
      const id = await insertCustomer(db, workspaceId, {
        traits: { plan },
        firstSeenAt: firstSeen,
        lastSeenAt: times.length ? new Date(Math.max(...times)) : null,
        eventCount: events.length,
      });
      // Two profiles without events created on 10 February (say, by an identify call).
      let createdAt = new Date();
      if (i < 2) {
        createdAt = new Date("2026-02-10T12:00:00Z");
        await db.update(customers).set({ createdAt }).where(eq(customers.id, id));
      }
      await insertEvents(
        db,
        workspaceId,
        id,
        events.map((e): EventSeed => ({ event: e.event, channel: e.channel, timestamp: e.at, amount: 10 })),
      );
      const champion = i % 3 === 0;
      await insertCustomerValue(db, workspaceId, id, {
        clv: 100,
        pAlive: 0.5,
        group: champion ? "champions" : "loyal",
        fitId,
      });
      fixture.push({ id, createdAt, firstSeen, plan, champion, events });
    }
  });

  const runSegmentHistory = segmentHistoryHandler();
  const runner = (handler: JobHandler = runSegmentHistory) =>
    new JobRunner({ db, handlers: new Map([[SEGMENT_HISTORY_JOB_KIND, handler]]), log: () => undefined });

  const storedTrend = async (segmentId: string) =>
    (await sizeHistory(db, { workspaceId, id: segmentId, now: NOW })).filter((p) => p.day < UNTIL);

  it("matches a per-day recount for a behaviour window, a trait, event summaries and value figures", async () => {
    for (const [name, rule] of Object.entries(rules)) {
      const { id } = await createSegment(db, {
        workspaceId,
        userId,
        name,
        description: "",
        rule,
        schedule: "off",
        now: NOW,
      });
      expect(await runner().runOnce()).toBe(true);
      const from = name === "champions" ? FIT_DAY : FIRST_DAY;
      const expected = expectedTrend(name, fixture, from);
      expect(
        expected.some((p) => p.size > 0),
        name,
      ).toBe(true);
      expect(await storedTrend(id), name).toEqual(expected);
      expect((await getSegment(db, { workspaceId, id })).history).toMatchObject({ status: "succeeded" });
    }
  });

  it("resumes after a restart without evaluating the days already done, and starts over for a changed rule", async () => {
    const rule = rules["ordered twice in 30 days"]!;
    const { id } = await createSegment(db, {
      workspaceId,
      userId,
      name: "Repeat",
      description: "",
      rule,
      schedule: "off",
      now: NOW,
    });
    // A runner that stops after two steps, as a process does when it shuts down.
    let steps = 0;
    const stopping: JobHandler = (ctx) =>
      runSegmentHistory({
        get job() {
          return ctx.job;
        },
        db: ctx.db,
        get checkpoint() {
          return ctx.checkpoint;
        },
        saveProgress: (p) => ctx.saveProgress(p),
        heartbeat: () => ctx.heartbeat(),
        step: async (work) => {
          await ctx.step(work);
          if (++steps === 2) throw new JobStopped("stopping");
        },
      } satisfies JobContext);
    expect(await runner(stopping).runOnce()).toBe(true);
    const partial = await storedTrend(id);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(expectedTrend("ordered twice in 30 days", fixture, FIRST_DAY).length);
    expect((await getSegment(db, { workspaceId, id })).history).toMatchObject({ status: "queued" });
    // Mark a day already done: a resumed job that evaluated it again would overwrite the mark.
    const marked = partial[0]!.day;
    await db
      .update(segmentSizes)
      .set({ size: -1 })
      .where(and(eq(segmentSizes.segmentId, id), eq(segmentSizes.day, marked)));
    expect(await runner().runOnce()).toBe(true);
    const resumed = await storedTrend(id);
    const expected = expectedTrend("ordered twice in 30 days", fixture, FIRST_DAY);
    expect(resumed.find((p) => p.day === marked)!.size).toBe(-1);
    expect(resumed.filter((p) => p.day !== marked)).toEqual(expected.filter((p) => p.day !== marked));

    // A new rule replaces every earlier point.
    await updateSegment(db, {
      workspaceId,
      id,
      userId,
      name: "Repeat",
      description: "",
      rule: rules["gold plan"]!,
      schedule: "off",
      now: NOW,
    });
    expect(await runner().runOnce()).toBe(true);
    expect(await storedTrend(id)).toEqual(expectedTrend("gold plan", fixture, FIRST_DAY));
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(segmentSizes)
      .where(eq(segmentSizes.segmentId, id));
    expect(rows[0]!.n).toBe(expectedTrend("gold plan", fixture, FIRST_DAY).length);
  });

  it("hands the rest to a new job at the back of the queue while other jobs wait", async () => {
    const rule = rules["mostly web, 3+ events"]!;
    // The segment's refresh stays queued (this runner does not take it): another job waiting.
    const { id } = await createSegment(db, {
      workspaceId,
      userId,
      name: "Web",
      description: "",
      rule,
      schedule: "off",
      now: NOW,
    });
    const slicing = runner(segmentHistoryHandler({ sliceMs: 0 }));
    let runs = 0;
    while (await slicing.runOnce()) runs++;
    expect(runs).toBeGreaterThan(1);
    const history = await db
      .select({ status: jobs.status })
      .from(jobs)
      .where(eq(jobs.kind, SEGMENT_HISTORY_JOB_KIND));
    expect(history.map((job) => job.status)).toEqual(Array(runs).fill("succeeded"));
    expect(await storedTrend(id)).toEqual(expectedTrend("mostly web, 3+ events", fixture, FIRST_DAY));
    expect((await getSegment(db, { workspaceId, id })).history).toMatchObject({ status: "succeeded" });
  });
});

import { and, asc, eq, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import {
  deliveries,
  events,
  journeyEnrollments,
  segmentMembers,
  segmentMembershipChanges,
} from "~/db/schema";
import { insertCustomer, insertEvents } from "~/server/customers/test-fixtures";
import { addSuppression, setConsent } from "~/server/consent/store";
import { createSegment } from "~/server/segments/store";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { parseDesign, type JourneyDesignInput } from "../design";
import { createJourney, updateJourney } from "../store";
import { publishJourney } from "../versions";
import { pauseRun, resumeRun, stopRun } from "./control";
import { journeySends } from "./sends";
import { followLiveRuns } from "./entries";
import { runDueSteps } from "./runner";
import { runState } from "./state";
import { runnerKit, type RunnerKit } from "./test-kit";

// The interpreter on both databases, with the clock in the test's hands: every
// node kind, send windows and quiet hours in the customer's time zone, caps
// across journeys, re-entry, a new version while live, pause and stop.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Monday, 05:00 UTC: 06:00 in Amsterdam, 00:00 in New York. */
const T0 = new Date("2030-03-04T05:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const pos = (x: number) => ({ x: x * 200, y: 0 });

/** Welcome email (9–17 local, quiet 21→8); did they order within 3 days? yes: exit; no: a reminder a day later. */
const welcomeDesign = (
  title = "Welcome, {{ customer.first_name | default: 'there' }}",
): JourneyDesignInput => ({
  quietHours: { startHour: 21, endHour: 8 },
  stages: [
    {
      id: "s-welcome",
      name: "Welcomed",
      goal: { event: "Email Opened", channel: "email" },
      touchpoints: [
        {
          id: "t-welcome",
          channel: "email",
          title,
          content: "Hello {{ customer.first_name }}, our new arrivals are in.",
          trigger: { kind: "segmentEntry" },
          sendWindow: { startHour: 9, endHour: 17 },
          frequencyCap: { max: 1, perDays: 7 },
          ownerTeam: "marketing",
        },
        {
          id: "t-reminder",
          channel: "social",
          title: "Still looking?",
          trigger: { kind: "previous" },
          delayHours: 24,
          ownerTeam: "marketing",
        },
      ],
    },
    { id: "s-bought", name: "Bought", goal: { event: "Newsletter Signup" } },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: pos(0) },
      { kind: "touchpoint", id: "n-welcome", touchpointId: "t-welcome", position: pos(1) },
      {
        kind: "branch",
        id: "n-ordered",
        label: "Ordered within 3 days?",
        split: { kind: "event", event: "Order Completed", withinDays: 3 },
        position: pos(2),
      },
      { kind: "exit", id: "n-bought", label: "Bought", position: pos(3) },
      { kind: "touchpoint", id: "n-reminder", touchpointId: "t-reminder", position: pos(3) },
      { kind: "exit", id: "n-reminded", label: "Reminded", position: pos(4) },
    ],
    edges: [
      { id: "e1", source: "entry", target: "n-welcome" },
      { id: "e2", source: "n-welcome", target: "n-ordered" },
      { id: "e3", source: "n-ordered", output: "yes", target: "n-bought" },
      { id: "e4", source: "n-ordered", output: "no", target: "n-reminder" },
      { id: "e5", source: "n-reminder", target: "n-reminded" },
    ],
  },
});

describeEachDatabase("running journeys", (getDb) => {
  let db: Database;
  let kit: RunnerKit;
  let ws: RunnerKit["ws"];
  let workspaceId: string;
  let segmentId: string;
  const published: RunnerKit["published"] = (...args) => kit.published(...args);
  const live: RunnerKit["live"] = (...args) => kit.live(...args);
  const turn: RunnerKit["turn"] = (now) => kit.turn(now);
  const addMembers: RunnerKit["addMembers"] = (ids) => kit.addMembers(ids);

  const customer = (name: string, email: string | null, traits: Record<string, unknown> = {}) =>
    insertCustomer(db, workspaceId, { name, email, traits });
  const membershipChange = (customerId: string, change: "entered" | "left") =>
    db.insert(segmentMembershipChanges).values({ workspaceId, segmentId, customerId, change, cause: "test" });
  /** Events as the tracking API would have stored them a few seconds ago (past the runner's settle time). */
  const track = async (customerId: string, event: string, timestamp: Date) => {
    await insertEvents(db, workspaceId, customerId, [{ event, timestamp }]);
    await db.execute(
      sql`update events set received_at = now() - interval '5 seconds' where workspace_id = ${workspaceId}`,
    );
  };
  const enrollmentOf = async (customerId: string) => {
    const [row] = await db
      .select()
      .from(journeyEnrollments)
      .where(
        and(eq(journeyEnrollments.workspaceId, workspaceId), eq(journeyEnrollments.customerId, customerId)),
      )
      .orderBy(asc(journeyEnrollments.enteredAt));
    return row!;
  };
  const sentTo = (customerId: string) =>
    db
      .select({
        channel: deliveries.channel,
        status: deliveries.status,
        subject: sql<string>`${deliveries.message} ->> 'subject'`,
        touchpointId: sql<string>`${deliveries.message} -> 'source' ->> 'touchpointId'`,
        createdAt: deliveries.createdAt,
      })
      .from(deliveries)
      .where(and(eq(deliveries.workspaceId, workspaceId), eq(deliveries.customerId, customerId)))
      .orderBy(asc(deliveries.createdAt));
  const timelineOf = async (customerId: string) =>
    (
      await db
        .select({ event: events.event, properties: events.properties })
        .from(events)
        .where(
          and(
            eq(events.workspaceId, workspaceId),
            eq(events.customerId, customerId),
            eq(events.source, "journey"),
          ),
        )
        .orderBy(asc(events.id))
    ).map((e) => e.event);

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    kit = await runnerKit(db);
    ({ ws, workspaceId, segmentId } = kit);
  });

  it("sends in the customer's own send window, waits on the branch, and follows each way out", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test", { timezone: "Europe/Amsterdam" });
    const bob = await customer("Bob Stone", "bob@example.test", { timezone: "America/New_York" });
    const cy = await customer("Cy Nomail", null);
    await addMembers([ada, bob, cy]);
    const journeyId = await published("Welcome", welcomeDesign());
    await live(journeyId);

    await turn(T0);
    // 06:00 in Amsterdam, midnight in New York: nothing before 09:00 local.
    expect(await sentTo(ada)).toEqual([]);
    expect((await enrollmentOf(ada)).dueAt).toEqual(new Date("2030-03-04T08:00:00Z"));
    expect((await enrollmentOf(bob)).dueAt).toEqual(new Date("2030-03-04T14:00:00Z"));

    await turn(at(3 * HOUR));
    const [welcome] = await sentTo(ada);
    expect(welcome).toMatchObject({
      channel: "email",
      status: "sent",
      subject: "Welcome, Ada",
      touchpointId: "t-welcome",
    });
    expect(await timelineOf(ada)).toEqual(["Journey Entered", "Message Sent"]);
    expect((await enrollmentOf(ada)).nodeId).toBe("n-ordered");
    expect(await sentTo(bob)).toEqual([]);

    // 09:00 in New York (14:00 UTC): Bob's email; Cy has no address, so at 09:00 UTC (the run's zone) it was skipped.
    await turn(at(9 * HOUR));
    expect((await sentTo(bob)).map((s) => s.touchpointId)).toEqual(["t-welcome"]);
    expect(await sentTo(cy)).toEqual([]);
    expect(await timelineOf(cy)).toEqual(["Journey Entered", "Message Skipped"]);
    expect((await enrollmentOf(cy)).nodeId).toBe("n-ordered");

    // Ada orders the next day: the branch says yes and she leaves through "Bought".
    await track(ada, "Order Completed", at(DAY));
    await turn(at(DAY + HOUR));
    expect(await enrollmentOf(ada)).toMatchObject({ state: "completed", endReason: "Bought" });
    expect(await timelineOf(ada)).toEqual(["Journey Entered", "Message Sent", "Journey Exited"]);

    // Bob never orders: after 3 days the branch says no, and the reminder goes a day later,
    // at 10:00 in New York, which has moved to summer time on 8 March meanwhile.
    await turn(new Date("2030-03-07T14:00:00Z"));
    expect((await enrollmentOf(bob)).nodeId).toBe("n-reminder");
    await turn(new Date("2030-03-08T13:59:00Z"));
    expect((await sentTo(bob)).map((s) => s.touchpointId)).toEqual(["t-welcome"]);
    await turn(new Date("2030-03-08T14:00:00Z"));
    expect((await sentTo(bob)).map((s) => s.touchpointId)).toEqual(["t-welcome", "t-reminder"]);
    expect(await enrollmentOf(bob)).toMatchObject({ state: "completed", endReason: "Reminded" });

    const state = await runState(db, { workspaceId, journeyId });
    // Cy went the way Bob did, with the reminder only.
    expect(state.run?.enrollments).toEqual({ active: 0, completed: 3, exited: 0 });
    expect((await sentTo(cy)).map((s) => s.touchpointId)).toEqual(["t-reminder"]);
    expect(state.messages.find((m) => m.touchpointId === "t-welcome")).toMatchObject({ sent: 2, queued: 0 });

    // The analytics count what the journey sent and what its customers did after their own send:
    // Bob's open came before his email, so only Ada's counts; his sign-up (the final goal) came after both.
    await insertEvents(db, workspaceId, bob, [
      { event: "Email Opened", channel: "email", timestamp: at(HOUR) },
      { event: "Newsletter Signup", timestamp: new Date("2030-03-09T10:00:00Z") },
    ]);
    await insertEvents(db, workspaceId, ada, [
      { event: "Email Opened", channel: "email", timestamp: at(DAY) },
      // On another channel, so not a reaction to the email.
      { event: "Email Clicked", channel: "web", timestamp: at(DAY) },
    ]);
    const window = { from: T0, to: new Date("2030-03-10T00:00:00Z") };
    const design = parseDesign(welcomeDesign());
    const counted = { queued: 0, failed: 0, variant: null };
    expect(await journeySends(db, { workspaceId, journeyId, design, ...window })).toEqual([
      { ...counted, touchpointId: "t-reminder", sent: 2, customers: 2, reacted: 0, converted: 1 },
      { ...counted, touchpointId: "t-welcome", sent: 2, customers: 2, reacted: 1, converted: 1 },
    ]);
    // A window that ends before the reminders: only the emails, and no sign-up yet.
    expect(await journeySends(db, { workspaceId, journeyId, design, from: T0, to: at(2 * DAY) })).toEqual([
      { ...counted, touchpointId: "t-welcome", sent: 2, customers: 2, reacted: 1, converted: 0 },
    ]);
    const neverRan = await published("Never ran", welcomeDesign());
    expect(await journeySends(db, { workspaceId, journeyId: neverRan, design, ...window })).toBeNull();
  });

  it("takes a run's due customers in batches and says when more are due", async () => {
    const many = [];
    for (let i = 0; i < 51; i++) many.push(await customer(`Customer ${i}`, `c${i}@example.test`));
    await addMembers(many);
    await live(await published("Welcome", welcomeDesign()));
    while (await followLiveRuns(db, { workspaceId, now: T0 }));
    // A run's share of a batch is at least 50: one more is due, so the loop comes back at once.
    expect(await runDueSteps(db, { workspaceId, now: T0, limit: 10 })).toMatchObject({
      steps: 50,
      more: true,
    });
    expect(await runDueSteps(db, { workspaceId, now: T0, limit: 10 })).toMatchObject({
      steps: 1,
      more: false,
    });
  });

  it("acts on an event only once the time it carries has come", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test");
    await addMembers([ada]);
    await live(await published("Welcome", welcomeDesign()));
    await turn(at(5 * HOUR)); // 10:00 UTC: the welcome goes, and Ada waits on the branch.
    expect((await enrollmentOf(ada)).nodeId).toBe("n-ordered");
    // An order stamped two days ahead (a sender's clock far off) has not happened yet.
    await track(ada, "Order Completed", at(2 * DAY));
    await turn(at(DAY));
    expect(await enrollmentOf(ada)).toMatchObject({ state: "active", nodeId: "n-ordered" });
    // By the branch's deadline it has, inside the 3 days.
    await turn(at(3 * DAY + 5 * HOUR));
    expect(await enrollmentOf(ada)).toMatchObject({ state: "completed", endReason: "Bought" });
  });

  it("reads new events only up to the first that has not settled, so a lower id committed late is not passed by", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test");
    const bob = await customer("Bob Stone", "bob@example.test");
    await addMembers([ada, bob]);
    await live(await published("Welcome", welcomeDesign()));
    await turn(at(5 * HOUR)); // 10:00 UTC: both welcomed, both waiting on the branch.
    // Ada's order holds the lower id but was received just now; Bob's, after it, a few seconds ago.
    await insertEvents(db, workspaceId, ada, [{ event: "Order Completed", timestamp: at(DAY) }]);
    await insertEvents(db, workspaceId, bob, [{ event: "Order Completed", timestamp: at(DAY) }]);
    await db.execute(sql`update events set received_at = now() - interval '5 seconds'
      where workspace_id = ${workspaceId} and customer_id = ${bob}`);
    await turn(at(DAY + HOUR));
    // Neither is looked at yet: taking Bob's would have moved the cursor past Ada's for good.
    expect(await enrollmentOf(ada)).toMatchObject({ state: "active", nodeId: "n-ordered" });
    expect(await enrollmentOf(bob)).toMatchObject({ state: "active", nodeId: "n-ordered" });
    await db.execute(sql`update events set received_at = now() - interval '5 seconds'
      where workspace_id = ${workspaceId} and customer_id = ${ada}`);
    await turn(at(DAY + 2 * HOUR));
    expect(await enrollmentOf(ada)).toMatchObject({ state: "completed", endReason: "Bought" });
    expect(await enrollmentOf(bob)).toMatchObject({ state: "completed", endReason: "Bought" });
  });

  it("holds a frequency cap per customer and channel across live journeys", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test");
    await addMembers([ada]);
    await live(await published("Welcome", welcomeDesign()));
    await live(await published("Second", welcomeDesign("Another email")));
    await turn(at(5 * HOUR)); // 10:00 UTC: inside the window
    const sent = await sentTo(ada);
    expect(sent).toHaveLength(1);
    const skipped = await db
      .select({ properties: events.properties })
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), eq(events.event, "Message Skipped")));
    expect(skipped.map((s) => s.properties.reason)).toEqual(["frequency cap: 1 on email in 7 days"]);
  });

  it("honours consent and the suppression list before every send, and links each email to its unsubscribe page", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test");
    const bob = await customer("Bob Stone", "bob@example.test");
    const cy = await customer("Cy Listed", "CY@example.test");
    await addMembers([ada, bob, cy]);
    await setConsent(db, {
      workspaceId,
      customerId: bob,
      channels: ["email"],
      state: "unsubscribed",
      source: "manual",
      actorUserId: ws.admin.id,
    });
    await addSuppression(db, {
      workspaceId,
      channel: "email",
      address: "cy@example.test",
      reason: "hard bounce",
      userId: ws.admin.id,
    });
    await live(await published("Welcome", welcomeDesign()));
    await turn(at(5 * HOUR));
    const [email] = await db
      .select({ message: deliveries.message })
      .from(deliveries)
      .where(and(eq(deliveries.workspaceId, workspaceId), eq(deliveries.customerId, ada)));
    expect(email!.message.unsubscribeUrl).toMatch(/^http:\/\/centric\.test\/u\//);
    expect(email!.message.html).toContain(email!.message.unsubscribeUrl!);
    expect(await sentTo(bob)).toEqual([]);
    expect(await sentTo(cy)).toEqual([]);
    const reasons = await db
      .select({ customerId: events.customerId, properties: events.properties })
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), eq(events.event, "Message Skipped")));
    expect(reasons.find((r) => r.customerId === bob)?.properties.reason).toMatch(/^unsubscribed from email/);
    expect(reasons.find((r) => r.customerId === cy)?.properties.reason).toBe(
      "the address is on the suppression list for email: hard bounce",
    );
  });

  it("enters customers as they enter the segment, once or again after the re-entry period, and lets them go when they leave", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test");
    const bob = await customer("Bob Stone", "bob@example.test");
    const once = await published("Once", welcomeDesign());
    await live(once, { exitOnSegmentLeave: true });
    await turn(T0);
    expect(await db.select().from(journeyEnrollments)).toEqual([]);

    await addMembers([ada, bob]);
    await membershipChange(ada, "entered");
    await membershipChange(bob, "entered");
    await turn(T0);
    expect((await enrollmentOf(ada)).state).toBe("active");
    // Bob leaves the segment: he leaves the journey.
    await membershipChange(bob, "left");
    await turn(at(HOUR));
    expect(await enrollmentOf(bob)).toMatchObject({ state: "exited", endReason: "left the segment" });
    // And comes back: once means once.
    await membershipChange(bob, "entered");
    await turn(at(2 * HOUR));
    const bobs = await db.select().from(journeyEnrollments).where(eq(journeyEnrollments.customerId, bob));
    expect(bobs).toHaveLength(1);

    // A journey with a 2-day re-entry period takes him again once it has passed.
    await stopRun(db, { workspaceId, journeyId: once });
    await live(once, { reentryDays: 2 });
    await membershipChange(bob, "entered");
    await turn(at(3 * HOUR));
    expect(
      await db.select().from(journeyEnrollments).where(eq(journeyEnrollments.customerId, bob)),
    ).toHaveLength(1);
    await membershipChange(bob, "entered");
    await turn(at(3 * DAY));
    expect(
      await db.select().from(journeyEnrollments).where(eq(journeyEnrollments.customerId, bob)),
    ).toHaveLength(2);
  });

  it("enrols, within minutes, a member whose entry into the segment it never read", async () => {
    const journeyId = await published("Welcome", welcomeDesign());
    await live(journeyId);
    await turn(T0);
    await turn(T0);
    // A membership the change cursor never saw (its change committed below an id already read).
    const ada = await customer("Ada Lovelace", "ada@example.test");
    await addMembers([ada]);
    await turn(at(60_000));
    expect(await db.select().from(journeyEnrollments)).toEqual([]);
    await turn(at(6 * 60_000));
    expect(await enrollmentOf(ada)).toMatchObject({ state: "active", journeyId });
  });

  it("enrols on a touchpoint's event trigger, splits A/B the same way every time, and tests segment membership", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test");
    const vips = (
      await createSegment(db, {
        workspaceId,
        userId: ws.admin.id,
        name: "VIPs",
        description: "",
        rule: { type: "eventCount", op: "gte", value: 5 },
        schedule: "off",
      })
    ).id;
    await addMembers([ada]);
    await db.insert(segmentMembers).values({ workspaceId, segmentId: vips, customerId: ada });
    const design: JourneyDesignInput = {
      quietHours: null,
      stages: [
        {
          id: "s1",
          name: "Browsing",
          touchpoints: [
            {
              id: "t-viewed",
              channel: "web",
              title: "You looked at {{ event.product }}",
              trigger: { kind: "event", event: "Product Viewed" },
              ownerTeam: "marketing",
            },
            {
              id: "t-a",
              channel: "web",
              title: "Variant A",
              trigger: { kind: "previous" },
              ownerTeam: "marketing",
            },
            {
              id: "t-b",
              channel: "web",
              title: "Variant B",
              trigger: { kind: "previous" },
              ownerTeam: "marketing",
            },
          ],
        },
      ],
      flow: {
        nodes: [
          { kind: "entry", id: "entry", position: pos(0) },
          { kind: "touchpoint", id: "n-viewed", touchpointId: "t-viewed", position: pos(1) },
          {
            kind: "branch",
            id: "n-vip",
            label: "VIP?",
            split: { kind: "segment", segmentId: vips },
            position: pos(2),
          },
          {
            kind: "branch",
            id: "n-ab",
            label: "A/B",
            split: {
              kind: "random",
              variants: [
                { id: "a", label: "A", percent: 50 },
                { id: "b", label: "B", percent: 50 },
              ],
            },
            position: pos(3),
          },
          { kind: "touchpoint", id: "n-a", touchpointId: "t-a", position: pos(4) },
          { kind: "touchpoint", id: "n-b", touchpointId: "t-b", position: pos(4) },
          { kind: "exit", id: "n-not-vip", label: "Not a VIP", position: pos(3) },
        ],
        edges: [
          { id: "e1", source: "n-viewed", target: "n-vip" },
          { id: "e2", source: "n-vip", output: "yes", target: "n-ab" },
          { id: "e3", source: "n-vip", output: "no", target: "n-not-vip" },
          { id: "e4", source: "n-ab", output: "a", target: "n-a" },
          { id: "e5", source: "n-ab", output: "b", target: "n-b" },
        ],
      },
    };
    const journeyId = await published("Viewed", design);
    // Each customer once: the entry leads nowhere, so being in the segment enrols nobody, and the event can.
    await live(journeyId);
    await turn(T0);
    expect(
      await db.select().from(journeyEnrollments).where(eq(journeyEnrollments.workspaceId, workspaceId)),
    ).toEqual([]);
    await insertEvents(db, workspaceId, ada, [
      { event: "Product Viewed", timestamp: at(HOUR), properties: { product: "Comté 24 months" } },
    ]);
    await db.execute(
      sql`update events set received_at = now() - interval '5 seconds' where workspace_id = ${workspaceId}`,
    );
    await turn(at(HOUR + 1000));
    const sent = await sentTo(ada);
    expect(sent[0]).toMatchObject({ subject: "You looked at Comté 24 months", touchpointId: "t-viewed" });
    const variant = sent[1]!.touchpointId;
    expect(["t-a", "t-b"]).toContain(variant);
    const second = await db
      .select({ variants: journeyEnrollments.variants })
      .from(journeyEnrollments)
      .where(and(eq(journeyEnrollments.customerId, ada), eq(journeyEnrollments.nodeId, "n-ab")));
    expect(second).toEqual([]);
    const [latest] = await db
      .select({ variants: journeyEnrollments.variants })
      .from(journeyEnrollments)
      .where(eq(journeyEnrollments.customerId, ada))
      .orderBy(sql`${journeyEnrollments.enteredAt} desc`);
    expect(latest!.variants).toEqual({ "n-ab": variant === "t-a" ? "a" : "b" });
    const { run } = await runState(db, { workspaceId, journeyId });
    expect(run!.variants).toEqual([
      { branchNodeId: "n-ab", variant: variant === "t-a" ? "a" : "b", customers: 1, converted: 0 },
    ]);
  });

  it("moves customers on their way to a new version when the run says so, and stops and pauses", async () => {
    const ada = await customer("Ada Lovelace", "ada@example.test");
    await addMembers([ada]);
    const journeyId = await published("Welcome", welcomeDesign());
    await live(journeyId, { moveToNewVersion: true });
    await turn(T0); // waits for 09:00
    expect((await enrollmentOf(ada)).version).toBe(1);
    await updateJourney(db, {
      workspaceId,
      id: journeyId,
      userId: ws.editor.id,
      revision: 1,
      data: { design: welcomeDesign("New subject") },
    });
    await publishJourney(db, { workspaceId, userId: ws.editor.id, id: journeyId });
    expect((await enrollmentOf(ada)).version).toBe(2);

    await pauseRun(db, { workspaceId, journeyId });
    await turn(at(5 * HOUR));
    expect(await sentTo(ada)).toEqual([]);
    await resumeRun(db, { workspaceId, journeyId });
    await turn(at(5 * HOUR));
    expect((await sentTo(ada)).map((s) => s.subject)).toEqual(["New subject"]);

    const { exited } = await stopRun(db, { workspaceId, journeyId });
    expect(exited).toBe(1);
    expect(await enrollmentOf(ada)).toMatchObject({ state: "exited", endReason: "the journey was stopped" });
    await expect(stopRun(db, { workspaceId, journeyId })).rejects.toThrow(/not running/);
  });

  it("refuses to go live without a published version, twice, or in an unknown time zone", async () => {
    const { id } = await createJourney(db, {
      workspaceId,
      userId: ws.editor.id,
      segmentId,
      name: "Draft only",
      description: "",
      design: welcomeDesign(),
    });
    await expect(live(id)).rejects.toThrow(/Publish the journey first/);
    await publishJourney(db, { workspaceId, userId: ws.editor.id, id });
    await expect(live(id, { timezone: "Mars/Olympus" })).rejects.toThrow(/not a time zone/);
    await live(id);
    await expect(live(id)).rejects.toThrow(/live already/);
  });
});

import { and, asc, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import type { Channel } from "~/db/enums";
import {
  deliveries,
  events,
  journeyEnrollments,
  segmentMembers,
  segmentMembershipChanges,
} from "~/db/schema";
import { setConsent } from "~/server/consent/store";
import { insertCustomer, insertEvents, type EventSeed } from "~/server/customers/test-fixtures";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import type { JourneyDesignInput } from "../design";
import { dryRun } from "./dry-run";
import { runnerKit, type RunnerKit } from "./test-kit";

// Touchpoints on the customer's best channel and at their best hour, run on
// both databases with the clock in the test's hands: the preferred channel
// unsubscribed sends on the next of the order; the best hour waits for the
// customer's evening inside the send window; an A/B split of best hour against
// the fixed hour is two touchpoints that differ only in timing.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Monday, 05:00 UTC: 06:00 in Berlin (UTC+1 in March). */
const T0 = new Date("2030-03-04T05:00:00Z");
const pos = (x: number) => ({ x: x * 200, y: 0 });

/** `n` events named `event` on `channel`, one a day at `hourUtc`:15, the last two days before T0. */
const daily = (n: number, event: string, channel: Channel, hourUtc = 12): EventSeed[] =>
  Array.from({ length: n }, (_, k) => ({
    event,
    channel,
    timestamp: new Date(
      T0.getTime() - (k + 2) * DAY - T0.getUTCHours() * HOUR + hourUtc * HOUR + 15 * 60_000,
    ),
  }));

const oneTouchpoint = (touchpoint: Record<string, unknown>): JourneyDesignInput => ({
  stages: [
    {
      id: "s-1",
      name: "Welcome",
      touchpoints: [
        {
          id: "t-1",
          title: "Welcome",
          trigger: { kind: "segmentEntry" },
          ownerTeam: "marketing",
          ...touchpoint,
        } as never,
      ],
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: pos(0) },
      { kind: "touchpoint", id: "n-1", touchpointId: "t-1", position: pos(1) },
    ],
    edges: [{ id: "e1", source: "entry", target: "n-1" }],
  },
});

/** An A/B test: half at the customer's best hour, half at the fixed hour, otherwise the same message. */
const bestHourAgainstFixed: JourneyDesignInput = {
  stages: [
    {
      id: "s-1",
      name: "Welcome",
      touchpoints: ["best", "fixed"].map((variant) => ({
        id: `t-${variant}`,
        channel: "web" as const,
        title: "Welcome",
        trigger: { kind: "previous" as const },
        sendWindow: { startHour: 9, endHour: 21 },
        sendAtBestHour: variant === "best",
        ownerTeam: "marketing" as const,
      })),
    },
  ],
  flow: {
    nodes: [
      { kind: "entry", id: "entry", position: pos(0) },
      {
        kind: "branch",
        id: "n-ab",
        label: "Best hour or fixed hour?",
        split: {
          kind: "random",
          variants: [
            { id: "best", label: "Best hour", percent: 50 },
            { id: "fixed", label: "Fixed hour", percent: 50 },
          ],
        },
        position: pos(1),
      },
      { kind: "touchpoint", id: "n-best", touchpointId: "t-best", position: pos(2) },
      { kind: "touchpoint", id: "n-fixed", touchpointId: "t-fixed", position: pos(2) },
    ],
    edges: [
      { id: "e1", source: "entry", target: "n-ab" },
      { id: "e2", source: "n-ab", output: "best", target: "n-best" },
      { id: "e3", source: "n-ab", output: "fixed", target: "n-fixed" },
    ],
  },
};

describeEachDatabase("best channel and best hour in running journeys", (getDb) => {
  let db: Database;
  let kit: RunnerKit;
  let workspaceId: string;
  let segmentId: string;
  const turn: RunnerKit["turn"] = (now) => kit.turn(now);
  const liveJourney = async (design: JourneyDesignInput) => {
    const id = await kit.published("Best", design);
    await kit.live(id);
    return id;
  };

  const customer = async (name: string, email: string | null, history: EventSeed[], timezone?: string) => {
    const id = await insertCustomer(db, workspaceId, { name, email, traits: timezone ? { timezone } : {} });
    await insertEvents(db, workspaceId, id, history);
    await db.insert(segmentMembers).values({ workspaceId, segmentId, customerId: id });
    return id;
  };
  const sentTo = (customerId: string) =>
    db
      .select({ channel: deliveries.channel, createdAt: deliveries.createdAt })
      .from(deliveries)
      .where(and(eq(deliveries.workspaceId, workspaceId), eq(deliveries.customerId, customerId)))
      .orderBy(asc(deliveries.createdAt));
  const messageSent = async (customerId: string) => {
    const [row] = await db
      .select({ channel: events.channel, properties: events.properties })
      .from(events)
      .where(
        and(
          eq(events.workspaceId, workspaceId),
          eq(events.customerId, customerId),
          eq(events.event, "Message Sent"),
        ),
      );
    return row;
  };
  const variantOf = async (customerId: string) => {
    const [row] = await db
      .select({ variants: journeyEnrollments.variants })
      .from(journeyEnrollments)
      .where(
        and(eq(journeyEnrollments.workspaceId, workspaceId), eq(journeyEnrollments.customerId, customerId)),
      );
    return row!.variants["n-ab"];
  };

  /** Seed 001's email reader: reads the newsletter, and its clicks lead to product pages and orders on the web. */
  const emailReader = () => [
    ...daily(14, "Email Opened", "email"),
    ...daily(6, "Email Clicked", "email"),
    ...daily(20, "Product Viewed", "web"),
    ...daily(4, "Order Completed", "web"),
  ];

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    kit = await runnerKit(db, "Best choices");
    ({ workspaceId, segmentId } = kit);
  });

  it("sends on the preferred channel, and on the next of the order when the preferred one is unsubscribed", async () => {
    const ada = await customer("Ada", "ada@example.test", emailReader());
    const bea = await customer("Bea", "bea@example.test", emailReader());
    await setConsent(db, {
      workspaceId,
      customerId: bea,
      channels: ["email"],
      state: "unsubscribed",
      source: "manual",
      actorUserId: kit.ws.admin.id,
    });
    // No history: no preferred channel, so the first of the order that reaches them.
    const cal = await customer("Cal", null, []);
    await liveJourney(oneTouchpoint({ channel: "mobile", bestChannel: { fallback: ["email", "web"] } }));
    await turn(T0);

    expect((await sentTo(ada)).map((s) => s.channel)).toEqual(["email"]);
    expect(await messageSent(ada)).toMatchObject({
      channel: "email",
      properties: {
        channelReason:
          "preferred channel: reads email (14 opens, 6 clicks) and buys on the web (4 orders): email reaches them best",
      },
    });
    // Bea unsubscribed from email: mobile is first in the order and reaches her.
    expect((await sentTo(bea)).map((s) => s.channel)).toEqual(["mobile"]);
    expect((await messageSent(bea))?.properties.channelReason).toMatch(
      /^the preferred channel, email, does not reach them \(unsubscribed from email by hand on \d{4}-\d\d-\d\d\); first in the order \(mobile, email, web\) that reaches them$/,
    );
    expect((await sentTo(cal)).map((s) => s.channel)).toEqual(["mobile"]);
    expect((await messageSent(cal))?.properties.channelReason).toMatch(
      /^no preferred channel \(too few reactions/,
    );
  });

  it("sends at the customer's best hour inside the send window, else at the fixed timing", async () => {
    // Active at 19:15 in Berlin (18:15 UTC in winter) on 10 evenings.
    const dan = await customer("Dan", null, daily(10, "Product Viewed", "web", 18), "Europe/Berlin");
    const eve = await customer("Eve", null, daily(3, "Product Viewed", "web", 18), "Europe/Berlin");
    await liveJourney(
      oneTouchpoint({ channel: "web", sendAtBestHour: true, sendWindow: { startHour: 9, endHour: 21 } }),
    );
    await turn(T0);
    expect(await sentTo(dan)).toEqual([]);
    await turn(new Date(T0.getTime() + 3 * HOUR)); // 09:00 in Berlin
    expect(await sentTo(dan)).toEqual([]);
    expect((await sentTo(eve)).map((s) => s.createdAt)).toEqual([new Date("2030-03-04T08:00:00Z")]);
    expect((await messageSent(eve))?.properties.timingReason).toBe(
      "no best hour (too few events in the last 180 days (3; 8 needed): no best hour): the touchpoint's own timing",
    );
    await turn(new Date("2030-03-04T18:00:00Z")); // 19:00 in Berlin
    expect((await sentTo(dan)).map((s) => s.createdAt)).toEqual([new Date("2030-03-04T18:00:00Z")]);
    expect((await messageSent(dan))?.properties.timingReason).toBe(
      "best hour: usually active 19:00–21:00 Europe/Berlin, from 10 events (10 in those hours)",
    );
  });

  it("splits best hour against fixed hour as an A/B test, and the dry run follows the same rules", async () => {
    const evenings = Array.from({ length: 12 }, (_, i) =>
      customer(`Night owl ${i}`, null, daily(10, "Product Viewed", "web", 18), "Europe/Berlin"),
    );
    const ids = await Promise.all(evenings);
    const journeyId = await liveJourney(bestHourAgainstFixed);
    await turn(T0);
    await turn(new Date(T0.getTime() + 3 * HOUR)); // 09:00 in Berlin: the fixed hour
    await turn(new Date("2030-03-04T18:00:00Z")); // 19:00 in Berlin: the best hour
    const variants = new Set<string>();
    for (const id of ids) {
      const variant = (await variantOf(id))!;
      variants.add(variant);
      expect((await sentTo(id)).map((s) => s.createdAt)).toEqual([
        variant === "best" ? new Date("2030-03-04T18:00:00Z") : new Date("2030-03-04T08:00:00Z"),
      ]);
      expect((await messageSent(id))?.properties).toMatchObject({ variant });
    }
    expect(variants).toEqual(new Set(["best", "fixed"]));

    // The dry run takes the same customers' entries through the same step: the same hours.
    await db.insert(segmentMembershipChanges).values(
      ids.map((customerId) => ({
        workspaceId,
        segmentId,
        customerId,
        change: "entered" as const,
        cause: "test",
        at: T0,
      })),
    );
    const dry = await dryRun(db, {
      workspaceId,
      journeyId,
      timezone: "UTC",
      holdoutPercent: 0,
      now: new Date(T0.getTime() + HOUR),
    });
    expect(dry.customers).toHaveLength(ids.length);
    for (const c of dry.customers) {
      const [message] = c.messages;
      expect(message!.localTime).toBe(message!.variant === "best" ? "19:00" : "09:00");
      if (message!.variant === "best")
        expect(message!.timingReason).toMatch(/^best hour: usually active 19:00–21:00/);
    }
  });
});

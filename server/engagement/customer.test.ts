import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { setConsent } from "~/server/consent/store";
import { insertCustomer, insertEvents } from "~/server/customers/test-fixtures";
import { writeJourneyEvents } from "~/server/journeys/run/timeline";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { customerBestChoices } from "./customer";

// The customer page's best channel, reachable channels and best hour, read from
// the database: only the customer's own events of the last 180 days count.

const NOW = new Date("2030-03-04T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (days: number, hourUtc = 18) =>
  new Date(Date.UTC(2030, 2, 4) - days * DAY + hourUtc * 3_600_000 + 15 * 60_000);

describeEachDatabase("a customer's best channel and hour", (getDb) => {
  let db: Database;
  let ws: Awaited<ReturnType<typeof makeWorkspace>>;

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    ws = await makeWorkspace(db, "Choices");
  });

  it("reads the reactions, the reachability and the hours, with reasons", async () => {
    const workspaceId = ws.workspace.id;
    const id = await insertCustomer(db, workspaceId, {
      name: "Ada",
      email: "ada@example.test",
      traits: { timezone: "Europe/Berlin" },
    });
    await insertEvents(db, workspaceId, id, [
      ...[1, 2, 3, 4, 5].map((d) => ({
        event: "Email Opened",
        channel: "email" as const,
        timestamp: daysAgo(d),
      })),
      ...[1, 2].map((d) => ({ event: "Email Clicked", channel: "email" as const, timestamp: daysAgo(d) })),
      { event: "Order Completed", channel: "web", timestamp: daysAgo(1) },
      { type: "page", event: null, channel: "web", timestamp: daysAgo(3) },
      // Older than 180 days, and not theirs: not counted.
      { event: "Email Opened", channel: "email", timestamp: daysAgo(200) },
      { type: "identify", event: null, channel: "web", timestamp: daysAgo(1) },
    ]);
    await writeJourneyEvents(db, [
      {
        workspaceId,
        customerId: id,
        key: "k",
        event: "Message Sent",
        channel: "email",
        properties: {},
        at: daysAgo(1),
      },
    ]);
    await setConsent(db, {
      workspaceId,
      customerId: id,
      channels: ["mobile"],
      state: "unsubscribed",
      source: "manual",
      actorUserId: ws.admin.id,
    });

    const choices = await customerBestChoices(db, workspaceId, id, NOW);
    expect(choices.preferred).toEqual({
      channel: "email",
      reason: "Reads email (5 opens, 2 clicks) and buys on the web (1 order): email reaches them best",
    });
    expect(choices.reactions).toEqual(
      expect.arrayContaining([
        { channel: "email", opens: 5, clicks: 2, visits: 0, purchases: 0, lastAt: daysAgo(1) },
        { channel: "web", opens: 0, clicks: 0, visits: 1, purchases: 1, lastAt: daysAgo(1) },
      ]),
    );
    expect(choices.reachable.find((r) => r.channel === "email")).toEqual({
      channel: "email",
      allowed: true,
      reason: null,
    });
    expect(choices.reachable.find((r) => r.channel === "mobile")).toMatchObject({ allowed: false });
    expect(choices.reachable.find((r) => r.channel === "mobile")!.reason).toMatch(
      /^unsubscribed from mobile by hand/,
    );
    expect(choices.bestHour).toEqual({
      hours: { startHour: 19, endHour: 21 },
      timeZone: "Europe/Berlin",
      reason: "Usually active 19:00–21:00 Europe/Berlin, from 9 events (9 in those hours)",
    });
    expect(choices.timeZoneKnown).toBe(true);
  });

  it("refuses a customer of another workspace", async () => {
    const other = await makeWorkspace(db, "Other");
    const id = await insertCustomer(db, other.workspace.id, { name: "Bo" });
    await expect(customerBestChoices(db, ws.workspace.id, id, NOW)).rejects.toThrow("No such customer");
  });
});

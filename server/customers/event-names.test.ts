import { expect, it } from "vitest";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { listEventNames } from "./event-names";
import { insertCustomer, insertEvents } from "./test-fixtures";

describeEachDatabase("event names", (getDb) => {
  it("lists the workspace's event names once each, with their channels, and nothing of another workspace", async () => {
    const db = getDb();
    await truncateAllTables(db);
    const { workspace, viewer } = await makeWorkspace(db);
    const other = await makeWorkspace(db, "Other");
    const at = new Date("2026-03-01T09:00:00Z");
    const ann = await insertCustomer(db, workspace.id, { name: "Ann" });
    await insertEvents(db, workspace.id, ann, [
      { event: "Order Completed", channel: "store", timestamp: at },
      { event: "Order Completed", channel: "web", timestamp: at },
      { event: "Order Completed", channel: "web", timestamp: at },
      { event: "Newsletter Opened", channel: "email", timestamp: at },
      { event: "Ästhetik Kurs", channel: "web", timestamp: at },
      // Pages and identifies have no event name: not suggested.
      { type: "page", event: null, channel: "web", timestamp: at },
      { type: "identify", event: null, channel: "web", timestamp: at },
    ]);
    const bob = await insertCustomer(db, other.workspace.id, { name: "Bob" });
    await insertEvents(db, other.workspace.id, bob, [
      { event: "Secret Launch", channel: "web", timestamp: at },
    ]);

    // In the reader's order (Ä with A), channels in their usual order.
    const expected = [
      { event: "Ästhetik Kurs", channels: ["web"] },
      { event: "Newsletter Opened", channels: ["email"] },
      { event: "Order Completed", channels: ["web", "store"] },
    ];
    expect(await listEventNames(db, workspace.id)).toEqual(expected);
    // What a viewer's event fields suggest, through the API.
    const caller = callerAs(db, viewer);
    expect(await caller.customer.eventNames({ workspaceId: workspace.id })).toEqual(expected);
    expect(await listEventNames(db, other.workspace.id)).toEqual([
      { event: "Secret Launch", channels: ["web"] },
    ]);
  });
});

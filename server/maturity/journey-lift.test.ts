import { beforeEach, expect, it } from "vitest";
import type { Database } from "~/db";
import { journeyEnrollments } from "~/db/schema";
import { insertCustomer, insertEvents } from "~/server/customers/test-fixtures";
import type { JourneyDesignInput } from "~/server/journeys/design";
import { goLive } from "~/server/journeys/run/control";
import { createJourney } from "~/server/journeys/store";
import { publishJourney } from "~/server/journeys/versions";
import { createSegment } from "~/server/segments/store";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { computeIndicators } from "./indicator-data";
import { journeyLifts } from "./journey-lift";

// The journeys' proven lift as the scorecard and the maturity indicators read
// it: one journey whose customers clearly outspent its holdout, one whose did
// not, and the share of measured customers in the first.

const DAY = 86_400_000;
const now = new Date("2030-06-01T00:00:00Z");
const entered = new Date(now.getTime() - 40 * DAY);

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
          title: "Our summer offer",
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
    ],
    edges: [{ id: "e1", source: "entry", target: "n-offer" }],
  },
};

describeEachDatabase("journey lift for the scorecard", (getDb) => {
  let db: Database;
  let workspaceId: string;
  let editorId: string;
  let segmentId: string;

  beforeEach(async () => {
    db = getDb();
    await truncateAllTables(db);
    const ws = await makeWorkspace(db, "Lift");
    workspaceId = ws.workspace.id;
    editorId = ws.editor.id;
    segmentId = (
      await createSegment(db, {
        workspaceId,
        userId: ws.admin.id,
        name: "Summer",
        description: "",
        rule: { type: "eventCount", op: "gte", value: 1 },
        schedule: "off",
      })
    ).id;
  });

  /** A journey that ran with a holdout, its entrants 40 days ago, and what each side spent since. */
  const ranWithHoldout = async (name: string, spend: { treatment: number[]; holdout: number[] }) => {
    const { id: journeyId } = await createJourney(db, {
      workspaceId,
      userId: editorId,
      segmentId,
      name,
      description: "",
      design,
    });
    await publishJourney(db, { workspaceId, userId: editorId, id: journeyId });
    const { runId } = await goLive(db, {
      workspaceId,
      journeyId,
      userId: editorId,
      reentryDays: null,
      exitOnSegmentLeave: false,
      moveToNewVersion: false,
      timezone: "UTC",
      holdoutPercent: 50,
    });
    for (const [side, amounts] of Object.entries(spend)) {
      for (const amount of amounts) {
        const customerId = await insertCustomer(db, workspaceId, { name: `${name} ${side}` });
        await db.insert(journeyEnrollments).values({
          workspaceId,
          runId,
          journeyId,
          customerId,
          version: 1,
          state: "completed",
          nodeId: "n-offer",
          enteredAt: entered,
          endedAt: entered,
          holdout: side === "holdout",
        });
        if (amount > 0)
          await insertEvents(db, workspaceId, customerId, [
            { event: "Order Completed", amount, timestamp: new Date(entered.getTime() + 3 * DAY) },
          ]);
      }
    }
  };

  it("counts the measured customers of the journeys whose customers beat their holdout", async () => {
    // Nobody measured yet: the indicators say why they have no value.
    expect(await journeyLifts(db, workspaceId, now)).toEqual([]);

    // Twenty treatment customers spent 40–59 each; the holdout spent nothing.
    await ranWithHoldout("Proven", {
      treatment: Array.from({ length: 20 }, (_, i) => 40 + i),
      holdout: Array.from({ length: 20 }, () => 0),
    });
    // Both sides spent alike.
    await ranWithHoldout("Unproven", {
      treatment: [0, 30, 0, 25, 0, 40, 0, 0, 35, 0],
      holdout: [30, 0, 0, 40, 0, 25, 0, 35, 0, 0],
    });
    const lifts = await journeyLifts(db, workspaceId, now);
    expect(lifts.map((l) => [l.name, l.customers, l.provenLift, l.provenValueLift])).toEqual([
      ["Unproven", 20, false, false],
      ["Proven", 40, true, false],
    ]);
    expect(lifts[1]!.revenue).toMatchObject({ significant: "higher", treatment: { n: 20, value: 49.5 } });

    const snapshot = await computeIndicators(db, { workspaceId, now });
    // 40 of the 60 customers measured are in the journey that proved its lift.
    expect(snapshot.values.find((v) => v.key === "journey-proven-lift")).toEqual({
      key: "journey-proven-lift",
      value: 66.7,
      note: "40 of 60 customers measured are in “Proven”, which proved a lift in conversion or revenue",
    });
    // No value fit since entry: no change in predicted value to prove.
    expect(snapshot.values.find((v) => v.key === "journey-value-lift")).toMatchObject({
      value: 0,
      note: "none of 2 journeys with a holdout has proven a rise in predicted value yet (60 customers measured)",
    });
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import type { DbOrTx } from "~/db";
import { journeys, journeyVersions, segmentMembers, segments, valueFits } from "~/db/schema";
import { emptyDesign } from "~/server/journeys/design";
import { insertCustomer, insertIdentity } from "~/server/customers/test-fixtures";
import type { ValueDiagnostics } from "~/server/valuation/types";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import {
  computeIndicators,
  holdoutAccuracy,
  indicatorsByDimension,
  workspaceIndicators,
} from "./indicator-data";
import type { IndicatorSnapshot } from "./indicators";
import { builtInModel } from "./model";
import { makeAssessment } from "./test-fixtures";

const now = new Date("2026-06-30T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600 * 1000);

const week = (w: number, actual: number, predicted: number, holdout: boolean) => ({
  week: w,
  date: `2026-01-0${w}`,
  actual,
  predicted,
  holdout,
});

describe("holdoutAccuracy", () => {
  it("compares the purchases in the holdout weeks, not the cumulative totals", () => {
    const tracking = [
      week(1, 60, 58, false),
      week(2, 100, 98, false),
      week(3, 125, 121, true),
      week(4, 150, 145, true),
    ];
    // 50 happened, 47 were predicted: 6% off.
    expect(holdoutAccuracy({ tracking })).toEqual({ value: 94, actual: 50, predicted: 47, weeks: 2 });
    expect(holdoutAccuracy({ tracking: tracking.slice(0, 2) })).toBeNull();
    // Off by more than all of it: 0, not negative.
    expect(holdoutAccuracy({ tracking: [week(1, 10, 10, false), week(2, 20, 60, true)] })?.value).toBe(0);
  });
});

async function insertFit(
  db: DbOrTx,
  workspaceId: string,
  fit: { status: "succeeded" | "failed"; finishedAt: Date; tracking?: ValueDiagnostics["tracking"] },
) {
  await db.insert(valueFits).values({
    workspaceId,
    status: fit.status,
    calibrationEnd: "2026-05-01",
    horizonWeeks: 52,
    discountRate: 0.1,
    finishedAt: fit.finishedAt,
    createdAt: fit.finishedAt,
    diagnostics: fit.tracking
      ? {
          tracking: fit.tracking,
          frequency: [],
          aliveHeatmap: { frequencies: [], recencies: [], T: 0, values: [] },
        }
      : null,
  });
}

describeEachDatabase("maturity indicators from data", (getDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;

  beforeEach(async () => {
    await truncateAllTables(getDb());
    f = await makeWorkspace(getDb(), "Brand A");
  });

  /**
   * Four standing profiles and one merged away:
   *   c1 active, web+email, 5 events, e-mail + anonymous id (2 kinds, known), in a segment
   *   c2 active, web + 'other' (one channel that counts), 5 events, anonymous id only
   *   c3 last seen 400 days ago, store+web, 2 events, user id (1 kind, known), in a segment
   *   c5 active, mobile+store+social, 4 events, e-mail + phone (2 kinds, known)
   *   c4 merged into c1: left out of everything
   */
  async function fixture(db: DbOrTx, workspaceId: string) {
    const c1 = await insertCustomer(db, workspaceId, {
      lastSeenAt: daysAgo(10),
      channelCounts: { web: 3, email: 2 },
      eventCount: 5,
    });
    const c2 = await insertCustomer(db, workspaceId, {
      lastSeenAt: daysAgo(10),
      channelCounts: { web: 1, other: 4 },
      eventCount: 5,
    });
    const c3 = await insertCustomer(db, workspaceId, {
      lastSeenAt: daysAgo(400),
      channelCounts: { store: 1, web: 1 },
      eventCount: 2,
    });
    await insertCustomer(db, workspaceId, {
      lastSeenAt: daysAgo(5),
      channelCounts: { store: 9, web: 1 },
      eventCount: 10,
      mergedInto: c1,
    });
    const c5 = await insertCustomer(db, workspaceId, {
      lastSeenAt: daysAgo(20),
      channelCounts: { mobile: 2, store: 1, social: 1 },
      eventCount: 4,
    });
    await insertIdentity(db, workspaceId, c1, "email", `c1-${workspaceId}@example.test`);
    await insertIdentity(db, workspaceId, c1, "anonymous_id", `anon-1-${workspaceId}`);
    await insertIdentity(db, workspaceId, c2, "anonymous_id", `anon-2-${workspaceId}`);
    await insertIdentity(db, workspaceId, c3, "user_id", `user-3-${workspaceId}`);
    await insertIdentity(db, workspaceId, c5, "email", `c5-${workspaceId}@example.test`);
    await insertIdentity(db, workspaceId, c5, "phone", `+3161234${workspaceId.slice(0, 4)}`);
    const [segment] = await db
      .insert(segments)
      .values({ workspaceId, name: "Buyers", rule: { type: "eventCount", op: "gte", value: 1 } })
      .returning({ id: segments.id });
    // Two segments, one with a published journey and one with a draft only: 50%.
    const [lapsed] = await db
      .insert(segments)
      .values({ workspaceId, name: "Lapsed", rule: { type: "eventCount", op: "gte", value: 1 } })
      .returning({ id: segments.id });
    const [welcome] = await db
      .insert(journeys)
      .values([
        { workspaceId, segmentId: segment!.id, name: "Welcome", draft: emptyDesign(), publishedVersion: 1 },
        { workspaceId, segmentId: lapsed!.id, name: "Win back", draft: emptyDesign() },
      ])
      .returning({ id: journeys.id });
    await db
      .insert(journeyVersions)
      .values({ workspaceId, journeyId: welcome!.id, version: 1, design: emptyDesign() });
    await db.insert(segmentMembers).values([
      { workspaceId, segmentId: segment!.id, customerId: c1 },
      { workspaceId, segmentId: segment!.id, customerId: c3 },
    ]);
    await insertFit(db, workspaceId, {
      status: "succeeded",
      finishedAt: daysAgo(40),
      tracking: [week(1, 100, 98, false), week(2, 150, 145, true)],
    });
    // A newer fit that failed does not make the model younger.
    await insertFit(db, workspaceId, { status: "failed", finishedAt: daysAgo(1) });
  }

  const valueOf = (snapshot: IndicatorSnapshot, key: string) =>
    snapshot.values.find((v) => v.key === key)?.value;

  it("computes each indicator as hand-counted, and groups them by dimension with the level they suggest", async () => {
    const db = getDb();
    await fixture(db, f.workspace.id);
    const other = await makeWorkspace(db, "Brand B");
    await insertCustomer(db, other.workspace.id, {
      lastSeenAt: daysAgo(1),
      channelCounts: { web: 1 },
      eventCount: 50,
    });

    const snapshot = await computeIndicators(db, { workspaceId: f.workspace.id, now });
    expect(snapshot.asOf).toBe(now.toISOString());
    // c1 and c5 of the three active (c2's 'other' does not count).
    expect(valueOf(snapshot, "multichannel-customers")).toBe(66.7);
    // c1 and c5 of the four standing profiles link two kinds of identifier.
    expect(valueOf(snapshot, "identity-match-rate")).toBe(50);
    // Events of c1, c3 and c5 (5 + 2 + 4) of 16.
    expect(valueOf(snapshot, "resolved-events")).toBe(68.8);
    // c1 of the three active (c3 is in the segment but inactive).
    expect(valueOf(snapshot, "segmented-customers")).toBe(33.3);
    expect(valueOf(snapshot, "value-model-age")).toBe(40);
    expect(valueOf(snapshot, "value-model-accuracy")).toBe(94);
    expect(snapshot.values.find((v) => v.key === "segments-with-journey")).toMatchObject({
      value: 50,
      note: "1 of 2 segments",
    });
    // Published, but without a goal (indicator-data.journeys.test.ts counts conversions).
    expect(snapshot.values.find((v) => v.key === "journey-goal-conversion")).toMatchObject({
      value: null,
      note: "no published journey has a stage with a goal",
    });

    const grouped = indicatorsByDimension(builtInModel, snapshot, { recognition: 5, "cross-channel": 4 });
    const byKey = Object.fromEntries(grouped.dimensions.map((d) => [d.dimensionKey, d]));
    expect(byKey["cross-channel"]).toMatchObject({ suggested: { level: 4 }, disagreement: null });
    // 50% match reaches level 3, 68.8% resolved reaches level 3: the data holds recognition at 3.
    expect(byKey.recognition!.suggested).toMatchObject({ level: 3 });
    expect(byKey.recognition!.disagreement).toBe("data suggests level 3 (lower than the self-score 5)");
    // 33.3% segmented: level 2, whatever the 50% with a journey (level 4); goal conversion has no value and is left out.
    expect(byKey.personalisation!.suggested).toMatchObject({ level: 2, limitedBy: ["segmented-customers"] });
    expect(byKey.personalisation!.suggested!.readings.map((r) => r.key)).toEqual([
      "segmented-customers",
      "segments-with-journey",
    ]);
    // 40 days old: level 3; 94% accurate: level 5; the lower holds.
    expect(byKey["customer-value"]!.suggested).toMatchObject({ level: 3, limitedBy: ["value-model-age"] });
    expect(byKey["customer-value"]!.indicators.map((i) => [i.key, i.level])).toEqual([
      ["value-model-age", 3],
      ["value-model-accuracy", 5],
      ["journey-value-lift", null],
    ]);
    // No journey has run with a holdout: the lift indicators are not available, and say why.
    expect(snapshot.values.find((v) => v.key === "journey-proven-lift")).toMatchObject({
      value: null,
      note: "no journey has run with a holdout yet",
    });
    expect(Object.keys(byKey)).not.toContain("governance");
  });

  it("reads an empty workspace as not available, except a value model never fitted, which is level 1", async () => {
    const snapshot = await computeIndicators(getDb(), { workspaceId: f.workspace.id, now });
    expect(snapshot.values.filter((v) => v.value !== null)).toEqual([]);
    const grouped = indicatorsByDimension(builtInModel, snapshot);
    const byKey = Object.fromEntries(grouped.dimensions.map((d) => [d.dimensionKey, d]));
    expect(byKey.recognition!.suggested).toBeNull();
    expect(byKey["customer-value"]!.suggested).toMatchObject({ level: 1, limitedBy: ["value-model-age"] });
  });

  it("keeps the figures for an hour unless asked to refresh", async () => {
    const db = getDb();
    const workspaceId = f.workspace.id;
    const first = await workspaceIndicators(db, { workspaceId, now });
    await fixture(db, workspaceId);
    const later = new Date(now.getTime() + 30 * 60 * 1000);
    expect(await workspaceIndicators(db, { workspaceId, now: later })).toEqual(first);
    const refreshed = await workspaceIndicators(db, { workspaceId, now: later, refresh: true });
    expect(valueOf(refreshed, "identity-match-rate")).toBe(50);
    const expired = new Date(later.getTime() + 61 * 60 * 1000);
    expect((await workspaceIndicators(db, { workspaceId, now: expired })).asOf).toBe(expired.toISOString());
  });

  it("shows the indicators beside an assessment's levels through the router, for viewers too", async () => {
    const db = getDb();
    await fixture(db, f.workspace.id);
    const assessmentId = await makeAssessment(db, {
      workspaceId: f.workspace.id,
      assessedOn: "2026-06-01",
      sheets: [{ assessor: f.editor, scores: { recognition: 1, personalisation: 2 } }],
    });
    const report = await callerAs(db, f.viewer).maturity.indicators({
      workspaceId: f.workspace.id,
      assessmentId,
      refresh: true,
    });
    const recognition = report.dimensions.find((d) => d.dimensionKey === "recognition")!;
    expect(recognition.selfScore).toBe(1);
    expect(recognition.disagreement).toBe("data suggests level 3 (higher than the self-score 1)");
    expect(recognition.indicators[0]).toMatchObject({
      key: "identity-match-rate",
      definition: expect.stringContaining("two or more kinds of identifier"),
      value: 50,
      level: 3,
    });
    expect(report.dimensions.find((d) => d.dimensionKey === "personalisation")!.disagreement).toBeNull();
  });
});

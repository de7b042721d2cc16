import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { memberships, segments, valueFits } from "~/db/schema";
import { describeEachDatabase, transactionPerTest } from "~/test/databases";
import { callerAs, makeUser, makeWorkspace } from "~/test/fixtures";
import { createJourney } from "~/server/journeys/store";
import { scorecardCsv, scorecardFileName } from "./scorecard";
import { makeAssessment } from "./test-fixtures";

describe("scorecardFileName", () => {
  it("names the workspace and the day", () => {
    expect(scorecardFileName("Northwind Retail!", "2026-06-30")).toBe(
      "northwind-retail-maturity-scorecard-2026-06-30.csv",
    );
  });
});

describeEachDatabase("maturity scorecard and initiatives", (getFileDb) => {
  let a: Awaited<ReturnType<typeof makeWorkspace>>;

  beforeAll(async () => {
    a = await makeWorkspace(getFileDb(), "Brand A");
  });

  // The fixture is built once per database; each test runs in a transaction that is rolled back.
  const getDb = transactionPerTest(getFileDb);

  it("manages initiatives with an owner and the segments that deliver them", async () => {
    const db = getDb();
    const workspaceId = a.workspace.id;
    const [segment] = await db
      .insert(segments)
      .values({ workspaceId, name: "Loyal weekly", rule: { type: "eventCount", op: "gte", value: 1 } })
      .returning({ id: segments.id });
    const { id: journeyId } = await createJourney(db, {
      workspaceId,
      userId: a.editor.id,
      segmentId: segment!.id,
      name: "From first order to weekly",
      description: "",
    });
    const missing = "00000000-0000-4000-8000-00000000000a";
    const editor = callerAs(db, a.editor).maturity.initiative;
    const { id } = await editor.create({
      workspaceId,
      dimensionKey: "personalisation",
      title: "Journeys per segment",
      ownerId: a.viewer.id,
      dueDate: "2026-12-31",
      links: [
        { kind: "segment", targetId: segment!.id },
        { kind: "journey", targetId: journeyId },
      ],
    });
    await editor.create({
      workspaceId,
      dimensionKey: "governance",
      title: "Data council",
      ownerName: "CFO office",
    });
    const list = await callerAs(db, a.viewer).maturity.initiative.list({ workspaceId });
    // The built-in model's order: personalisation comes before governance.
    expect(list.map((i) => [i.title, i.owner?.name, i.status])).toEqual([
      ["Journeys per segment", a.viewer.name, "planned"],
      ["Data council", "CFO office", "planned"],
    ]);
    expect(list[0]!.links).toEqual([
      { kind: "segment", targetId: segment!.id, name: "Loyal weekly" },
      { kind: "journey", targetId: journeyId, name: "From first order to weekly" },
    ]);

    await editor.update({
      workspaceId,
      id,
      data: {
        dimensionKey: "personalisation",
        title: "Journeys per segment",
        status: "in_progress",
        links: [],
      },
    });
    const [updated] = await callerAs(db, a.viewer).maturity.initiative.list({
      workspaceId,
      dimensionKey: "personalisation",
    });
    expect(updated).toMatchObject({ status: "in_progress", owner: null, links: [] });

    const outsider = await makeUser(db, "outsider");
    const refused = await editor
      .create({
        workspaceId,
        dimensionKey: "governance",
        title: "Owned by a stranger",
        ownerId: outsider.id,
        links: [
          { kind: "segment", targetId: journeyId },
          { kind: "journey", targetId: missing },
        ],
      })
      .catch((error: TRPCError) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).cause).toMatchObject({
      issues: [
        { path: "ownerId", message: "the owner must be a member of this workspace" },
        { path: "links[0].targetId", message: "no such segment in this workspace" },
        { path: "links[1].targetId", message: "no such journey in this workspace" },
      ],
    });
    await editor.remove({ workspaceId, id });
    expect((await editor.list({ workspaceId })).map((i) => i.title)).toEqual(["Data council"]);
  });

  it("shows the latest final assessment against the previous one and the target, with the trend and top gaps", async () => {
    const db = getDb();
    const workspaceId = a.workspace.id;
    await makeAssessment(db, {
      workspaceId,
      title: "Winter",
      assessedOn: "2026-01-15",
      sheets: [{ assessor: a.editor, scores: { recognition: 1, "cross-channel": 2, governance: 2 } }],
    });
    // Still open: work in progress, not on the scorecard.
    await makeAssessment(db, {
      workspaceId,
      assessedOn: "2026-09-01",
      sheets: [{ assessor: a.editor, scores: { recognition: 5 } }],
      open: true,
    });
    await makeAssessment(db, {
      workspaceId,
      title: "Summer",
      assessedOn: "2026-07-01",
      sheets: [
        { assessor: a.editor, scores: { recognition: 2, "cross-channel": 2, governance: 3 } },
        { assessor: a.admin, scores: { recognition: 3, "cross-channel": 3, governance: 3 } },
      ],
      targets: { recognition: { level: 4, date: "2026-12-31" }, governance: { level: 3 } },
      reviewer: a.admin,
    });
    await callerAs(db, a.editor).maturity.initiative.create({
      workspaceId,
      dimensionKey: "recognition",
      title: "One profile per customer",
      status: "in_progress",
    });
    await db.insert(valueFits).values([
      {
        workspaceId,
        status: "succeeded",
        calibrationEnd: "2026-03-01",
        horizonWeeks: 52,
        discountRate: 0.1,
        customers: 900,
        finishedAt: new Date("2026-03-02T00:00:00Z"),
        portfolio: {
          rows: [
            { group: "champions", customers: 100, pastRevenue: 1000, predictedValue: 2000.5 },
            { group: "lost", customers: 800, pastRevenue: 500, predictedValue: 100.25 },
          ],
          movement: [],
        },
      },
      {
        workspaceId,
        status: "failed",
        calibrationEnd: "2026-04-01",
        horizonWeeks: 52,
        discountRate: 0.1,
        finishedAt: new Date("2026-04-02T00:00:00Z"),
      },
    ]);

    const card = await callerAs(db, a.viewer).maturity.scorecard({ workspaceId });
    expect(card.current).toMatchObject({ title: "Summer", assessedOn: "2026-07-01" });
    expect(card.previous).toMatchObject({ title: "Winter" });
    const radar = Object.fromEntries(card.dimensions.map((d) => [d.key, d]));
    // Two assessors split 2 and 3 on recognition: the consensus is the lower, 2.
    expect(radar.recognition).toMatchObject({
      current: 2,
      target: 4,
      targetDate: "2026-12-31",
      previous: 1,
      delta: 1,
    });
    expect(radar.governance).toMatchObject({ current: 3, target: 3, previous: 2, delta: 1 });
    expect(radar.technology).toMatchObject({ current: null, previous: null, delta: null });
    // Index now: (1 + 1 + 2) / 3 of 4 steps = 33.3; before: (0 + 1 + 1) / 3 = 16.7.
    expect(card.index).toEqual({ current: 33.3, previous: 16.7, delta: 16.6 });
    expect(
      card.trend.find((t) => t.key === "recognition")!.points.map((p) => [p.assessedOn, p.level]),
    ).toEqual([
      ["2026-01-15", 1],
      ["2026-07-01", 2],
    ]);
    expect(card.indexTrend.map((p) => p.index)).toEqual([16.7, 33.3]);
    // Governance is at its target: no gap to show.
    expect(
      card.topGaps.map((g) => [g.dimensionKey, g.gap, g.initiatives.map((i) => [i.title, i.status])]),
    ).toEqual([["recognition", 2, [["One profile per customer", "in_progress"]]]]);
    expect(card.valueTrend).toEqual([
      {
        fittedAt: "2026-03-02T00:00:00.000Z",
        calibrationEnd: "2026-03-01",
        customers: 900,
        predictedValue: 2100.75,
      },
    ]);

    const csv = scorecardCsv(card);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "section,name,dimension_key,current,current_level,target,target_date,previous,change,assessed_on",
    );
    expect(lines[1]).toBe("index,Maturity index (0-100),,33.3,,,,16.7,16.6,2026-07-01");
    expect(lines).toContain(
      "dimension,Customer recognition and data,recognition,2,Recognised,4,2026-12-31,1,1,2026-07-01",
    );
  });

  it("compares only the business units the reader is a member of", async () => {
    const db = getDb();
    const b = await makeWorkspace(db, "Brand B");
    const c = await makeWorkspace(db, "Brand C");
    const empty = await makeWorkspace(db, "Brand D");
    // A's viewer also reads B and D, but not C.
    await db.insert(memberships).values([
      { workspaceId: b.workspace.id, userId: a.viewer.id, role: "viewer" },
      { workspaceId: empty.workspace.id, userId: a.viewer.id, role: "viewer" },
    ]);
    await makeAssessment(db, {
      workspaceId: a.workspace.id,
      assessedOn: "2026-01-01",
      sheets: [{ assessor: a.editor, scores: { recognition: 1 } }],
    });
    await makeAssessment(db, {
      workspaceId: a.workspace.id,
      assessedOn: "2026-06-01",
      sheets: [{ assessor: a.editor, scores: { recognition: 3, governance: 2 } }],
    });
    await makeAssessment(db, {
      workspaceId: b.workspace.id,
      assessedOn: "2026-05-01",
      sheets: [{ assessor: b.editor, scores: { recognition: 4 } }],
    });
    await makeAssessment(db, {
      workspaceId: c.workspace.id,
      assessedOn: "2026-05-01",
      sheets: [{ assessor: c.editor, scores: { recognition: 5 } }],
    });
    const card = await callerAs(db, a.viewer).maturity.scorecard({ workspaceId: a.workspace.id });
    expect(card.businessUnits.rows.map((r) => [r.name, r.assessedOn, r.levels.recognition ?? null])).toEqual([
      ["Brand A", "2026-06-01", 3],
      ["Brand B", "2026-05-01", 4],
      ["Brand D", null, null],
    ]);
    expect(card.businessUnits.dimensions).toHaveLength(7);
    const outsider = await callerAs(db, c.admin).maturity.scorecard({ workspaceId: c.workspace.id });
    expect(outsider.businessUnits.rows.map((r) => r.name)).toEqual(["Brand C"]);
  });

  it("is empty but well-formed before the first final assessment", async () => {
    const card = await callerAs(getDb(), a.viewer).maturity.scorecard({ workspaceId: a.workspace.id });
    expect(card).toMatchObject({
      current: null,
      previous: null,
      dimensions: [],
      topGaps: [],
      valueTrend: [],
    });
    expect(card.levels).toHaveLength(5);
    expect(scorecardCsv(card).split("\r\n")[1]).toBe("index,Maturity index (0-100),,,,,,,,");
  });
});

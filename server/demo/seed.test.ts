import { and, count, eq, ne, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { runState } from "~/server/journeys/run/state";
import { listJourneys, removeJourney } from "~/server/journeys/store";
import { listSegments } from "~/server/segments/store";
import {
  auditEvents,
  customers,
  customerValues,
  events,
  jobs,
  maturityAssessments,
  maturityInitiatives,
  users,
  valueFits,
  workspaces,
  writeKeys,
} from "~/db/schema";
import { listInitiatives } from "~/server/maturity/initiatives";
import { buildScorecard } from "~/server/maturity/scorecard";
import { findWorkspaceByWriteKey, revokeWriteKey } from "~/server/writekeys/writekeys";
import { SEGMENT_HISTORY_JOB_KIND } from "~/server/segments/history-job";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { DEMO_WRITE_KEY_NAME, seedDemo } from "./seed";

// A small number of generated customers keeps these tests quick; `npm start` loads DEMO_CUSTOMERS.
const customersToLoad = 40;

describeEachDatabase("demo seed", (getDb) => {
  beforeEach(() => truncateAllTables(getDb()));

  const retail = async () => {
    const [workspace] = await getDb()
      .select()
      .from(workspaces)
      .where(eq(workspaces.slug, "northwind-retail"));
    return workspace!;
  };
  const countOf = async (
    table: typeof customers | typeof events | typeof customerValues,
    workspaceId: string,
  ) => {
    const [row] = await getDb().select({ n: count() }).from(table).where(eq(table.workspaceId, workspaceId));
    return row!.n;
  };

  it("creates the demo workspaces with a write key and generated customers, and prints the same key every time", async () => {
    const first = await seedDemo(getDb(), { customers: customersToLoad });
    expect(first.created).toBe(true);
    expect(first.customersLoaded).toBe(customersToLoad);
    expect(first.writeKeys).toEqual([
      { workspace: "Northwind Retail", key: expect.stringMatching(/^[0-9A-Za-z]{32}$/) },
    ]);
    const workspace = await retail();
    expect(await findWorkspaceByWriteKey(getDb(), first.writeKeys[0]!.key)).toMatchObject({
      workspaceId: workspace.id,
    });
    const customerCount = await countOf(customers, workspace.id);
    const eventCount = await countOf(events, workspace.id);
    expect(customerCount).toBeGreaterThan(0);
    expect(eventCount).toBeGreaterThan(customersToLoad * 5);
    const demoSegments = await listSegments(getDb(), workspace.id);
    expect(demoSegments.map((s) => [s.name, s.refreshing])).toEqual([
      ["At-risk high value", false],
      ["Casual holiday discount shoppers", false],
      ["Email readers who buy on the web", false],
      ["New customers", false],
    ]);
    for (const segment of demoSegments) {
      expect(segment.memberCount, segment.name).toBeGreaterThan(0);
      expect(segment.memberCount, segment.name).toBeLessThan(customerCount);
    }
    // The value models are fitted in place: value conditions have figures, and no job waits.
    const fits = await getDb()
      .select({ status: valueFits.status })
      .from(valueFits)
      .where(eq(valueFits.workspaceId, workspace.id));
    // Fitted again after the demo journey's weeks live, so its customers' value then and now differ.
    expect(fits.map((f) => f.status)).toEqual(["succeeded", "succeeded"]);
    expect(await countOf(customerValues, workspace.id)).toBeGreaterThan(0);
    const waiting = await getDb()
      .select({ kind: jobs.kind })
      .from(jobs)
      .where(and(eq(jobs.workspaceId, workspace.id), ne(jobs.status, "succeeded")));
    // Only the segments' size histories wait: the app's job runner reconstructs them after start.
    expect(waiting.filter((job) => job.kind !== SEGMENT_HISTORY_JOB_KIND)).toEqual([]);

    const demoJourneys = await listJourneys(getDb(), { workspaceId: workspace.id });
    expect(
      demoJourneys.map((j) => [j.segment.name, j.status, j.publishedVersion, j.hasUnpublishedChanges]),
    ).toEqual([
      ["Casual holiday discount shoppers", "draft", null, true],
      ["Email readers who buy on the web", "published", 1, false],
    ]);
    for (const journey of demoJourneys) expect(journey.touchpointCount, journey.name).toBeGreaterThan(3);
    // The published one has been live for weeks: the runner sent its messages, and customers answered some.
    const live = demoJourneys.find((j) => j.status === "published")!;
    const { run, messages } = await runState(getDb(), { workspaceId: workspace.id, journeyId: live.id });
    expect(run).toMatchObject({ status: "live", initial: { done: true } });
    expect(run!.enrollments.active + run!.enrollments.completed).toBeGreaterThan(0);
    expect(messages.reduce((sum, m) => sum + m.sent, 0)).toBeGreaterThan(0);
    const [answers] = await getDb()
      .select({ n: count() })
      .from(events)
      .where(and(eq(events.workspaceId, workspace.id), sql`${events.messageId} like 'demo-answer-%'`));
    expect(answers!.n).toBeGreaterThan(0);
    // A journey someone deleted is not made again.
    await removeJourney(getDb(), { workspaceId: workspace.id, id: demoJourneys[0]!.id });

    const second = await seedDemo(getDb(), { customers: customersToLoad });
    expect(second).toMatchObject({ created: false, customersLoaded: 0, writeKeys: first.writeKeys });
    expect(await countOf(customers, workspace.id)).toBe(customerCount);
    expect(await countOf(events, workspace.id)).toBe(eventCount);
    expect(await listSegments(getDb(), workspace.id)).toHaveLength(4);
    expect(await listJourneys(getDb(), { workspaceId: workspace.id })).toHaveLength(1);
    expect(await maturityRows()).toEqual(demoMaturity);
  });

  const maturityRows = async () => ({
    assessments: (await getDb().select({ n: count() }).from(maturityAssessments))[0]!.n,
    initiatives: (await getDb().select({ n: count() }).from(maturityInitiatives))[0]!.n,
  });
  const demoMaturity = { assessments: 3, initiatives: 4 };

  it("gives the demo workspaces maturity assessments, targets and initiatives on the demo segments, once", async () => {
    await seedDemo(getDb(), { customers: customersToLoad });
    const workspace = await retail();
    const [viewer] = await getDb().select().from(users).where(eq(users.email, "viewer@centric.demo"));
    const card = await buildScorecard(getDb(), { workspaceId: workspace.id, userId: viewer!.id });
    expect(card.current?.title).toBe("Half-year review");
    expect(card.previous?.title).toBe("Baseline assessment");
    // The two assessors split on recognition (2 and 3): the consensus is 2, from 1 at the baseline.
    expect(card.dimensions.find((d) => d.key === "recognition")).toMatchObject({
      current: 2,
      previous: 1,
      target: 4,
    });
    expect(card.businessUnits.rows.map((r) => [r.name, r.index !== null])).toEqual([
      ["Northwind Online", true],
      ["Northwind Retail", true],
    ]);
    const gapsWithWork = card.topGaps.filter((g) => g.initiatives.length > 0).map((g) => g.dimensionKey);
    expect(gapsWithWork).toEqual(expect.arrayContaining(["recognition", "personalisation", "cross-channel"]));
    const initiatives = await listInitiatives(getDb(), { workspaceId: workspace.id });
    expect(initiatives.every((i) => i.links.some((l) => l.kind === "segment"))).toBe(true);
    expect(
      initiatives.flatMap((i) => i.links.filter((l) => l.kind === "journey").map((l) => l.name)),
    ).toEqual(["From newsletter to web order"]);
    await seedDemo(getDb(), { customers: customersToLoad });
    expect(await maturityRows()).toEqual(demoMaturity);
  });

  it("leaves a revoked demo key revoked, and prints no key", async () => {
    await seedDemo(getDb(), { customers: 0 });
    const workspace = await retail();
    const [key] = await getDb().select().from(writeKeys).where(eq(writeKeys.workspaceId, workspace.id));
    expect(key!.name).toBe(DEMO_WRITE_KEY_NAME);
    await revokeWriteKey(getDb(), { workspaceId: workspace.id, keyId: key!.id });
    const again = await seedDemo(getDb(), { customers: 0 });
    expect(again.writeKeys).toEqual([]);
    // Without the demo customers and their segments, only the other demo workspace is assessed.
    expect(await maturityRows()).toEqual({ assessments: 1, initiatives: 0 });
    const [keys] = await getDb()
      .select({ n: count() })
      .from(writeKeys)
      .where(eq(writeKeys.workspaceId, workspace.id));
    expect(keys!.n).toBe(1);
  });

  it("finishes a load that was interrupted, without storing anything twice", async () => {
    await seedDemo(getDb(), { customers: customersToLoad });
    const workspace = await retail();
    const eventCount = await countOf(events, workspace.id);
    // As if the process had stopped before the end: the completion entry is missing, some events too.
    await getDb()
      .delete(auditEvents)
      .where(and(eq(auditEvents.workspaceId, workspace.id), sql`${auditEvents.details} ? 'demoCustomers'`));
    await getDb().execute(
      sql`delete from events where workspace_id = ${workspace.id} and id in (select id from events where workspace_id = ${workspace.id} and source = 'demo' and message_id not like 'demo-answer-%' order by id desc limit 20)`,
    );
    const resumed = await seedDemo(getDb(), { customers: customersToLoad });
    expect(resumed.customersLoaded).toBe(customersToLoad);
    expect(await countOf(events, workspace.id)).toBe(eventCount);
    expect((await seedDemo(getDb(), { customers: customersToLoad })).customersLoaded).toBe(0);
  });

  it("leaves a database with people of its own alone", async () => {
    const own = await makeWorkspace(getDb(), "Northwind Retail");
    const result = await seedDemo(getDb(), { customers: customersToLoad });
    expect(result).toMatchObject({ created: false, customersLoaded: 0, writeKeys: [] });
    expect(await countOf(customers, own.workspace.id)).toBe(0);
  });
});

import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { customers, events, identities, identityMerges, jobs, segments, workspaces } from "~/db/schema";
import { undoMerge } from "~/server/identity/merge";
import { ingestMessages } from "~/server/ingest/ingest";
import { normaliseMessage } from "~/server/ingest/messages";
import { SEGMENT_REFRESH_JOB_KIND } from "~/server/segments/store";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { afterEachStep, importRunner } from "~/test/jobs";
import { makeWorkspace } from "~/test/fixtures";
import { insertImportedEvents, resolveUserIds } from "./bulk-events";
import { getImport, startImport } from "./imports";
import { createImportJobHandler, type ImportCheckpoint } from "./job";
import { makeRowReader, type TImportMapping, type TImportOptions } from "./mapping";
import { messageIdPrefix } from "./message-ids";
import { testDataFolder, uploadText } from "./test-fixtures";

// The bulk path of events imports must leave exactly what the tracking API
// would have left for the same messages: the same customers, identifiers,
// events and summaries, however it is interrupted, and never a second profile
// for a user id that the tracking API creates at the same moment.

const mapping: TImportMapping = {
  customerId: "customer",
  timestamp: "at",
  event: { column: "event" },
  channel: { column: "channel" },
  amount: "amount",
  rename: {},
};
const options: TImportOptions = { encoding: "utf-8", delimiter: ",", header: true, dateFormat: "iso" };
const header = "customer,at,event,channel,amount,sku";

/** 40 rows over 12 customers, two of whom the workspace knows already. */
function historyCsv() {
  const rows = [header];
  const kinds = ["Order Completed", "Product Viewed", "Email Opened", "Order Completed"];
  for (let i = 0; i < 40; i++) {
    const event = kinds[i % kinds.length]!;
    const channel = event === "Email Opened" ? "email" : ["web", "store", "app"][i % 3];
    const amount = event === "Order Completed" ? `${10 + (i % 7)}.${i % 10}5` : "";
    rows.push(
      `cust-${i % 12},2025-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}T09:${String(i % 60).padStart(2, "0")}:00Z,${event},${channel},${amount},sku-${i % 5}`,
    );
  }
  return `${rows.join("\n")}\n`;
}

/** What the workspace knows before the import: two of the customers, one with an email. */
const earlierMessages = [
  {
    type: "identify",
    userId: "cust-1",
    traits: { email: "one@example.test", name: "One" },
    messageId: "e-1",
    timestamp: "2024-06-01T10:00:00Z",
  },
  {
    type: "track",
    userId: "cust-1",
    event: "Order Completed",
    properties: { revenue: 99 },
    messageId: "e-2",
    timestamp: "2024-06-02T10:00:00Z",
  },
  { type: "page", userId: "cust-2", name: "Home", messageId: "e-3", timestamp: "2024-07-01T10:00:00Z" },
];

describeEachDatabase("bulk events import", (getDb) => {
  const dataDir = testDataFolder();
  let userId: string;

  beforeEach(async () => {
    await truncateAllTables(getDb());
  });

  async function workspaceWithHistory(name: string) {
    const { workspace, editor } = await makeWorkspace(getDb(), name);
    userId = editor.id;
    await ingestMessages(getDb(), { workspaceId: workspace.id, messages: earlierMessages, source: "api" });
    return workspace.id;
  }

  async function startFileImport(workspaceId: string, content: string) {
    const db = getDb();
    const upload = await uploadText(db, { workspaceId, createdBy: userId, kind: "events", content });
    await startImport({ db, dataDir, workspaceId, importId: upload.id, options, mapping, userId });
    return upload;
  }

  /** Everything a customer's page, the lists and the segments read, keyed by user id so that two workspaces compare. */
  async function snapshot(workspaceId: string) {
    const db = getDb();
    const byCustomer = await db.execute<Record<string, unknown>>(sql`
      select i.value as user_id, c.event_count, c.purchase_count, c.total_spend::text as spend,
             c.first_seen_at, c.last_seen_at, c.channel_counts, c.email, c.name, c.merged_into is null as standing
      from identities i join customers c on c.workspace_id = i.workspace_id and c.id = i.customer_id
      where i.workspace_id = ${workspaceId} and i.kind = 'user_id' order by i.value`);
    const ids = await db
      .select({ kind: identities.kind, value: identities.value, firstSeenAt: identities.firstSeenAt })
      .from(identities)
      .where(eq(identities.workspaceId, workspaceId))
      .orderBy(asc(identities.kind), asc(identities.value));
    const stored = await db.execute<Record<string, unknown>>(sql`
      select e.message_id, i.value as user_id, e.profile_id = e.customer_id as own_profile, e.type, e.event, e.channel,
             e.amount::text as amount, e.timestamp, e.properties, e.context
      from events e join identities i on i.workspace_id = e.workspace_id and i.customer_id = e.customer_id and i.kind = 'user_id'
      where e.workspace_id = ${workspaceId}
      order by e.timestamp, e.message_id`);
    const customerCount = await db.$count(customers, eq(customers.workspaceId, workspaceId));
    return { customers: byCustomer.rows, identities: ids, events: stored.rows, customerCount };
  }

  it("leaves the same customers, identifiers, events and summaries as the tracking API would", async () => {
    const db = getDb();
    const csv = historyCsv();
    const imported = await workspaceWithHistory("Imported");
    const upload = await startFileImport(imported, csv);
    await importRunner(db, createImportJobHandler({ dataDir, chunkRows: 7 })).runOnce();
    expect(await getImport({ db, workspaceId: imported, importId: upload.id })).toMatchObject({
      status: "succeeded",
      rowsImported: 40,
      rowsFailed: 0,
    });

    // The same rows as messages, sent through the tracking API's path.
    const tracked = await workspaceWithHistory("Tracked");
    const [uploadRow] = await db
      .execute<{ file_sha256: string }>(sql`select file_sha256 from imports where id = ${upload.id}`)
      .then((r) => r.rows);
    const read = makeRowReader({
      kind: "events",
      columns: header.split(","),
      mapping,
      options,
      messageIdPrefix: messageIdPrefix(uploadRow!.file_sha256, "short"),
    });
    const lines = csv.trim().split("\n").slice(1);
    const messages = lines.map((raw, i) => {
      const row = read({ line: i + 2, fields: raw.split(","), raw, end: 0, nextLine: i + 3 });
      if (!row.ok) throw new Error(row.reason);
      return row.message;
    });
    for (let i = 0; i < messages.length; i += 7) {
      await ingestMessages(db, { workspaceId: tracked, messages: messages.slice(i, i + 7), source: "api" });
    }

    const a = await snapshot(imported);
    const b = await snapshot(tracked);
    expect(a.customerCount).toBe(12);
    expect(a.customers).toEqual(b.customers);
    expect(a.identities).toEqual(b.identities);
    expect(a.events).toEqual(b.events);
    // The customer known before keeps its email and gains the imported purchases.
    expect(a.customers.find((c) => c.user_id === "cust-1")).toMatchObject({
      email: "one@example.test",
      name: "One",
    });
  });

  it("resumes in the middle of the rows and of the summaries without counting anything twice", async () => {
    const db = getDb();
    const workspaceId = await workspaceWithHistory("Interrupted");
    const upload = await startFileImport(workspaceId, historyCsv());
    const handler = createImportJobHandler({ dataDir, chunkRows: 6, summaryBatch: 5 });
    const checkpoints: ImportCheckpoint[] = [];
    /** Runs the job until `stopAfter` says the server goes down after a step (or to the end). */
    const run = async (stopAfter?: (saved: ImportCheckpoint) => boolean) => {
      const runner = importRunner(
        db,
        afterEachStep(handler, async () => {
          const [job] = await db
            .select({ progress: jobs.progress })
            .from(jobs)
            .where(eq(jobs.kind, "import"));
          const saved = job!.progress.checkpoint as ImportCheckpoint;
          checkpoints.push(saved);
          if (stopAfter?.(saved)) void runner.stop();
        }),
      );
      await runner.runOnce();
    };
    await run((saved) => saved.rowsRead >= 18);
    expect(checkpoints.at(-1)).toMatchObject({ rowsRead: 18, deferredSummaries: true });
    expect(checkpoints.at(-1)!.summaries).toBeUndefined();
    await run((saved) => Boolean(saved.summaries));
    expect(checkpoints.at(-1)!.summaries).toMatchObject({ done: 5 });
    // The import list says what the last phase is doing.
    // (The batch stored beside the first may be in too: two are in the database at once.)
    expect((await getImport({ db, workspaceId, importId: upload.id })).progress.summaries).toMatch(
      /^Updating customer summaries: (5|10) of 12 customers$/,
    );
    await run();
    expect(await getImport({ db, workspaceId, importId: upload.id })).toMatchObject({
      status: "succeeded",
      rowsImported: 40,
      rowsDuplicate: 0,
    });

    // Every summary equals a recount from the events.
    const summaries = await db.execute<{
      id: string;
      event_count: number;
      n: number;
      spend: string;
      total: string;
    }>(sql`
      select c.id, c.event_count, count(e.*)::int as n, c.total_spend::text as spend,
             coalesce(sum(e.amount) filter (where e.type = 'track'), 0)::text as total
      from customers c left join events e on e.workspace_id = c.workspace_id and e.customer_id = c.id
      where c.workspace_id = ${workspaceId} group by c.workspace_id, c.id`);
    expect(summaries.rows).toHaveLength(12);
    for (const row of summaries.rows) {
      expect(row.event_count).toBe(row.n);
      expect(Number(row.spend)).toBeCloseTo(Number(row.total), 2);
    }
    expect(await db.$count(events, eq(events.workspaceId, workspaceId))).toBe(43);
  });

  it("keeps summaries exact when an imported customer merges with another profile during the import", async () => {
    const db = getDb();
    const workspaceId = await workspaceWithHistory("Merging");
    await startFileImport(workspaceId, historyCsv());
    const handler = createImportJobHandler({ dataDir, chunkRows: 7 });
    let steps = 0;
    await importRunner(
      db,
      afterEachStep(handler, async () => {
        // A visitor browses, then signs in as an imported customer: the visitor's stored profile
        // merges into the customer's, whose summary is recomputed while the import is half done.
        if (++steps === 2) {
          const send = (messages: unknown[]) => ingestMessages(db, { workspaceId, source: "api", messages });
          await send([
            {
              type: "page",
              anonymousId: "visitor-1",
              name: "Home",
              messageId: "v-1",
              timestamp: "2025-03-03T10:00:00Z",
            },
            {
              type: "track",
              anonymousId: "visitor-1",
              event: "Order Completed",
              properties: { revenue: 30 },
              messageId: "v-2",
              timestamp: "2025-03-03T10:05:00Z",
            },
          ]);
          await send([
            {
              type: "identify",
              userId: "cust-5",
              anonymousId: "visitor-1",
              messageId: "v-3",
              timestamp: "2025-03-03T10:06:00Z",
            },
          ]);
        }
      }),
    ).runOnce();

    const summaries = await db.execute<{
      event_count: number;
      n: number;
      spend: string;
      total: string;
      purchases: number;
      bought: number;
    }>(sql`
      select c.event_count, count(e.*)::int as n, c.total_spend::text as spend,
             coalesce(sum(e.amount) filter (where e.type = 'track'), 0)::text as total,
             c.purchase_count as purchases, (count(*) filter (where e.type = 'track' and e.amount is not null))::int as bought
      from customers c left join events e on e.workspace_id = c.workspace_id and e.customer_id = c.id
      where c.workspace_id = ${workspaceId} and c.merged_into is null group by c.workspace_id, c.id`);
    expect(summaries.rows).toHaveLength(12);
    for (const row of summaries.rows) {
      expect(row.event_count).toBe(row.n);
      expect(row.purchases).toBe(row.bought);
      expect(Number(row.spend)).toBeCloseTo(Number(row.total), 2);
    }
  });

  it("queues a refresh of every segment of the workspace when the import is done", async () => {
    const db = getDb();
    const workspaceId = await workspaceWithHistory("Segments");
    await db.insert(segments).values([
      { workspaceId, name: "Buyers", rule: { type: "and", rules: [] } },
      { workspaceId, name: "Everyone", rule: { type: "and", rules: [] } },
    ]);
    await startFileImport(workspaceId, historyCsv());
    await importRunner(db, createImportJobHandler({ dataDir })).runOnce();
    const queued = await db
      .select({ payload: jobs.payload, status: jobs.status })
      .from(jobs)
      .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.kind, SEGMENT_REFRESH_JOB_KIND)));
    expect(queued).toHaveLength(2);
    expect(queued.every((job) => job.status === "queued" && job.payload.cause === "import")).toBe(true);
  });

  it("files a chunk's events on the survivor when the tracking API merged its customer away after the chunk was resolved", async () => {
    const db = getDb();
    const { workspace, admin } = await makeWorkspace(db, "Merged away");
    const workspaceId = workspace.id;
    const send = (messages: unknown[]) => ingestMessages(db, { workspaceId, source: "api", messages });
    await send([
      { type: "identify", userId: "cust-m", traits: { email: "m@example.test" }, messageId: "m-1" },
    ]);
    await send([{ type: "page", anonymousId: "kiosk-m", name: "Home", messageId: "m-2" }]);
    const at = new Date("2025-01-01T00:00:00Z");
    const chunk = ["m-imp-1", "m-imp-2"].map((messageId) => {
      const result = normaliseMessage(
        { type: "track", userId: "cust-m", event: "Order Completed", messageId },
        at,
      );
      if (!result.ok) throw new Error(result.error);
      return result.message;
    });
    const resolved = await resolveUserIds(db, workspaceId, chunk);

    // The kiosk's visitor gives the customer's email: the customer's profile merges into the kiosk's.
    await send([
      {
        type: "track",
        anonymousId: "kiosk-m",
        event: "Signed Up",
        context: { traits: { email: "m@example.test" } },
        messageId: "m-3",
      },
    ]);
    await db.transaction((tx) =>
      insertImportedEvents(tx, {
        workspaceId,
        messages: chunk,
        customers: resolved,
        source: "import:m",
        receivedAt: at,
      }),
    );

    const [survivor, ...others] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), isNull(customers.mergedInto)));
    expect(others).toHaveLength(0);
    const held = await db
      .select({ messageId: events.messageId })
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), eq(events.customerId, survivor!.id)));
    expect(held.map((e) => e.messageId).sort()).toEqual(["m-1", "m-2", "m-3", "m-imp-1", "m-imp-2"]);

    // Undoing the merge sends the imported events back with their user id.
    const [merge] = await db.select().from(identityMerges).where(eq(identityMerges.workspaceId, workspaceId));
    const { mergedId } = await undoMerge(db, { workspaceId, mergeId: merge!.id, actorUserId: admin.id });
    const returned = await db
      .select({ messageId: events.messageId })
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), eq(events.customerId, mergedId)));
    expect(returned.map((e) => e.messageId).sort()).toEqual(["m-1", "m-imp-1", "m-imp-2"]);
  });

  it("gives a user id one profile when the import and the tracking API create it at the same moment", async () => {
    const db = getDb();
    const [workspace] = await db.insert(workspaces).values({ slug: "race", name: "Race" }).returning();
    const workspaceId = workspace!.id;
    const at = new Date("2026-01-01T00:00:00Z");
    for (let round = 0; round < 15; round++) {
      const users = Array.from({ length: 30 }, (_, i) => `race-${round}-${i}`);
      const imported = users.map((user, i) => {
        const result = normaliseMessage(
          {
            type: "track",
            userId: user,
            event: "Order Completed",
            messageId: `imp-${round}-${i}`,
            timestamp: at.toISOString(),
          },
          at,
        );
        if (!result.ok) throw new Error(result.error);
        return result.message;
      });
      const live = users
        .filter((_, i) => i % 2 === 0)
        .map((user, i) => ({
          type: "track",
          userId: user,
          event: "Product Viewed",
          messageId: `live-${round}-${i}`,
        }));
      await Promise.all([
        resolveUserIds(db, workspaceId, imported),
        ingestMessages(db, { workspaceId, messages: live, source: "api" }),
      ]);
    }
    const profiles = await db.execute<{ value: string; n: number }>(sql`
      select i.value, count(distinct i.customer_id)::int as n from identities i
      where i.workspace_id = ${workspaceId} group by i.value having count(distinct i.customer_id) > 1`);
    expect(profiles.rows).toEqual([]);
    // No profile without its user id, and every live event on the profile of its user id.
    expect(await db.$count(customers, eq(customers.workspaceId, workspaceId))).toBe(15 * 30);
    const stray = await db.execute(sql`
      select e.message_id from events e
      join identities i on i.workspace_id = e.workspace_id and i.kind = 'user_id' and i.value = e.user_id
      where e.workspace_id = ${workspaceId} and e.customer_id <> i.customer_id`);
    expect(stray.rows).toEqual([]);
  });
});

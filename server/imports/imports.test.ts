import fs from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { customers, events, imports, jobs } from "~/db/schema";
import { NotFoundError, RuleError } from "~/server/errors";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { afterEachStep, importRunner } from "~/test/jobs";
import { discardUpload, getImport, listImportErrors, previewImport, startImport } from "./imports";
import { removeAbandonedUploads } from "./expiry";
import { createImportJobHandler } from "./job";
import type { TImportMapping, TImportOptions } from "./mapping";
import { messageIdPrefix } from "./message-ids";
import { uploadText, testDataFolder } from "./test-fixtures";

// Imports end to end below the UI: upload, preview, start, the job through
// ingestMessages(), bad rows, re-imports and resuming after an interruption.

const ordersCsv = [
  "customer_id,date,event,channel,amount,sku",
  "c-1,2024-01-02,Order Completed,store,12.50,A-1",
  "c-2,2024-01-03T10:00:00Z,Order Completed,web,8,B-2",
  ",2024-01-04,Order Completed,web,3,C-3", // line 4: no customer id
  "c-3,04/01/2024,Order Completed,web,3,C-3", // line 5: not ISO
  "c-1,2024-01-05,Product Viewed,app,,D-4",
  "c-4,2024-01-06,Order Completed,pos,ten,E-5", // line 7: bad amount
  "c-4,2024-01-07,Order Completed,pos,10,E-5",
  "",
].join("\n");

const ordersMapping: TImportMapping = {
  customerId: "customer_id",
  timestamp: "date",
  event: { column: "event" },
  channel: { column: "channel" },
  amount: "amount",
  rename: { sku: "product_sku" },
};
const csvOptions: TImportOptions = { encoding: "utf-8", delimiter: ",", header: true, dateFormat: "iso" };

describeEachDatabase("imports", (getDb) => {
  let workspaceId: string;
  let userId: string;
  const dataDir = testDataFolder();

  beforeEach(async () => {
    await truncateAllTables(getDb());
    const { workspace, editor } = await makeWorkspace(getDb());
    workspaceId = workspace.id;
    userId = editor.id;
  });

  async function importFile(
    content: string | Buffer,
    mapping = ordersMapping,
    options = csvOptions,
    kind: "events" | "customers" = "events",
  ) {
    const db = getDb();
    const upload = await uploadText(db, {
      workspaceId,
      createdBy: userId,
      kind,
      content,
      fileName: "orders.csv",
    });
    await startImport({ db, dataDir, workspaceId, importId: upload.id, options, mapping, userId });
    await importRunner(db, createImportJobHandler({ dataDir })).runOnce();
    return getImport({ db, workspaceId, importId: upload.id });
  }

  /** The orders file uploaded, not started. */
  const uploadOrders = () =>
    uploadText(getDb(), { workspaceId, createdBy: userId, kind: "events", content: ordersCsv });

  /** Where an upload's file is on disk. */
  const storedFileOf = async (importId: string) => {
    const [row] = await getDb()
      .select({ storedPath: imports.storedPath })
      .from(imports)
      .where(eq(imports.id, importId));
    return path.join(dataDir, row!.storedPath);
  };

  const eventCount = async () =>
    (
      await getDb()
        .select({ n: sql<number>`count(*)::int` })
        .from(events)
        .where(eq(events.workspaceId, workspaceId))
    )[0]!.n;

  it("imports the good rows and lists the bad ones with line number, reason and text", async () => {
    const result = await importFile(ordersCsv);
    expect(result).toMatchObject({ status: "succeeded", rowsImported: 4, rowsDuplicate: 0, rowsFailed: 3 });
    expect(result.progress.done).toBe(result.fileSize);
    expect(result.progress.rowsRead).toBe(7);

    const errors = await listImportErrors({ db: getDb(), workspaceId, importId: result.id, limit: 50 });
    expect(errors.total).toBe(3);
    expect(errors.rows).toEqual([
      {
        line: 4,
        reason: "the customer id (customer_id) is empty",
        raw: ",2024-01-04,Order Completed,web,3,C-3",
      },
      {
        line: 5,
        reason: "“04/01/2024” is not a date in the format ISO 8601 (YYYY-MM-DD)",
        raw: "c-3,04/01/2024,Order Completed,web,3,C-3",
      },
      {
        line: 7,
        reason: "the amount “ten” is not a number",
        raw: "c-4,2024-01-06,Order Completed,pos,ten,E-5",
      },
    ]);

    const stored = await getDb()
      .select({
        userId: events.userId,
        event: events.event,
        channel: events.channel,
        amount: events.amount,
        properties: events.properties,
        timestamp: events.timestamp,
        messageId: events.messageId,
        source: events.source,
      })
      .from(events)
      .where(eq(events.workspaceId, workspaceId))
      .orderBy(events.timestamp);
    expect(stored.map((e) => [e.userId, e.event, e.channel, e.amount, e.properties])).toEqual([
      ["c-1", "Order Completed", "store", 12.5, { revenue: 12.5, product_sku: "A-1" }],
      ["c-2", "Order Completed", "web", 8, { revenue: 8, product_sku: "B-2" }],
      ["c-1", "Product Viewed", "mobile", null, { product_sku: "D-4" }],
      ["c-4", "Order Completed", "store", 10, { revenue: 10, product_sku: "E-5" }],
    ]);
    expect(stored[1]!.timestamp.toISOString()).toBe("2024-01-03T10:00:00.000Z");
    const { fileSha256 } = await getImport({ db: getDb(), workspaceId, importId: result.id });
    expect(stored[0]!.messageId).toBe(`${messageIdPrefix(fileSha256, "short")}2`);
    expect(stored[0]!.messageId).toMatch(/^imp:[\w-]{22}:2$/);
    expect(stored[0]!.source).toBe(`import:${result.id}`);

    const [c1] = await getDb()
      .select({
        purchases: customers.purchaseCount,
        spend: customers.totalSpend,
        events: customers.eventCount,
      })
      .from(customers)
      .innerJoin(
        sql`identities i`,
        sql`i.workspace_id = ${customers.workspaceId} and i.customer_id = ${customers.id}`,
      )
      .where(and(eq(customers.workspaceId, workspaceId), sql`i.kind = 'user_id' and i.value = 'c-1'`));
    expect(c1).toEqual({ purchases: 1, spend: 12.5, events: 2 });
  });

  it("refuses a file that is not CSV text, saying what it looks like, and keeps nothing of it", async () => {
    const db = getDb();
    const pngHeader = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const refusals = [
      { content: Buffer.concat([pngHeader, Buffer.alloc(100_000, 7)]), fileName: "chart.png" },
      { content: pngHeader, fileName: "tiny.png" },
      { content: Buffer.from([0xfe, 0xff, 0, 0x6e, 0, 0x0a]), fileName: "utf16be.csv" },
    ];
    const messages = [];
    for (const { content, fileName } of refusals) {
      const error = await uploadText(db, {
        workspaceId,
        createdBy: userId,
        kind: "events",
        content,
        fileName,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuleError);
      messages.push((error as Error).message);
    }
    expect(messages).toEqual([
      "This file is not a CSV: it looks like a PNG image.",
      "This file is not a CSV: it looks like a PNG image.",
      "This file is UTF-16 big-endian text, which the import does not read. Save it as “CSV UTF-8” and upload it again.",
    ]);
    expect(await db.select().from(imports).where(eq(imports.workspaceId, workspaceId))).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, "uploads", workspaceId))).toEqual([]);

    // A CSV with a byte-order mark and a character cut by the sniffed size is text all the same.
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const long = Buffer.concat([bom, Buffer.from(`${"x".repeat(4094)}é,y\n`)]);
    const saved = await uploadText(db, { workspaceId, createdBy: userId, kind: "events", content: long });
    expect(saved.fileSize).toBe(long.length);
  });

  it("importing the same file twice stores nothing twice", async () => {
    const first = await importFile(ordersCsv);
    const before = await eventCount();
    const second = await importFile(ordersCsv);
    expect(second).toMatchObject({ status: "succeeded", rowsImported: 0, rowsDuplicate: 4, rowsFailed: 3 });
    expect(await eventCount()).toBe(before);
    expect((await getImport({ db: getDb(), workspaceId, importId: second.id })).sameFileAs?.id).toBe(
      first.id,
    );
  });

  it("imports a file imported before with the long messageIds again with them, storing nothing twice", async () => {
    const first = await importFile(ordersCsv);
    // As an import started before the short form: no form in its options, the long ids on its rows.
    const { fileSha256 } = await getImport({ db: getDb(), workspaceId, importId: first.id });
    await getDb().execute(sql`update imports set options = options - 'messageIds' where id = ${first.id}`);
    await getDb().execute(sql`
      update events set message_id = replace(message_id, ${messageIdPrefix(fileSha256, "short")}, ${`import:${fileSha256}:`})
      where workspace_id = ${workspaceId}`);
    const before = await eventCount();
    const second = await importFile(ordersCsv);
    expect(second).toMatchObject({ status: "succeeded", rowsImported: 0, rowsDuplicate: 4 });
    expect(await eventCount()).toBe(before);
    expect((await getImport({ db: getDb(), workspaceId, importId: second.id })).options.messageIds).toBe(
      "long",
    );
  });

  it("removes an upload never started, with its file, and refuses to remove a started one", async () => {
    const db = getDb();
    const upload = await uploadOrders();
    const file = await storedFileOf(upload.id);
    expect(fs.existsSync(file)).toBe(true);
    expect(await discardUpload({ db, dataDir, workspaceId, importId: upload.id })).toEqual({
      id: upload.id,
      fileName: "test.csv",
    });
    expect(fs.existsSync(file)).toBe(false);
    expect(await db.select().from(imports).where(eq(imports.id, upload.id))).toEqual([]);
    await expect(discardUpload({ db, dataDir, workspaceId, importId: upload.id })).rejects.toThrow(
      NotFoundError,
    );

    const started = await importFile(ordersCsv);
    await expect(discardUpload({ db, dataDir, workspaceId, importId: started.id })).rejects.toThrow(
      "This import has been started: it stays in the list with what it stored.",
    );
  });

  it("removes uploads left unstarted past their week, files and all, and keeps the rest", async () => {
    const db = getDb();
    const old = await uploadOrders();
    const recent = await uploadOrders();
    const started = await importFile(ordersCsv);
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    await db
      .update(imports)
      .set({ createdAt: weekAgo })
      .where(sql`${imports.id} in (${old.id}, ${started.id})`);
    const oldFile = await storedFileOf(old.id);

    expect(
      await removeAbandonedUploads(db, { dataDir, before: new Date(Date.now() - 7 * 24 * 3600 * 1000) }),
    ).toBe(1);
    expect(fs.existsSync(oldFile)).toBe(false);
    const left = await db
      .select({ id: imports.id })
      .from(imports)
      .where(eq(imports.workspaceId, workspaceId));
    expect(left.map((row) => row.id).sort()).toEqual([recent.id, started.id].sort());
  });

  it("resumes after an interrupted run without losing or repeating rows", async () => {
    const db = getDb();
    const lines = ["id,when,total"];
    for (let i = 1; i <= 95; i++)
      lines.push(`u${i % 17},2024-02-${String((i % 28) + 1).padStart(2, "0")},${i}.25`);
    lines.push("u1,not a date,1", "u2,2024-02-01,2");
    const upload = await uploadText(db, {
      workspaceId,
      createdBy: userId,
      kind: "events",
      content: lines.join("\r\n"),
    });
    const mapping = {
      customerId: "id",
      timestamp: "when",
      event: { value: "Order Completed" },
      amount: "total",
      channel: { value: "store" },
      rename: {},
    };
    await startImport({
      db,
      dataDir,
      workspaceId,
      importId: upload.id,
      options: csvOptions,
      mapping,
      userId,
    });

    const handler = createImportJobHandler({ dataDir, chunkRows: 10 });
    const progress: number[] = [];
    let steps = 0;
    const recordProgress = async () => {
      progress.push(Number((await db.select({ p: jobs.progress }).from(jobs))[0]!.p.done));
    };
    const first = importRunner(
      db,
      afterEachStep(handler, async () => {
        await recordProgress();
        if (++steps === 4) void first.stop(); // the server goes down after the 4th chunk
      }),
    );
    await first.runOnce();
    const interrupted = await getImport({ db, workspaceId, importId: upload.id });
    expect(interrupted.status).toBe("queued");
    // The 4th chunk and the one stored beside it (two are in the database at once) are in, no more.
    expect([40, 50]).toContain(interrupted.rowsImported);
    expect(interrupted.progress.rowsRead).toBe(interrupted.rowsImported);

    const second = importRunner(db, afterEachStep(handler, recordProgress));
    await second.runOnce();
    const done = await getImport({ db, workspaceId, importId: upload.id });
    expect(done).toMatchObject({ status: "succeeded", rowsImported: 96, rowsDuplicate: 0, rowsFailed: 1 });
    expect(await eventCount()).toBe(96);
    expect((await listImportErrors({ db, workspaceId, importId: upload.id, limit: 10 })).rows).toEqual([
      {
        line: 97,
        reason: "“not a date” is not a date in the format ISO 8601 (YYYY-MM-DD)",
        raw: "u1,not a date,1",
      },
    ]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(progress.at(-1)).toBe(done.fileSize);
    const [sum] = await db
      .select({ total: sql<string>`sum(amount)::text` })
      .from(events)
      .where(eq(events.workspaceId, workspaceId));
    expect(Number(sum!.total)).toBeCloseTo((95 * 96) / 2 + 95 * 0.25 + 2, 2);
  });

  it("a customers import sets traits, email, phone and name", async () => {
    const csv = [
      "Customer ID;E-mail;Phone;Full name;Tier;Joined",
      "k-1;Ann@Example.com;+31 20 123 4567;Ann Smith;gold;2021",
      "k-2;not-an-email;;Bo;silver;2022",
      "k-3;;;Cy;;",
    ].join("\n");
    const mapping = {
      customerId: "Customer ID",
      email: "E-mail",
      phone: "Phone",
      name: "Full name",
      rename: { Joined: "" },
    };
    const result = await importFile(
      csv,
      mapping,
      { encoding: "utf-8", delimiter: ";", header: true, dateFormat: "iso" },
      "customers",
    );
    expect(result).toMatchObject({ status: "succeeded", rowsImported: 2, rowsFailed: 1 });
    const rows = await getDb()
      .select({
        name: customers.name,
        email: customers.email,
        phone: customers.phone,
        traits: customers.traits,
      })
      .from(customers)
      .where(eq(customers.workspaceId, workspaceId))
      .orderBy(customers.name);
    expect(rows).toEqual([
      {
        name: "Ann Smith",
        email: "ann@example.com",
        phone: "+31 20 123 4567",
        traits: { email: "ann@example.com", phone: "+31 20 123 4567", name: "Ann Smith", Tier: "gold" },
      },
      { name: "Cy", email: null, phone: null, traits: { name: "Cy" } },
    ]);
    const errors = await listImportErrors({ db: getDb(), workspaceId, importId: result.id, limit: 10 });
    expect(errors.rows).toEqual([
      {
        line: 3,
        reason: "the email “not-an-email” is not an email address",
        raw: "k-2;not-an-email;;Bo;silver;2022",
      },
    ]);
  });

  it("previews the first rows with detected options, a suggested mapping and per-row problems", async () => {
    const db = getDb();
    const upload = await uploadText(db, {
      workspaceId,
      createdBy: userId,
      kind: "events",
      content: ordersCsv,
    });
    const preview = await previewImport({ db, dataDir, workspaceId, importId: upload.id });
    expect(preview.options).toEqual(csvOptions);
    expect(preview.columns).toEqual(["customer_id", "date", "event", "channel", "amount", "sku"]);
    expect(preview.suggested).toEqual({ ...ordersMapping, rename: {} });
    expect(preview.rows).toHaveLength(7);
    expect(preview.rows[0]).toMatchObject({
      line: 2,
      problem: null,
      read: {
        customerId: "c-1",
        event: "Order Completed",
        channel: "store",
        amount: 12.5,
        data: { sku: "A-1", revenue: 12.5 },
      },
    });
    expect(preview.rows[2]).toMatchObject({
      line: 4,
      read: null,
      problem: "the customer id (customer_id) is empty",
    });

    const other = await previewImport({
      db,
      dataDir,
      workspaceId,
      importId: upload.id,
      options: { dateFormat: "dd/mm/yyyy" },
      mapping: { ...ordersMapping, timestamp: "nope" },
    });
    expect(other.mappingProblems).toEqual(["Timestamp: the file has no column “nope”"]);
  });

  it("reads a Windows-1252 file as Excel writes it, detecting its encoding, delimiter and header", async () => {
    // Excel's "CSV" on a Western European Windows: semicolons, Windows-1252, € and Œ from its own range.
    const text =
      "Customer ID;Full name;E-mail;Note\r\nc-1;Zoë Müller;zoe@example.com;paid 12,50 €\r\nc-2;Œlaf Šimek;olaf@example.com;“VIP”\r\n";
    const bytes = Buffer.from([...text].map((c) => windows1252Byte(c)));
    const upload = await uploadText(getDb(), {
      workspaceId,
      createdBy: userId,
      kind: "customers",
      content: bytes,
    });
    const preview = await previewImport({ db: getDb(), dataDir, workspaceId, importId: upload.id });
    expect(preview.options).toMatchObject({ encoding: "windows-1252", delimiter: ";", header: true });
    expect(preview.rows.map((r) => r.fields)).toEqual([
      ["c-1", "Zoë Müller", "zoe@example.com", "paid 12,50 €"],
      ["c-2", "Œlaf Šimek", "olaf@example.com", "“VIP”"],
    ]);
    const result = await importFile(
      bytes,
      { customerId: "Customer ID", email: "E-mail", name: "Full name", rename: {} },
      preview.options,
      "customers",
    );
    expect(result).toMatchObject({ status: "succeeded", rowsImported: 2, rowsFailed: 0 });
    const names = await getDb()
      .select({ name: customers.name, note: sql<string>`${customers.traits} ->> 'Note'` })
      .from(customers)
      .where(eq(customers.workspaceId, workspaceId))
      .orderBy(customers.email);
    expect(names).toEqual([
      { name: "Œlaf Šimek", note: "“VIP”" },
      { name: "Zoë Müller", note: "paid 12,50 €" },
    ]);
  });

  it("detects a headerless whitespace file, and the procedures refuse a viewer's start", async () => {
    const db = getDb();
    const upload = await uploadText(db, {
      workspaceId,
      createdBy: userId,
      kind: "events",
      content: " 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n",
    });
    const preview = await previewImport({ db, dataDir, workspaceId, importId: upload.id });
    expect(preview.options).toEqual({
      encoding: "utf-8",
      delimiter: "whitespace",
      header: false,
      dateFormat: "yyyymmdd",
    });
    expect(preview.columns).toEqual(["column 1", "column 2", "column 3", "column 4"]);
    expect(preview.suggested).toMatchObject({
      customerId: "column 1",
      timestamp: "column 2",
      amount: "column 4",
    });
    expect(preview.rows[0]!.read).toMatchObject({
      customerId: "00001",
      amount: 11.77,
      data: { "column 3": 1 },
    });

    const { viewer } = await makeWorkspace(db, "Other");
    await expect(
      callerAs(db, viewer).import.start({
        workspaceId,
        importId: upload.id,
        options: preview.options,
        mapping: preview.suggested,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

/** The Windows-1252 byte of a character: Latin-1's, or one of the 0x80–0x9F range this test uses. */
function windows1252Byte(character: string) {
  const high: Record<string, number> = { "€": 0x80, Š: 0x8a, Œ: 0x8c, "“": 0x93, "”": 0x94 };
  return high[character] ?? character.charCodeAt(0);
}

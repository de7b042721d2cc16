import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { customers, events } from "~/db/schema";
import { JobRunner } from "~/server/jobs/runner";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { makeWorkspace } from "~/test/fixtures";
import { getImport, previewImport, startImport } from "./imports";
import { createImportJobHandler } from "./job";
import { uploadText, testDataFolder } from "./test-fixtures";

// The CDNOW transaction log (test/data/cdnow, Fader & Hardie's public data)
// through the import path, as purchases: whitespace-separated, dates YYYYMMDD,
// amount = the dollar column, the number of CDs as properties.quantity.
// The whole file on both databases: about 15-20 s each on two cores.

const MASTER = path.join(import.meta.dirname, "../../test/data/cdnow/CDNOW_master.txt");

/** Rows, distinct customers and the revenue in cents, computed straight from the text. */
function expected(text: string) {
  const rows = text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== "")
    .map((l) => l.trim().split(/\s+/));
  const cents = rows.reduce((sum, r) => sum + Math.round(Number(r[3]) * 100), 0);
  return { rows: rows.length, customers: new Set(rows.map((r) => r[0])).size, cents };
}

describeEachDatabase("CDNOW import", (getDb, kind) => {
  const dataDir = testDataFolder();
  const file = fs.readFileSync(MASTER);

  beforeAll(async () => {
    await truncateAllTables(getDb());
  });

  it(
    "imports the whole log as 69,659 purchases of 23,570 customers with the file's revenue",
    { timeout: 600_000 },
    async () => {
      const db = getDb();
      const want = expected(file.toString("latin1"));
      expect(want).toMatchObject({ rows: 69_659, customers: 23_570 });
      const { workspace, editor } = await makeWorkspace(db);
      const workspaceId = workspace.id;
      const upload = await uploadText(db, {
        workspaceId,
        createdBy: editor.id,
        kind: "events",
        content: file,
        fileName: "CDNOW_master.txt",
      });

      const preview = await previewImport({ db, dataDir, workspaceId, importId: upload.id });
      expect(preview.options).toEqual({ encoding: "utf-8", delimiter: "whitespace", header: true, dateFormat: "yyyymmdd" });
      expect(preview.columns).toEqual(["customer_id", "date", "number_of_cds", "dollar_value"]);
      expect(preview.suggested).toMatchObject({
        customerId: "customer_id",
        timestamp: "date",
        amount: "dollar_value",
      });

      const mapping = {
        ...preview.suggested,
        event: { value: "Order Completed" },
        channel: { value: "web" },
        rename: { number_of_cds: "quantity" },
      };
      await startImport({
        db,
        dataDir,
        workspaceId,
        importId: upload.id,
        options: preview.options,
        mapping,
        userId: editor.id,
      });
      const started = performance.now();
      const runner = new JobRunner({
        db,
        handlers: new Map([["import", createImportJobHandler({ dataDir })]]),
        log: () => undefined,
      });
      await runner.runOnce();
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `[cdnow] ${kind}: ${want.rows} rows in ${seconds.toFixed(1)} s (${Math.round(want.rows / seconds)} rows/s)`,
      );

      const result = await getImport({ db, workspaceId, importId: upload.id });
      expect(result).toMatchObject({
        status: "succeeded",
        rowsImported: want.rows,
        rowsDuplicate: 0,
        rowsFailed: 0,
      });
      const [stats] = await db
        .select({
          events: sql<number>`count(*)::int`,
          purchases: sql<number>`count(*) filter (where ${events.amount} is not null and ${events.event} = 'Order Completed')::int`,
          cents: sql<string>`(sum(${events.amount}) * 100)::bigint::text`,
          quantity: sql<number>`sum((${events.properties} ->> 'quantity')::int)::int`,
        })
        .from(events)
        .where(eq(events.workspaceId, workspaceId));
      expect(stats).toMatchObject({ events: want.rows, purchases: want.rows });
      expect(Number(stats!.cents)).toBe(want.cents);
      const [people] = await db
        .select({
          n: sql<number>`count(*)::int`,
          purchases: sql<number>`sum(${customers.purchaseCount})::int`,
        })
        .from(customers)
        .where(sql`${customers.workspaceId} = ${workspaceId} and ${customers.mergedInto} is null`);
      expect(people).toEqual({ n: want.customers, purchases: want.rows });
    },
  );
});

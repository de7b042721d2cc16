import fs from "node:fs";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "./schema";

// docs/scale-out.md lists the Citus call for every table; a table added without
// its line would stay on the coordinator, so the page is checked against the schema.

const doc = fs.readFileSync(new URL("../docs/scale-out.md", import.meta.url), "utf8");
const tables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => value instanceof PgTable)
  .map((table) => getTableConfig(table));

describe("docs/scale-out.md", () => {
  it("distributes every workspace table by workspace_id, first in its primary key", () => {
    const scoped = tables.filter((t) => t.columns.some((c) => c.name === "workspace_id"));
    expect(scoped.length).toBeGreaterThan(30);
    for (const table of scoped) {
      expect(doc, table.name).toContain(`create_distributed_table('${table.name}',`);
      const key =
        table.primaryKeys[0]?.columns.map((c) => c.name) ??
        table.columns.filter((c) => c.primary).map((c) => c.name);
      expect(key[0], `${table.name} primary key`).toBe("workspace_id");
    }
  });

  it("makes every other table a reference table", () => {
    for (const table of tables.filter((t) => !t.columns.some((c) => c.name === "workspace_id"))) {
      expect(doc, table.name).toContain(`create_reference_table('${table.name}')`);
    }
  });
});

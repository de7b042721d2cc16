import { describe, expect, it } from "vitest";
import { makeRowReader, type TImportMapping } from "./mapping";

describe("makeRowReader", () => {
  const mapping: TImportMapping = {
    customerId: "customer",
    timestamp: "at",
    event: { column: "event" },
    rename: {},
  } as TImportMapping;

  it("keeps a column named __proto__ as an ordinary property, and changes no prototype", () => {
    const columns = ["customer", "at", "event", "__proto__", "sku"];
    const read = makeRowReader({
      kind: "events",
      columns,
      mapping,
      options: { encoding: "utf-8", delimiter: ",", header: true, dateFormat: "iso" },
      messageIdPrefix: "imp:test:",
    });
    const fields = ["c-1", "2026-03-01", "Order Completed", "polluted", "A-1"];
    const row = read({ line: 2, fields, raw: fields.join(","), end: 0, nextLine: 3 });
    if (!row.ok) throw new Error(row.reason);
    const properties = row.message.properties as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(properties)).toContain("__proto__");
    expect(JSON.parse(JSON.stringify(row.message)).properties).toMatchObject({ sku: "A-1" });
    expect(JSON.stringify(properties)).toContain('"__proto__":"polluted"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

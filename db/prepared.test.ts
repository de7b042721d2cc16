import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Transaction } from "~/db";
import { describeEachDatabase } from "~/test/databases";
import { executePrepared } from "./prepared";

describeEachDatabase("prepared statements", (getDb) => {
  const prepared = (tx: Transaction) =>
    tx.execute<{ name: string; statement: string }>(
      sql`select name, statement from pg_prepared_statements where name like 'centric\\_%'`,
    );

  it("answers as db.execute does, and prepares a statement once per connection whatever its parameters", async () => {
    await getDb().transaction(async (tx) => {
      const statement = (n: number) => sql`select ${n}::int * 2 as twice, ${`tag-${n}`}::text as tag`;
      const first = await executePrepared<{ twice: number; tag: string }>(tx, statement(21));
      const plain = await tx.execute<{ twice: number; tag: string }>(statement(21));
      expect(first.rows).toEqual(plain.rows);
      expect(first.rows).toEqual([{ twice: 42, tag: "tag-21" }]);

      const again = await executePrepared<{ twice: number; tag: string }>(tx, statement(5));
      expect(again.rows).toEqual([{ twice: 10, tag: "tag-5" }]);
      const mine = (await prepared(tx)).rows.filter((row) => row.statement.includes("as twice"));
      expect(mine).toHaveLength(1);
    });
  });

  it("gives statements of different text different names", async () => {
    await getDb().transaction(async (tx) => {
      await executePrepared(tx, sql`select ${1}::int as one_name`);
      await executePrepared(tx, sql`select ${1}::int as other_name`);
      const names = (await prepared(tx)).rows
        .filter((row) => /as (one|other)_name/.test(row.statement))
        .map((row) => row.name);
      expect(new Set(names).size).toBe(2);
    });
  });
});

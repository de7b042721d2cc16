import { beforeEach, expect, it } from "vitest";
import { memberships } from "~/db/schema";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { slugify } from "./workspaces";

it("makes readable URL slugs", () => {
  expect(slugify("Northwind Retail — Café & Bar")).toBe("northwind-retail-cafe-bar");
  expect(slugify("***")).toBe("workspace");
});

describeEachDatabase("workspaces", (getDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    f = await makeWorkspace(getDb(), "Northwind");
  });

  it("an admin creates a workspace, becomes its admin, and gets a free slug", async () => {
    const admin = callerAs(getDb(), f.admin);
    const created = await admin.workspace.create({ name: "Northwind" });
    expect(created.slug).toBe("northwind-2");
    const { workspaces } = await admin.workspace.list();
    expect(workspaces.map((w) => [w.slug, w.role])).toEqual([
      ["northwind", "admin"],
      ["northwind-2", "admin"],
    ]);
    // The creator's other workspaces are untouched, and the new one has just its creator.
    expect(await admin.member.list({ workspaceId: created.id })).toHaveLength(1);
  });

  it("offers creating a workspace to admins of any workspace, not to members who administer none", async () => {
    expect((await callerAs(getDb(), f.admin).workspace.list()).canCreate).toBe(true);
    expect((await callerAs(getDb(), f.editor).workspace.list()).canCreate).toBe(false);
    const other = await makeWorkspace(getDb(), "Contoso");
    // The editor of Northwind becomes the admin of another workspace: now they may create one.
    await getDb().insert(memberships).values({ workspaceId: other.workspace.id, userId: f.editor.id, role: "admin" });
    expect((await callerAs(getDb(), f.editor).workspace.list()).canCreate).toBe(true);
    await expect(callerAs(getDb(), f.viewer).workspace.create({ name: "Viewer's own" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("rejects a too-short name with the field's message", async () => {
    await expect(callerAs(getDb(), f.admin).workspace.create({ name: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at least 2 characters"),
    });
  });

  it("renames a workspace and shows it to its members", async () => {
    await callerAs(getDb(), f.admin).workspace.update({ workspaceId: f.workspace.id, data: { name: "Northwind Stores" } });
    expect((await callerAs(getDb(), f.viewer).workspace.get({ slug: f.workspace.slug })).name).toBe("Northwind Stores");
  });
});

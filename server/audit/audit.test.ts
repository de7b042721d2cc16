import { count, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { auditEvents } from "~/db/schema";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeWorkspace } from "~/test/fixtures";
import { redact } from "./audit";

describeEachDatabase("audit log", (getDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    f = await makeWorkspace(getDb(), "Northwind");
  });

  it("records who did what, when, in which workspace, newest first", async () => {
    const admin = callerAs(getDb(), f.admin);
    await admin.member.updateRole({ workspaceId: f.workspace.id, userId: f.viewer.id, role: "editor" });
    await admin.workspace.update({ workspaceId: f.workspace.id, data: { description: "Stores and web shop" } });
    const { events } = await admin.audit.list({ workspaceId: f.workspace.id });
    expect(events.map((e) => [e.action, e.actorEmail])).toEqual([
      ["workspace.update", f.admin.email],
      ["member.updateRole", f.admin.email],
    ]);
    expect(events[1]?.summary).toBe(`changed ${f.viewer.email} from viewer to editor`);
    expect(events[0]?.createdAt).toBeInstanceOf(Date);
  });

  it("records nothing for a refused change, and the change is not stored", async () => {
    const admin = callerAs(getDb(), f.admin);
    await expect(admin.member.remove({ workspaceId: f.workspace.id, userId: f.admin.id })).rejects.toThrow();
    const [row] = await getDb().select({ n: count() }).from(auditEvents).where(eq(auditEvents.workspaceId, f.workspace.id));
    expect(row?.n).toBe(0);
  });

  it("keeps passwords and tokens out of the log", async () => {
    const invite = await callerAs(getDb(), f.admin).member.add({ workspaceId: f.workspace.id, email: "new@example.test", role: "viewer" });
    await callerAs(getDb(), null).invitation.accept({ token: invite.token, name: "New One", password: "a secret passphrase" });
    const rows = await getDb().select().from(auditEvents).where(eq(auditEvents.workspaceId, f.workspace.id));
    const text = JSON.stringify(rows);
    expect(text).not.toContain("a secret passphrase");
    expect(text).not.toContain(invite.token.split(".")[1]);
    const accepted = rows.find((r) => r.action === "invitation.accept");
    expect(accepted?.actorUserId).toBeTruthy();
  });

  it("pages through a long log with a cursor", async () => {
    const admin = callerAs(getDb(), f.admin);
    for (let i = 0; i < 5; i++) await admin.workspace.update({ workspaceId: f.workspace.id, data: { description: `v${i}` } });
    const first = await admin.audit.list({ workspaceId: f.workspace.id, limit: 3 });
    expect(first.events).toHaveLength(3);
    const second = await admin.audit.list({ workspaceId: f.workspace.id, limit: 3, cursor: first.nextCursor });
    expect(second.events).toHaveLength(2);
    expect(second.nextCursor).toBeUndefined();
  });
});

it("redacts secret-looking keys at any depth", () => {
  expect(redact({ name: "A", password: "p", nested: [{ token: "t", keep: 1 }] })).toEqual({
    name: "A",
    password: "[redacted]",
    nested: [{ token: "[redacted]", keep: 1 }],
  });
});

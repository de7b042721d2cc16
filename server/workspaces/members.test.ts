import { TRPCError } from "@trpc/server";
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase, transactionPerTest } from "~/test/databases";
import { callerAs, makeUser, makeWorkspace } from "~/test/fixtures";

describeEachDatabase("members", (getFileDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  beforeAll(async () => {
    f = await makeWorkspace(getFileDb(), "Northwind");
  });

  // The fixture is built once per database; each test runs in a transaction that is rolled back.
  const getDb = transactionPerTest(getFileDb);

  it("invites an existing user, who joins only by accepting signed in as that email", async () => {
    const existing = await makeUser(getDb(), "existing");
    const admin = callerAs(getDb(), f.admin);
    const result = await admin.member.add({
      workspaceId: f.workspace.id,
      email: existing.email.toUpperCase(),
      role: "editor",
    });
    expect(result.invitePath).toMatch(/^\/invite\/[0-9a-f-]{36}\.[\w-]+$/);
    expect(
      (await admin.member.list({ workspaceId: f.workspace.id })).some((m) => m.userId === existing.id),
    ).toBe(false);
    expect((await callerAs(getDb(), existing).workspace.list()).workspaces).toEqual([]);

    await callerAs(getDb(), existing).invitation.join({ token: result.token });
    const members = await admin.member.list({ workspaceId: f.workspace.id });
    expect(members.find((m) => m.userId === existing.id)?.role).toBe("editor");
  });

  it("answers the same for an email with an account and one without", async () => {
    const existing = await makeUser(getDb(), "existing");
    const admin = callerAs(getDb(), f.admin);
    const shape = (answer: Record<string, unknown>) => Object.keys(answer).sort();
    const forAccount = await admin.member.add({
      workspaceId: f.workspace.id,
      email: existing.email,
      role: "viewer",
    });
    const forNobody = await admin.member.add({
      workspaceId: f.workspace.id,
      email: "nobody@example.test",
      role: "viewer",
    });
    expect(shape(forAccount)).toEqual(shape(forNobody));
    const anonymous = callerAs(getDb(), null);
    expect(shape(await anonymous.invitation.get({ token: forAccount.token }))).toEqual(
      shape(await anonymous.invitation.get({ token: forNobody.token })),
    );
  });

  it("invites a new person: an invitation with a link, no member yet", async () => {
    const admin = callerAs(getDb(), f.admin);
    const result = await admin.member.add({
      workspaceId: f.workspace.id,
      email: "new.person@example.test",
      role: "viewer",
    });
    expect(result.invitePath).toMatch(/^\/invite\/[0-9a-f-]{36}\.[\w-]+$/);
    expect(await admin.member.list({ workspaceId: f.workspace.id })).toHaveLength(3);
    const pending = await admin.invitation.list({ workspaceId: f.workspace.id });
    expect(pending.map((i) => [i.email, i.role])).toEqual([["new.person@example.test", "viewer"]]);
  });

  it("refuses to add someone who is already a member, with a clear message", async () => {
    const admin = callerAs(getDb(), f.admin);
    await expect(
      admin.member.add({ workspaceId: f.workspace.id, email: f.editor.email, role: "viewer" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already a member"),
    });
  });

  it("rejects a malformed email naming the field", async () => {
    const admin = callerAs(getDb(), f.admin);
    const error = await admin.member
      .add({ workspaceId: f.workspace.id, email: "not-an-email", role: "viewer" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toContain("valid email");
  });

  it("changes roles and removes members", async () => {
    const admin = callerAs(getDb(), f.admin);
    await admin.member.updateRole({ workspaceId: f.workspace.id, userId: f.viewer.id, role: "editor" });
    await admin.member.remove({ workspaceId: f.workspace.id, userId: f.editor.id });
    const members = await admin.member.list({ workspaceId: f.workspace.id });
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual(
      [
        [f.admin.email, "admin"],
        [f.viewer.email, "editor"],
      ].sort(),
    );
  });

  it("never demotes or removes the last admin, and keeps the data as it was", async () => {
    const admin = callerAs(getDb(), f.admin);
    await expect(
      admin.member.updateRole({ workspaceId: f.workspace.id, userId: f.admin.id, role: "editor" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at least one admin"),
    });
    await expect(
      admin.member.remove({ workspaceId: f.workspace.id, userId: f.admin.id }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const members = await admin.member.list({ workspaceId: f.workspace.id });
    expect(members.find((m) => m.userId === f.admin.id)?.role).toBe("admin");
  });

  it("lets an admin step down once another admin exists", async () => {
    const admin = callerAs(getDb(), f.admin);
    await admin.member.updateRole({ workspaceId: f.workspace.id, userId: f.editor.id, role: "admin" });
    await admin.member.updateRole({ workspaceId: f.workspace.id, userId: f.admin.id, role: "viewer" });
    const members = await callerAs(getDb(), f.editor).member.list({ workspaceId: f.workspace.id });
    expect(members.filter((m) => m.role === "admin").map((m) => m.userId)).toEqual([f.editor.id]);
  });

  it("answers NOT_FOUND for a user who is not a member", async () => {
    const stranger = await makeUser(getDb(), "stranger");
    const admin = callerAs(getDb(), f.admin);
    await expect(
      admin.member.updateRole({ workspaceId: f.workspace.id, userId: stranger.id, role: "viewer" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

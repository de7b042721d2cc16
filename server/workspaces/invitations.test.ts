import { beforeEach, expect, it } from "vitest";
import { checkCredentials } from "~/server/users/users";
import { describeEachDatabase, truncateAllTables } from "~/test/databases";
import { callerAs, makeUser, makeWorkspace, TEST_PASSWORD } from "~/test/fixtures";
import { acceptInvitation, createInvitation, findInvitation } from "./invitations";

describeEachDatabase("invitations", (getDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  beforeEach(async () => {
    await truncateAllTables(getDb());
    f = await makeWorkspace(getDb(), "Northwind");
  });

  async function invite(email = "newcomer@example.test", role: "editor" | "viewer" = "editor") {
    const result = await callerAs(getDb(), f.admin).member.add({ workspaceId: f.workspace.id, email, role });
    if (result.kind !== "invited") throw new Error("expected an invitation");
    return result.token;
  }

  it("lets a new person set a password and join with the invited role", async () => {
    const token = await invite();
    const anonymous = callerAs(getDb(), null);
    expect(await anonymous.invitation.get({ token })).toMatchObject({
      email: "newcomer@example.test",
      role: "editor",
      workspaceName: "Northwind",
      status: "pending",
      hasAccount: false,
    });
    const accepted = await anonymous.invitation.accept({ token, name: "New Comer", password: "a good long password" });
    expect(accepted).toMatchObject({ workspaceSlug: f.workspace.slug, accountExisted: false });
    const user = await checkCredentials(getDb(), "newcomer@example.test", "a good long password");
    expect(user?.name).toBe("New Comer");
    const members = await callerAs(getDb(), f.admin).member.list({ workspaceId: f.workspace.id });
    expect(members.find((m) => m.email === "newcomer@example.test")?.role).toBe("editor");
    expect((await anonymous.invitation.get({ token })).status).toBe("accepted");
  });

  it("cannot be used twice", async () => {
    const token = await invite();
    const anonymous = callerAs(getDb(), null);
    await anonymous.invitation.accept({ token, name: "New Comer", password: "a good long password" });
    await expect(anonymous.invitation.accept({ token, name: "Someone Else", password: "another long password" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("accepted"),
    });
  });

  it("refuses a tampered, revoked or expired link", async () => {
    const token = await invite();
    const anonymous = callerAs(getDb(), null);
    const tampered = token.slice(0, -3) + (token.endsWith("aaa") ? "bbb" : "aaa");
    await expect(anonymous.invitation.get({ token: tampered })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const invitations = await callerAs(getDb(), f.admin).invitation.list({ workspaceId: f.workspace.id });
    await callerAs(getDb(), f.admin).invitation.revoke({ workspaceId: f.workspace.id, invitationId: invitations[0]!.id });
    await expect(anonymous.invitation.accept({ token, name: "X Y", password: "a good long password" })).rejects.toMatchObject({
      message: expect.stringContaining("revoked"),
    });

    const old = await createInvitation(getDb(), { workspaceId: f.workspace.id, email: "late@example.test", role: "viewer", invitedBy: f.admin.id }, new Date("2020-01-01"));
    expect((await findInvitation(getDb(), old.token))?.status).toBe("expired");
    await expect(acceptInvitation(getDb(), { token: old.token, name: "Late", password: "a good long password" })).rejects.toThrow(/expired/);
  });

  it("a second invitation to the same email replaces the first", async () => {
    const first = await invite("twice@example.test", "viewer");
    const second = await invite("twice@example.test", "editor");
    expect((await findInvitation(getDb(), first))?.status).toBe("revoked");
    expect((await findInvitation(getDb(), second))?.status).toBe("pending");
  });

  it("joins an existing account without changing its password", async () => {
    const existing = await makeUser(getDb(), "existing");
    const { token } = await createInvitation(getDb(), { workspaceId: f.workspace.id, email: existing.email, role: "viewer", invitedBy: f.admin.id });
    const accepted = await callerAs(getDb(), null).invitation.accept({ token, name: "Ignored", password: "an attacker's password" });
    expect(accepted.accountExisted).toBe(true);
    expect(await checkCredentials(getDb(), existing.email, TEST_PASSWORD)).toBeTruthy();
    expect(await checkCredentials(getDb(), existing.email, "an attacker's password")).toBeUndefined();
  });

  it("needs a name and a password to create a new person's account", async () => {
    const token = await invite();
    await expect(callerAs(getDb(), null).invitation.accept({ token })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("choose a password"),
    });
    expect((await findInvitation(getDb(), token))?.status).toBe("pending");
  });

  it("lets someone with an account join with the link alone", async () => {
    const existing = await makeUser(getDb(), "existing");
    const { token } = await createInvitation(getDb(), { workspaceId: f.workspace.id, email: existing.email, role: "viewer", invitedBy: f.admin.id });
    expect((await callerAs(getDb(), null).invitation.accept({ token })).accountExisted).toBe(true);
    const { workspaces } = await callerAs(getDb(), existing).workspace.list();
    expect(workspaces.map((w) => [w.slug, w.role])).toEqual([[f.workspace.slug, "viewer"]]);
  });

  it("rejects a short password, naming the rule", async () => {
    const token = await invite();
    await expect(callerAs(getDb(), null).invitation.accept({ token, name: "New Comer", password: "short" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at least 10 characters"),
    });
  });
});

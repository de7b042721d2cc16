import { beforeAll, expect, it } from "vitest";
import { checkCredentials } from "~/server/users/users";
import { describeEachDatabase, transactionPerTest } from "~/test/databases";
import { callerAs, makeUser, makeWorkspace, TEST_PASSWORD } from "~/test/fixtures";
import { acceptWithNewAccount, createInvitation, findInvitation } from "./invitations";

describeEachDatabase("invitations", (getFileDb) => {
  let f: Awaited<ReturnType<typeof makeWorkspace>>;
  beforeAll(async () => {
    f = await makeWorkspace(getFileDb(), "Northwind");
  });

  // The fixture is built once per database; each test runs in a transaction that is rolled back.
  const getDb = transactionPerTest(getFileDb);

  async function invite(email = "newcomer@example.test", role: "editor" | "viewer" = "editor") {
    const result = await callerAs(getDb(), f.admin).member.add({ workspaceId: f.workspace.id, email, role });
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
    });
    const accepted = await anonymous.invitation.accept({
      token,
      name: "New Comer",
      password: "a good long password",
    });
    expect(accepted).toMatchObject({ workspaceSlug: f.workspace.slug });
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
    await expect(
      anonymous.invitation.accept({ token, name: "Someone Else", password: "another long password" }),
    ).rejects.toMatchObject({
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
    await callerAs(getDb(), f.admin).invitation.revoke({
      workspaceId: f.workspace.id,
      invitationId: invitations[0]!.id,
    });
    await expect(
      anonymous.invitation.accept({ token, name: "X Y", password: "a good long password" }),
    ).rejects.toMatchObject({
      message: expect.stringContaining("revoked"),
    });

    const old = await createInvitation(
      getDb(),
      { workspaceId: f.workspace.id, email: "late@example.test", role: "viewer", invitedBy: f.admin.id },
      new Date("2020-01-01"),
    );
    expect((await findInvitation(getDb(), old.token))?.status).toBe("expired");
    await expect(
      acceptWithNewAccount(getDb(), { token: old.token, name: "Late", password: "a good long password" }),
    ).rejects.toThrow(/expired/);
  });

  it("a second invitation to the same email replaces the first", async () => {
    const first = await invite("twice@example.test", "viewer");
    const second = await invite("twice@example.test", "editor");
    expect((await findInvitation(getDb(), first))?.status).toBe("revoked");
    expect((await findInvitation(getDb(), second))?.status).toBe("pending");
  });

  it("does not let the link holder create or join an existing account", async () => {
    const existing = await makeUser(getDb(), "existing");
    const token = await invite(existing.email, "viewer");
    await expect(
      callerAs(getDb(), null).invitation.accept({
        token,
        name: "Ignored",
        password: "an attacker's password",
      }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("sign in with it to accept"),
    });
    expect(await checkCredentials(getDb(), existing.email, TEST_PASSWORD)).toBeTruthy();
    expect(await checkCredentials(getDb(), existing.email, "an attacker's password")).toBeUndefined();
    await expect(callerAs(getDb(), null).invitation.join({ token })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    // The admin who made the link cannot use it for the person either.
    await expect(callerAs(getDb(), f.admin).invitation.join({ token })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining(`This invitation is for ${existing.email}`),
    });
    expect((await findInvitation(getDb(), token))?.status).toBe("pending");
    expect((await callerAs(getDb(), existing).workspace.list()).workspaces).toEqual([]);
  });

  it("lets someone with an account join, signed in as the invited email, without changing their password", async () => {
    const existing = await makeUser(getDb(), "existing");
    const token = await invite(existing.email, "viewer");
    expect(await callerAs(getDb(), existing).invitation.join({ token })).toMatchObject({
      workspaceSlug: f.workspace.slug,
    });
    expect(await checkCredentials(getDb(), existing.email, TEST_PASSWORD)).toBeTruthy();
    const { workspaces } = await callerAs(getDb(), existing).workspace.list();
    expect(workspaces.map((w) => [w.slug, w.role])).toEqual([[f.workspace.slug, "viewer"]]);
    expect((await findInvitation(getDb(), token))?.status).toBe("accepted");
  });

  it("needs a name and a password to create a new person's account", async () => {
    const token = await invite();
    await expect(
      callerAs(getDb(), null).invitation.accept({ token } as unknown as {
        token: string;
        name: string;
        password: string;
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await findInvitation(getDb(), token))?.status).toBe("pending");
  });

  it("rejects a short password, naming the rule", async () => {
    const token = await invite();
    await expect(
      callerAs(getDb(), null).invitation.accept({ token, name: "New Comer", password: "short" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at least 10 characters"),
    });
  });
});

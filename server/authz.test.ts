import { beforeAll, describe, expect, it } from "vitest";
import { roles, type Role } from "~/db/enums";
import { can, type Permission } from "~/server/permissions";
import { describeEachDatabase, rolledBack } from "~/test/databases";
import type { SessionUser } from "~/server/auth/session-user";
import { callerAs, makeUser } from "~/test/fixtures";
import {
  call,
  codeOf,
  guarded,
  makeProcedureFixture,
  matrix,
  mutations,
  paths,
  workspaceScoped,
  type Fixture,
} from "~/test/procedure-matrix";

// The authorization matrix: each procedure of test/procedure-matrix.ts called
// by every kind of caller; a procedure added to the router without a row there
// fails the first test. The fixture is built once per database and each case
// runs in a transaction that is rolled back, so every case sees it untouched.

describe("authorization matrix", () => {
  it("has a row for every procedure of the AppRouter, and none for procedures that no longer exist", () => {
    expect(paths).toEqual(Object.keys(matrix).sort());
  });
});

describeEachDatabase("authorization", (getDb) => {
  let f: Fixture;

  beforeAll(async () => {
    f = await makeProcedureFixture(getDb());
  });

  /** The answer's code when `user` calls `path`, in a transaction that is rolled back. */
  const codeFor = (user: SessionUser | null, path: string, input: unknown) =>
    rolledBack(getDb(), (tx) => codeOf(call(tx, user, path, input)));

  it.each(guarded)("%s refuses a caller without a session (UNAUTHORIZED)", async (path) => {
    expect(await codeFor(null, path, matrix[path]!.input(f))).toBe("UNAUTHORIZED");
  });

  it.each(workspaceScoped)("%s refuses a member of another workspace (FORBIDDEN, no data)", async (path) => {
    expect(await codeFor(f.outsider, path, matrix[path]!.input(f))).toBe("FORBIDDEN");
  });

  it("workspace.get and workspace.list reveal nothing of a workspace to a non-member", () =>
    rolledBack(getDb(), async (db) => {
      expect(await codeOf(call(db, f.outsider, "workspace.get", { slug: f.a.workspace.slug }))).toBe(
        "NOT_FOUND",
      );
      const { workspaces } = await callerAs(db, f.outsider).workspace.list();
      expect(workspaces.map((w) => w.id)).not.toContain(f.a.workspace.id);
    }));

  it.each(mutations)("%s refuses a viewer (FORBIDDEN)", async (path) => {
    expect(await codeFor(f.a.viewer, path, matrix[path]!.input(f))).toBe("FORBIDDEN");
  });

  const roleCases = workspaceScoped.flatMap((path) => roles.map((role) => [path, role] as [string, Role]));
  it.each(roleCases)("%s as %s follows the permission table", async (path, role) => {
    const row = matrix[path]!;
    const permission = (row.access as { permission: Permission }).permission;
    const user = { admin: f.a.admin, editor: f.a.editor, viewer: f.a.viewer }[role];
    const code = await codeFor(user, path, row.input(f));
    expect(code).toBe(can(role, permission) ? "OK" : "FORBIDDEN");
  });

  it("an admin of one workspace cannot reach another's members or invitations through their own workspace id", () =>
    rolledBack(getDb(), async (db) => {
      const other = await callerAs(db, f.outsider).workspace.list();
      const ownWorkspaceId = other.workspaces[0]!.id;
      const outsider = callerAs(db, f.outsider);
      await expect(
        outsider.member.updateRole({ workspaceId: ownWorkspaceId, userId: f.a.editor.id, role: "admin" }),
      ).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      await expect(
        outsider.member.remove({ workspaceId: ownWorkspaceId, userId: f.a.viewer.id }),
      ).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      await expect(
        outsider.invitation.revoke({
          workspaceId: ownWorkspaceId,
          invitationId: f.a.invitation.invitationId,
        }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      const members = await callerAs(db, f.a.admin).member.list({ workspaceId: f.a.workspace.id });
      expect(members.map((m) => m.role).sort()).toEqual(["admin", "editor", "viewer"]);
      expect(await callerAs(db, f.a.admin).invitation.list({ workspaceId: f.a.workspace.id })).toHaveLength(
        1,
      );
    }));

  it("a user who is admin nowhere cannot create workspaces", () =>
    rolledBack(getDb(), async (db) => {
      const loner = await makeUser(db, "loner");
      expect(await codeOf(call(db, loner, "workspace.create", { name: "Mine" }))).toBe("FORBIDDEN");
    }));
});

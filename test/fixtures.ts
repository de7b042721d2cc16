import { randomBytes } from "node:crypto";
import type { Database } from "~/db";
import { memberships } from "~/db/schema";
import { type Role } from "~/db/enums";
import { createCaller } from "~/server/root";
import type { SessionUser } from "~/server/auth/session-user";
import { createContext } from "~/server/trpc";
import { createUser } from "~/server/users/users";
import { createWorkspace } from "~/server/workspaces/workspaces";

export const TEST_PASSWORD = "correct horse battery";

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${randomBytes(4).toString("hex")}@example.test`;
}

export async function makeUser(db: Database, prefix = "user"): Promise<SessionUser> {
  return createUser(db, { email: uniqueEmail(prefix), name: `${prefix} person`, password: TEST_PASSWORD });
}

/** A workspace with one user per role (the admin created it). */
export async function makeWorkspace(db: Database, name = "Test workspace") {
  const admin = await makeUser(db, "admin");
  const editor = await makeUser(db, "editor");
  const viewer = await makeUser(db, "viewer");
  const workspace = await createWorkspace(db, { userId: admin.id, name, requireAdmin: false });
  const add = (userId: string, role: Role) =>
    db.insert(memberships).values({ workspaceId: workspace.id, userId, role });
  await add(editor.id, "editor");
  await add(viewer.id, "viewer");
  return { workspace, admin, editor, viewer };
}

/** A tRPC caller as this user (or anonymous), with the same middleware as over HTTP. */
export function callerAs(db: Database, user: SessionUser | null) {
  return createCaller(createContext({ db, session: user ? { user } : null }));
}

import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { memberships, users } from "~/db/schema";
import { type Role } from "~/db/enums";
import { ConflictError, NotFoundError, RuleError } from "~/server/errors";
import { findUserByEmail, normaliseEmail } from "~/server/users/users";
import { createInvitation } from "./invitations";

export async function listMembers(db: DbOrTx, workspaceId: string) {
  return db
    .select({
      userId: memberships.userId,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
}

async function getMember(db: DbOrTx, workspaceId: string, userId: string) {
  const [member] = await db
    .select({ userId: memberships.userId, role: memberships.role, email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  if (!member) throw new NotFoundError("No such member in this workspace.");
  return member;
}

/**
 * Refuses to take the admin role away from the last admin. The admins' rows
 * are locked so that two admins demoting each other at once cannot both win.
 */
async function assertAnotherAdminRemains(db: DbOrTx, workspaceId: string, userId: string) {
  const admins = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "admin")))
    .for("update");
  if (!admins.some((admin) => admin.userId !== userId)) {
    throw new RuleError("A workspace needs at least one admin: make another member admin first.");
  }
}

/**
 * Adds a person by email: always an invitation whose link the admin passes on,
 * whether or not the email has an account, so that no one joins a workspace
 * without accepting and the answer does not tell who has an account. A current
 * member is refused (the admin sees the members anyway).
 */
export async function addMember(
  db: DbOrTx,
  input: { workspaceId: string; email: string; role: Role; invitedBy: string },
) {
  const user = await findUserByEmail(db, input.email);
  if (user && (await isMember(db, input.workspaceId, user.id))) {
    throw new ConflictError(`${user.email} is already a member of this workspace.`);
  }
  const invitation = await createInvitation(db, input);
  return { email: normaliseEmail(input.email), role: input.role, ...invitation };
}

async function isMember(db: DbOrTx, workspaceId: string, userId: string) {
  const [row] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row !== undefined;
}

export async function updateMemberRole(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; role: Role },
) {
  const member = await getMember(db, input.workspaceId, input.userId);
  if (member.role === "admin" && input.role !== "admin") {
    await assertAnotherAdminRemains(db, input.workspaceId, input.userId);
  }
  await db
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.userId)));
  return { ...member, previousRole: member.role, role: input.role };
}

export async function removeMember(db: DbOrTx, input: { workspaceId: string; userId: string }) {
  const member = await getMember(db, input.workspaceId, input.userId);
  if (member.role === "admin") await assertAnotherAdminRemains(db, input.workspaceId, input.userId);
  await db
    .delete(memberships)
    .where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.userId)));
  return member;
}

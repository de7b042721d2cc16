import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { memberships, users, type Role } from "~/db/schema";
import { ConflictError, NotFoundError, RuleError } from "~/server/errors";
import { findUserByEmail } from "~/server/users/users";
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
 * Adds a person by email. An existing user gets the role at once; anyone else
 * gets an invitation whose link the admin passes on.
 */
export async function addMember(
  db: DbOrTx,
  input: { workspaceId: string; email: string; role: Role; invitedBy: string },
) {
  const user = await findUserByEmail(db, input.email);
  if (!user) {
    const invitation = await createInvitation(db, input);
    return { kind: "invited" as const, email: input.email, role: input.role, ...invitation };
  }
  const [added] = await db
    .insert(memberships)
    .values({ workspaceId: input.workspaceId, userId: user.id, role: input.role })
    .onConflictDoNothing()
    .returning({ userId: memberships.userId });
  if (!added) throw new ConflictError(`${user.email} is already a member of this workspace.`);
  return { kind: "added" as const, userId: user.id, email: user.email, name: user.name, role: input.role };
}

export async function updateMemberRole(db: DbOrTx, input: { workspaceId: string; userId: string; role: Role }) {
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

import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "~/db";
import { memberships, users } from "~/db/schema";
import { type Role } from "~/db/enums";
import { ForbiddenError } from "~/server/errors";
import { can, type Permission } from "~/server/permissions";

// The one check of "may this user do this in this workspace", shared by
// tRPC's workspaceProcedure and the route handlers' withWorkspace, so that
// both answer a non-member and a role that falls short alike.

/** The workspace a call is about, as every workspace-scoped input names it. */
export const ZWorkspaceId = z.uuid("workspaceId must be a workspace id");

export interface WorkspaceMember {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

/**
 * The user as a member of the workspace whose role grants `permission`.
 * Throws ForbiddenError otherwise; a non-member learns nothing of the workspace.
 */
export async function requireWorkspacePermission(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; permission: Permission },
): Promise<WorkspaceMember> {
  const [member] = await db
    .select({ userId: memberships.userId, role: memberships.role, email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.userId)));
  if (!member) throw new ForbiddenError("You are not a member of this workspace.");
  if (!can(member.role, input.permission)) {
    throw new ForbiddenError(`Your role (${member.role}) does not allow this (${input.permission}).`);
  }
  return member;
}

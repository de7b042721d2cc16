import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { memberships, type Role } from "~/db/schema";

/** The user's role in the workspace, or null for a non-member (for routes outside tRPC). */
export async function workspaceRole(
  db: DbOrTx,
  input: { workspaceId: string; userId: string },
): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.userId)));
  return row?.role ?? null;
}

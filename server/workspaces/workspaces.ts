import "server-only";
import { and, asc, eq, like, or } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "~/db";
import { memberships, workspaces } from "~/db/schema";
import { ForbiddenError } from "~/server/errors";

export const ZWorkspaceName = z.string().trim().min(2, "Name must be at least 2 characters").max(80, "Name must be at most 80 characters");
export const ZWorkspaceDescription = z.string().trim().max(500, "Description must be at most 500 characters");

export function slugify(name: string) {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return slug || "workspace";
}

async function freeSlug(db: DbOrTx, name: string) {
  const base = slugify(name);
  const taken = new Set(
    (
      await db
        .select({ slug: workspaces.slug })
        .from(workspaces)
        .where(or(eq(workspaces.slug, base), like(workspaces.slug, `${base}-%`)))
    ).map((row) => row.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export async function listWorkspacesForUser(db: DbOrTx, userId: string) {
  return db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
}

/** The workspace with this slug if the user is a member of it, with their role. */
export async function getWorkspaceForUser(db: DbOrTx, { userId, slug }: { userId: string; slug: string }) {
  const [row] = await db
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      description: workspaces.description,
      createdAt: workspaces.createdAt,
      role: memberships.role,
    })
    .from(workspaces)
    .innerJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, userId)))
    .where(eq(workspaces.slug, slug));
  return row;
}

/** Admins create workspaces: a user who is admin of at least one may create more. */
export async function canCreateWorkspaces(db: DbOrTx, userId: string) {
  const [adminOf] = await db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "admin")))
    .limit(1);
  return adminOf !== undefined;
}

export async function createWorkspace(
  db: DbOrTx,
  input: { userId: string; name: string; description?: string; requireAdmin?: boolean },
) {
  if (input.requireAdmin !== false && !(await canCreateWorkspaces(db, input.userId))) {
    throw new ForbiddenError("Only admins of a workspace can create workspaces.");
  }
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: input.name, slug: await freeSlug(db, input.name), description: input.description ?? "" })
    .returning({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name });
  await db.insert(memberships).values({ workspaceId: workspace!.id, userId: input.userId, role: "admin" });
  return workspace!;
}

export async function updateWorkspace(
  db: DbOrTx,
  input: { workspaceId: string; data: { name?: string; description?: string } },
) {
  const [workspace] = await db
    .update(workspaces)
    .set(input.data)
    .where(eq(workspaces.id, input.workspaceId))
    .returning({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, description: workspaces.description });
  return workspace!;
}

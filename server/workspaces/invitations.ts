import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { invitations, memberships, users, workspaces } from "~/db/schema";
import { type Role } from "~/db/enums";
import { ConflictError, ForbiddenError, NotFoundError } from "~/server/errors";
import { createUser, findUserByEmail, normaliseEmail } from "~/server/users/users";

export const INVITATION_DAYS = 14;

function hashSecret(secret: string) {
  return createHash("sha256").update(secret).digest("hex");
}

/** The link's token is "<invitation id>.<secret>"; only the secret's hash is stored. */
function parseToken(token: string) {
  const [id, secret] = token.split(".");
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return id && secret && uuid.test(id) ? { id, secret } : undefined;
}

export function invitationPath(token: string) {
  return `/invite/${token}`;
}

/** Creates an invitation, replacing any pending one for the same email. Returns the token once. */
export async function createInvitation(
  db: DbOrTx,
  input: { workspaceId: string; email: string; role: Role; invitedBy: string },
  now = new Date(),
) {
  const email = normaliseEmail(input.email);
  await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.workspaceId, input.workspaceId),
        eq(sql`lower(${invitations.email})`, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
  const secret = randomBytes(24).toString("base64url");
  const [invitation] = await db
    .insert(invitations)
    .values({
      workspaceId: input.workspaceId,
      email,
      role: input.role,
      tokenHash: hashSecret(secret),
      invitedBy: input.invitedBy,
      expiresAt: new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000),
    })
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  const token = `${invitation!.id}.${secret}`;
  return {
    invitationId: invitation!.id,
    expiresAt: invitation!.expiresAt,
    token,
    invitePath: invitationPath(token),
  };
}

export async function listPendingInvitations(db: DbOrTx, workspaceId: string, now = new Date()) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      invitedByName: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(db: DbOrTx, input: { workspaceId: string; invitationId: string }) {
  const [revoked] = await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.workspaceId, input.workspaceId),
        eq(invitations.id, input.invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning({ email: invitations.email });
  if (!revoked) throw new NotFoundError("No pending invitation with that id.");
  return revoked;
}

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

/** What the invitation page shows: the workspace, the email, the role and whether it can still be used. */
export async function findInvitation(db: DbOrTx, token: string, now = new Date()) {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const [row] = await db
    .select({
      workspaceId: invitations.workspaceId,
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      tokenHash: invitations.tokenHash,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      workspaceName: workspaces.name,
      workspaceSlug: workspaces.slug,
    })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.id, parsed.id));
  if (!row) return undefined;
  const expected = Buffer.from(row.tokenHash, "hex");
  const given = Buffer.from(hashSecret(parsed.secret), "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const status: InvitationStatus = row.acceptedAt
    ? "accepted"
    : row.revokedAt
      ? "revoked"
      : row.expiresAt <= now
        ? "expired"
        : "pending";
  const { tokenHash: _hash, ...invitation } = row;
  return { ...invitation, status };
}

async function pendingInvitation(db: DbOrTx, token: string, now: Date) {
  const invitation = await findInvitation(db, token, now);
  if (!invitation) throw new NotFoundError("This invitation link is not valid. Ask an admin for a new one.");
  if (invitation.status !== "pending") {
    throw new ConflictError(`This invitation has been ${invitation.status}. Ask an admin for a new one.`);
  }
  return invitation;
}

async function join(
  db: DbOrTx,
  invitation: Awaited<ReturnType<typeof pendingInvitation>>,
  userId: string,
  now: Date,
) {
  await db
    .insert(memberships)
    .values({ workspaceId: invitation.workspaceId, userId, role: invitation.role })
    .onConflictDoNothing();
  await db
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.workspaceId, invitation.workspaceId), eq(invitations.id, invitation.id)));
  return {
    userId,
    email: invitation.email,
    workspaceId: invitation.workspaceId,
    workspaceSlug: invitation.workspaceSlug,
    workspaceName: invitation.workspaceName,
    role: invitation.role,
  };
}

/** Accepts an invitation by creating the invited person's account with the password they chose. */
export async function acceptWithNewAccount(
  db: DbOrTx,
  input: { token: string; name: string; password: string },
  now = new Date(),
) {
  const invitation = await pendingInvitation(db, input.token, now);
  if (await findUserByEmail(db, invitation.email)) {
    throw new ConflictError(`${invitation.email} already has a Centric account: sign in with it to accept.`);
  }
  const user = await createUser(db, { email: invitation.email, name: input.name, password: input.password });
  return join(db, invitation, user.id, now);
}

/**
 * Accepts an invitation with the account the person is signed in to, which
 * must be the invited email's: holding the link is not consent to join.
 */
export async function acceptAsSignedInUser(
  db: DbOrTx,
  input: { token: string; user: { id: string; email: string } },
  now = new Date(),
) {
  const invitation = await pendingInvitation(db, input.token, now);
  if (normaliseEmail(input.user.email) !== normaliseEmail(invitation.email)) {
    throw new ForbiddenError(
      `This invitation is for ${invitation.email}; you are signed in as ${input.user.email}. Sign in as ${invitation.email} to accept it.`,
    );
  }
  return join(db, invitation, input.user.id, now);
}

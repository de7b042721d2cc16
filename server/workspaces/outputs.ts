import { z } from "zod";
import { describes, ZInstant, ZRole, type Resolved } from "~/server/output-schemas";
import type { InvitationStatus, listPendingInvitations } from "./invitations";
import type { addMember, listMembers } from "./members";
import type {
  createWorkspace,
  getWorkspaceForUser,
  listWorkspacesForUser,
  updateWorkspace,
} from "./workspaces";

// What the workspace, member and invitation procedures return.

export const ZWorkspaceIdentity = describes<Resolved<typeof createWorkspace>>()(
  z.object({ id: z.string(), slug: z.string(), name: z.string() }),
);

/** One of the caller's workspaces, with their role in it. */
export const ZMyWorkspace = ZWorkspaceIdentity.extend({ role: ZRole });
export const ZMyWorkspaces = describes<Resolved<typeof listWorkspacesForUser>>()(z.array(ZMyWorkspace));

export const ZWorkspaceList = z.object({ workspaces: ZMyWorkspaces, canCreate: z.boolean() });

export const ZWorkspaceSettings = describes<Resolved<typeof updateWorkspace>>()(
  ZWorkspaceIdentity.extend({ description: z.string() }),
);

export const ZWorkspaceDetail = describes<NonNullable<Resolved<typeof getWorkspaceForUser>>>()(
  ZWorkspaceSettings.extend({ createdAt: ZInstant, role: ZRole }),
);

export const ZMember = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: ZRole,
  joinedAt: ZInstant,
});
export const ZMembers = describes<Resolved<typeof listMembers>>()(z.array(ZMember));

export const ZMemberRole = z.object({ userId: z.string(), role: ZRole });
export const ZMemberId = ZMemberRole.pick({ userId: true });

/** The invitation made for a new member: its link is for the admin to pass on. */
export const ZNewInvitation = describes<Resolved<typeof addMember>>()(
  z.object({
    invitationId: z.string(),
    expiresAt: ZInstant,
    token: z.string(),
    invitePath: z.string(),
    email: z.string(),
    role: ZRole,
  }),
);

export const ZPendingInvitation = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  createdAt: ZInstant,
  expiresAt: ZInstant,
  invitedByName: z.string().nullable(),
});
export const ZPendingInvitations = describes<Resolved<typeof listPendingInvitations>>()(
  z.array(ZPendingInvitation),
);

export const ZInvitationId = z.object({ invitationId: z.string() });

export const ZInvitationStatus = describes<InvitationStatus>()(
  z.enum(["pending", "accepted", "revoked", "expired"]),
);

/** The workspace an invitation joins, as its holder is told. */
export const ZJoinedWorkspace = z.object({
  email: z.string(),
  workspaceSlug: z.string(),
  workspaceName: z.string(),
});

/** What the link shows its holder; never whether the email already has an account. */
export const ZInvitationView = ZJoinedWorkspace.extend({
  role: ZRole,
  status: ZInvitationStatus,
  expiresAt: ZInstant,
});

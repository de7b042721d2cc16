import "server-only";
import { z } from "zod";
import { ZPassword } from "~/server/auth/password";
import { NotFoundError } from "~/server/errors";
import { createTRPCRouter, protectedProcedure, publicProcedure, workspaceProcedure } from "~/server/trpc";
import { ZPersonName } from "~/server/users/users";
import {
  acceptAsSignedInUser,
  acceptWithNewAccount,
  findInvitation,
  listPendingInvitations,
  revokeInvitation,
} from "~/server/workspaces/invitations";
import {
  ZInvitationId,
  ZInvitationView,
  ZJoinedWorkspace,
  ZPendingInvitations,
} from "~/server/workspaces/outputs";

const ZToken = z.string().min(10, "This invitation link is incomplete").max(200);

export const ZRevokeInvitationInput = z.object({ invitationId: z.uuid() });
export const ZGetInvitationInput = z.object({ token: ZToken });
export const ZAcceptInvitationInput = z.object({ token: ZToken, name: ZPersonName, password: ZPassword });
export const ZJoinInvitationInput = z.object({ token: ZToken });

export const invitationRouter = createTRPCRouter({
  list: workspaceProcedure("members:manage")
    .output(ZPendingInvitations)
    .query(({ ctx }) => listPendingInvitations(ctx.db, ctx.workspaceId)),

  revoke: workspaceProcedure("members:manage")
    .input(ZRevokeInvitationInput)
    .output(ZInvitationId)
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeInvitation(ctx.db, { ...input, workspaceId: ctx.workspaceId });
      ctx.audit({ summary: `revoked the invitation of ${revoked.email}` });
      return { invitationId: input.invitationId };
    }),

  /**
   * Public: the link shows its holder the workspace, email and role. Whether
   * the email has an account is not said: the admin who made the link holds it too.
   */
  get: publicProcedure
    .input(ZGetInvitationInput)
    .output(ZInvitationView)
    .query(async ({ ctx, input }) => {
      const invitation = await findInvitation(ctx.db, input.token);
      if (!invitation)
        throw new NotFoundError("This invitation link is not valid. Ask an admin for a new one.");
      return {
        email: invitation.email,
        role: invitation.role,
        workspaceName: invitation.workspaceName,
        workspaceSlug: invitation.workspaceSlug,
        status: invitation.status,
        expiresAt: invitation.expiresAt,
      };
    }),

  /** Public: a new person creates their account from the link and joins. */
  accept: publicProcedure
    .input(ZAcceptInvitationInput)
    .output(ZJoinedWorkspace)
    .mutation(async ({ ctx, input }) => {
      const accepted = await acceptWithNewAccount(ctx.db, input);
      auditAcceptance(ctx, accepted);
      return {
        email: accepted.email,
        workspaceSlug: accepted.workspaceSlug,
        workspaceName: accepted.workspaceName,
      };
    }),

  /** Someone with an account joins, signed in as the invited email. */
  join: protectedProcedure
    .input(ZJoinInvitationInput)
    .output(ZJoinedWorkspace)
    .mutation(async ({ ctx, input }) => {
      const accepted = await acceptAsSignedInUser(ctx.db, { token: input.token, user: ctx.session.user });
      auditAcceptance(ctx, accepted);
      return {
        email: accepted.email,
        workspaceSlug: accepted.workspaceSlug,
        workspaceName: accepted.workspaceName,
      };
    }),
});

function auditAcceptance(
  ctx: { audit: (entry: { workspaceId: string; actorUserId: string; summary: string }) => void },
  accepted: { workspaceId: string; userId: string; email: string; role: string },
) {
  ctx.audit({
    workspaceId: accepted.workspaceId,
    actorUserId: accepted.userId,
    summary: `${accepted.email} accepted the invitation as ${accepted.role}`,
  });
}

import { z } from "zod";
import { ZPassword } from "~/server/auth/password";
import { NotFoundError } from "~/server/errors";
import { createTRPCRouter, publicProcedure, workspaceProcedure } from "~/server/trpc";
import { ZPersonName } from "~/server/users/users";
import {
  acceptInvitation,
  findInvitation,
  listPendingInvitations,
  revokeInvitation,
} from "~/server/workspaces/invitations";

const ZToken = z.string().min(10, "This invitation link is incomplete").max(200);

export const ZRevokeInvitationInput = z.object({ invitationId: z.uuid() });
export const ZGetInvitationInput = z.object({ token: ZToken });
/** name and password create the account of a new person; someone with an account joins without them. */
export const ZAcceptInvitationInput = z.object({
  token: ZToken,
  name: ZPersonName.optional(),
  password: ZPassword.optional(),
});

export const invitationRouter = createTRPCRouter({
  list: workspaceProcedure("members:manage").query(({ ctx }) => listPendingInvitations(ctx.db, ctx.workspaceId)),

  revoke: workspaceProcedure("members:manage")
    .input(ZRevokeInvitationInput)
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeInvitation(ctx.db, { ...input, workspaceId: ctx.workspaceId });
      ctx.audit({ workspaceId: ctx.workspaceId, summary: `revoked the invitation of ${revoked.email}` });
      return { invitationId: input.invitationId };
    }),

  /** Public: the link itself is the credential. Shows only what its holder needs. */
  get: publicProcedure.input(ZGetInvitationInput).query(async ({ ctx, input }) => {
    const invitation = await findInvitation(ctx.db, input.token);
    if (!invitation) throw new NotFoundError("This invitation link is not valid. Ask an admin for a new one.");
    return {
      email: invitation.email,
      role: invitation.role,
      workspaceName: invitation.workspaceName,
      workspaceSlug: invitation.workspaceSlug,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      hasAccount: invitation.hasAccount,
    };
  }),

  /** Public: creates the invited person's account (or joins an existing one) from the link. */
  accept: publicProcedure.input(ZAcceptInvitationInput).mutation(async ({ ctx, input }) => {
    const accepted = await acceptInvitation(ctx.db, input);
    ctx.audit({
      workspaceId: accepted.workspaceId,
      actorUserId: accepted.userId,
      summary: `${accepted.email} accepted the invitation as ${accepted.role}`,
    });
    return {
      email: accepted.email,
      workspaceSlug: accepted.workspaceSlug,
      workspaceName: accepted.workspaceName,
      accountExisted: accepted.accountExisted,
    };
  }),
});

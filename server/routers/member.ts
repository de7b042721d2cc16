import "server-only";
import { z } from "zod";
import { roles } from "~/db/enums";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { ZEmail } from "~/server/users/users";
import { addMember, listMembers, removeMember, updateMemberRole } from "~/server/workspaces/members";
import { ZMemberId, ZMemberRole, ZMembers, ZNewInvitation } from "~/server/workspaces/outputs";

const ZRole = z.enum(roles, "Role must be admin, editor or viewer");

export const ZAddMemberInput = z.object({ email: ZEmail, role: ZRole });
export const ZUpdateMemberRoleInput = z.object({ userId: z.uuid(), role: ZRole });
export const ZRemoveMemberInput = z.object({ userId: z.uuid() });

export const memberRouter = createTRPCRouter({
  list: workspaceProcedure("members:read")
    .output(ZMembers)
    .query(({ ctx }) => listMembers(ctx.db, ctx.workspaceId)),

  add: workspaceProcedure("members:manage")
    .input(ZAddMemberInput)
    .output(ZNewInvitation)
    .mutation(async ({ ctx, input }) => {
      const result = await addMember(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        invitedBy: ctx.session.user.id,
      });
      ctx.audit({ summary: `invited ${result.email} as ${result.role}` });
      return result;
    }),

  updateRole: workspaceProcedure("members:manage")
    .input(ZUpdateMemberRoleInput)
    .output(ZMemberRole)
    .mutation(async ({ ctx, input }) => {
      const member = await updateMemberRole(ctx.db, { ...input, workspaceId: ctx.workspaceId });
      ctx.audit({
        summary: `changed ${member.email} from ${member.previousRole} to ${member.role}`,
      });
      return { userId: member.userId, role: member.role };
    }),

  remove: workspaceProcedure("members:manage")
    .input(ZRemoveMemberInput)
    .output(ZMemberId)
    .mutation(async ({ ctx, input }) => {
      const member = await removeMember(ctx.db, { workspaceId: ctx.workspaceId, userId: input.userId });
      ctx.audit({ summary: `removed ${member.email} (${member.role})` });
      return { userId: member.userId };
    }),
});

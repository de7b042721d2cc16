import "server-only";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure, workspaceProcedure } from "~/server/trpc";
import { NotFoundError } from "~/server/errors";
import {
  createWorkspace,
  getWorkspaceForUser,
  listWorkspacesForUser,
  updateWorkspace,
  ZWorkspaceDescription,
  ZWorkspaceName,
} from "~/server/workspaces/workspaces";
import { landingWorkspace } from "~/server/workspaces/landing";
import {
  ZWorkspaceDetail,
  ZWorkspaceIdentity,
  ZWorkspaceList,
  ZWorkspaceSettings,
} from "~/server/workspaces/outputs";

export const ZCreateWorkspaceInput = z.object({
  name: ZWorkspaceName,
  description: ZWorkspaceDescription.optional(),
});
export const ZGetWorkspaceInput = z.object({ slug: z.string().min(1).max(60) });
export const ZUpdateWorkspaceInput = z.object({
  data: z.object({ name: ZWorkspaceName.optional(), description: ZWorkspaceDescription.optional() }),
});

export const ZLandingInput = z.object({ last: z.string().max(60).optional() });

export const workspaceRouter = createTRPCRouter({
  /** The workspace "/" opens: the one the caller was in last, else one with customers (./landing.ts). */
  landing: protectedProcedure
    .input(ZLandingInput)
    .output(z.object({ slug: z.string().nullable() }))
    .query(async ({ ctx, input }) => ({
      slug: (await landingWorkspace(ctx.db, ctx.session.user.id, input.last)) ?? null,
    })),

  /** The caller's workspaces with their role in each, and whether they may create more. */
  list: protectedProcedure.output(ZWorkspaceList).query(async ({ ctx }) => {
    const workspaces = await listWorkspacesForUser(ctx.db, ctx.session.user.id);
    // An admin of any workspace may create one (canCreateWorkspaces): the list has every role already.
    return { workspaces, canCreate: workspaces.some((w) => w.role === "admin") };
  }),

  get: protectedProcedure
    .input(ZGetWorkspaceInput)
    .output(ZWorkspaceDetail)
    .query(async ({ ctx, input }) => {
      const workspace = await getWorkspaceForUser(ctx.db, { userId: ctx.session.user.id, slug: input.slug });
      // Not a member and no such workspace look the same.
      if (!workspace) throw new NotFoundError("No such workspace.");
      return workspace;
    }),

  create: protectedProcedure
    .input(ZCreateWorkspaceInput)
    .output(ZWorkspaceIdentity)
    .mutation(async ({ ctx, input }) => {
      const workspace = await createWorkspace(ctx.db, { userId: ctx.session.user.id, ...input });
      ctx.audit({ workspaceId: workspace.id, summary: `created the workspace ${workspace.name}` });
      return workspace;
    }),

  update: workspaceProcedure("settings:manage")
    .input(ZUpdateWorkspaceInput)
    .output(ZWorkspaceSettings)
    .mutation(async ({ ctx, input }) => {
      const workspace = await updateWorkspace(ctx.db, { workspaceId: ctx.workspaceId, data: input.data });
      ctx.audit({ summary: "updated the workspace settings" });
      return workspace;
    }),
});

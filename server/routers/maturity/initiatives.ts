import "server-only";
import { z } from "zod";
import {
  createInitiative,
  listInitiatives,
  removeInitiative,
  updateInitiative,
} from "~/server/maturity/initiatives";
import { ZModelKey } from "~/server/maturity/model";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { ZInitiativeData, ZInitiativeId } from "./inputs";
import { ZIdResult } from "~/server/output-schemas";
import { ZInitiatives } from "./outputs";

// Initiatives that move a dimension up a level.

export const initiativeRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read")
    .input(z.object({ dimensionKey: ZModelKey.optional() }))
    .output(ZInitiatives)
    .query(({ ctx, input }) =>
      listInitiatives(ctx.db, { workspaceId: ctx.workspaceId, dimensionKey: input.dimensionKey }),
    ),

  create: workspaceProcedure("content:write")
    .input(ZInitiativeData)
    .output(ZIdResult)
    .mutation(async ({ ctx, input }) => {
      const created = await createInitiative(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `added the initiative “${input.title}” for ${input.dimensionKey}`,
        details: { initiativeId: created.id },
      });
      return created;
    }),

  update: workspaceProcedure("content:write")
    .input(ZInitiativeId.extend({ data: ZInitiativeData }))
    .output(ZIdResult)
    .mutation(async ({ ctx, input }) => {
      await updateInitiative(ctx.db, { workspaceId: ctx.workspaceId, id: input.id, data: input.data });
      ctx.audit({
        summary: `changed the initiative “${input.data.title}” (${input.data.status})`,
        details: { initiativeId: input.id },
      });
      return { id: input.id };
    }),

  remove: workspaceProcedure("content:write")
    .input(ZInitiativeId)
    .output(ZIdResult)
    .mutation(async ({ ctx, input }) => {
      const { title } = await removeInitiative(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `removed the initiative “${title}”`,
        details: { initiativeId: input.id },
      });
      return { id: input.id };
    }),
});

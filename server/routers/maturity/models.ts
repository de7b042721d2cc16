import "server-only";
import { z } from "zod";
import {
  copyIntoCustomModel,
  getModelVersion,
  listModels,
  listModelVersions,
  saveModelVersion,
} from "~/server/maturity/store";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { id, ZModelRef, ZCopyModelInput, ZSaveModelVersionInput } from "./inputs";
import { ZModelSummaries, ZModelSummary, ZModelVersion, ZModelVersions } from "./outputs";

// Maturity models: the built-in one, and custom copies with saved versions (admins edit).

export const modelRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read")
    .output(ZModelSummaries)
    .query(({ ctx }) => listModels(ctx.db, ctx.workspaceId)),

  get: workspaceProcedure("workspace:read")
    .input(ZModelRef)
    .output(ZModelVersion)
    .query(({ ctx, input }) =>
      getModelVersion(ctx.db, {
        workspaceId: ctx.workspaceId,
        modelId: input.modelId,
        version: input.version,
      }),
    ),

  /** A custom model's saved versions, newest first. */
  versions: workspaceProcedure("workspace:read")
    .input(z.object({ modelId: id("a model") }))
    .output(ZModelVersions)
    .query(({ ctx, input }) =>
      listModelVersions(ctx.db, { workspaceId: ctx.workspaceId, modelId: input.modelId }),
    ),

  copy: workspaceProcedure("settings:manage")
    .input(ZCopyModelInput)
    .output(ZModelSummary)
    .mutation(async ({ ctx, input }) => {
      const copy = await copyIntoCustomModel(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        from: input.from,
        name: input.name,
      });
      ctx.audit({
        summary: `copied a maturity model into “${copy.name}”`,
        details: { modelId: copy.modelId },
      });
      return copy;
    }),

  saveVersion: workspaceProcedure("settings:manage")
    .input(ZSaveModelVersionInput)
    .output(ZModelSummary)
    .mutation(async ({ ctx, input }) => {
      const saved = await saveModelVersion(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        modelId: input.modelId,
        definition: input.definition,
      });
      ctx.audit({
        summary: `saved version ${saved.version} of the maturity model “${saved.name}”`,
        details: { modelId: saved.modelId, version: saved.version },
      });
      return saved;
    }),
});

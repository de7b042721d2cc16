import "server-only";
import { z } from "zod";
import { dataDir } from "~/server/env";
import {
  cancelImport,
  discardUpload,
  getImport,
  listImportErrors,
  listImports,
  pauseImport,
  previewImport,
  resumeImport,
  startImport,
} from "~/server/imports/imports";
import { ZChosenImportOptions, ZImportMapping, ZImportOptions } from "~/server/imports/mapping";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import {
  ZImportDetail,
  ZImportErrors,
  ZImportPreview,
  ZImportRef,
  ZImportSummaries,
  ZStartedImport,
} from "~/server/imports/outputs";

// CSV imports. The file itself arrives through POST /api/imports/upload
// (a stream, too big for a tRPC call); these procedures map, start, watch
// and steer the import.

const ZImportId = z.uuid("That is not an import id");

export const ZGetImportInput = z.object({ importId: ZImportId });
export const ZPreviewImportInput = z.object({
  importId: ZImportId,
  options: ZChosenImportOptions.optional(),
  mapping: ZImportMapping.optional(),
});
export const ZStartImportInput = z.object({
  importId: ZImportId,
  options: ZImportOptions,
  mapping: ZImportMapping,
});
export const ZListImportErrorsInput = z.object({
  importId: ZImportId,
  cursor: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export type TPreviewImportInput = z.infer<typeof ZPreviewImportInput>;
export type TStartImportInput = z.infer<typeof ZStartImportInput>;

export const importRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read")
    .output(ZImportSummaries)
    .query(({ ctx }) => listImports({ db: ctx.db, workspaceId: ctx.workspaceId })),

  get: workspaceProcedure("workspace:read")
    .input(ZGetImportInput)
    .output(ZImportDetail)
    .query(({ ctx, input }) =>
      getImport({ db: ctx.db, workspaceId: ctx.workspaceId, importId: input.importId }),
    ),

  errors: workspaceProcedure("workspace:read")
    .input(ZListImportErrorsInput)
    .output(ZImportErrors)
    .query(({ ctx, input }) => listImportErrors({ db: ctx.db, ...input, workspaceId: ctx.workspaceId })),

  preview: workspaceProcedure("content:write")
    .input(ZPreviewImportInput)
    .output(ZImportPreview)
    .query(({ ctx, input }) =>
      previewImport({ db: ctx.db, dataDir: dataDir(), ...input, workspaceId: ctx.workspaceId }),
    ),

  start: workspaceProcedure("content:write")
    .input(ZStartImportInput)
    .output(ZStartedImport)
    .mutation(async ({ ctx, input }) => {
      const started = await startImport({
        db: ctx.db,
        dataDir: dataDir(),
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `started importing ${started.kind} from “${started.fileName}”`,
        details: { importId: started.id, jobId: started.jobId },
      });
      return started;
    }),

  pause: workspaceProcedure("content:write")
    .input(ZGetImportInput)
    .output(ZImportRef)
    .mutation(async ({ ctx, input }) => {
      const paused = await pauseImport({
        db: ctx.db,
        workspaceId: ctx.workspaceId,
        importId: input.importId,
      });
      ctx.audit({ summary: `paused the import of “${paused.fileName}”` });
      return paused;
    }),

  resume: workspaceProcedure("content:write")
    .input(ZGetImportInput)
    .output(ZImportRef)
    .mutation(async ({ ctx, input }) => {
      const resumed = await resumeImport({
        db: ctx.db,
        workspaceId: ctx.workspaceId,
        importId: input.importId,
      });
      ctx.audit({ summary: `resumed the import of “${resumed.fileName}”` });
      return resumed;
    }),

  /** Removes an upload that was never started, and its file. */
  discard: workspaceProcedure("content:write")
    .input(ZGetImportInput)
    .output(ZImportRef)
    .mutation(async ({ ctx, input }) => {
      const removed = await discardUpload({
        db: ctx.db,
        dataDir: dataDir(),
        workspaceId: ctx.workspaceId,
        importId: input.importId,
      });
      ctx.audit({ summary: `removed the upload “${removed.fileName}”, never started` });
      return removed;
    }),

  cancel: workspaceProcedure("content:write")
    .input(ZGetImportInput)
    .output(ZImportRef)
    .mutation(async ({ ctx, input }) => {
      const cancelled = await cancelImport({
        db: ctx.db,
        workspaceId: ctx.workspaceId,
        importId: input.importId,
      });
      ctx.audit({ summary: `cancelled the import of “${cancelled.fileName}”` });
      return cancelled;
    }),
});

import "server-only";
import { addAttachment, removeAttachment } from "~/server/maturity/assessments";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { ZUploadAttachmentInput, ZAttachmentId } from "./inputs";
import { ZIdResult } from "~/server/output-schemas";
import { ZAttachment } from "./outputs";

// Evidence files of an assessment.

export const attachmentRouter = createTRPCRouter({
  upload: workspaceProcedure("content:write")
    .input(ZUploadAttachmentInput)
    .output(ZAttachment)
    .mutation(async ({ ctx, input }) => {
      const file = await addAttachment(ctx.db, {
        workspaceId: ctx.workspaceId,
        assessmentId: input.assessmentId,
        userId: ctx.session.user.id,
        dimensionKey: input.dimensionKey,
        fileName: input.fileName,
        data: Buffer.from(input.base64, "base64"),
      });
      ctx.audit({
        summary: `attached “${file.fileName}” as evidence for ${file.dimensionKey}`,
        details: { assessmentId: input.assessmentId, attachmentId: file.id, size: file.size },
      });
      return file;
    }),

  remove: workspaceProcedure("content:write")
    .input(ZAttachmentId)
    .output(ZIdResult)
    .mutation(async ({ ctx, input }) => {
      const { fileName } = await removeAttachment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `removed the evidence file “${fileName}”`,
        details: { attachmentId: input.id },
      });
      return { id: input.id };
    }),
});

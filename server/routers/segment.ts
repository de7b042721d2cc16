import "server-only";
import { z } from "zod";
import type { Database } from "~/db";
import { segmentChanges } from "~/db/enums";
import { previewRule } from "~/server/segments/preview";
import {
  createSegment,
  getSegment,
  listChanges,
  listSegments,
  queueRefresh,
  removeSegment,
  sizeHistory,
  updateSegment,
} from "~/server/segments/store";
import { queueHistory } from "~/server/segments/history-job";
import { ZSegmentInput } from "~/server/segments/segment-input";
import { segmentTemplates } from "~/server/segments/templates";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { ZIdResult, ZJobResult } from "~/server/output-schemas";
import {
  ZCreatedSegment,
  ZMembershipChanges,
  ZSegment,
  ZSegmentList,
  ZSegmentPreview,
  ZSegmentTemplates,
  ZSizeHistory,
  ZUpdatedSegment,
} from "~/server/segments/outputs";

// Segments: saved rules over behaviour, traits and value (server/segments/),
// their live preview while editing, and their materialised membership.
// Rules arrive as unknown and are validated by parseRule, whose errors name
// the path of each bad node (error.data.inputIssues).

const ZSegmentId = z.object({ id: z.uuid("That is not a segment id") });

export { ZSegmentInput };

export const ZPreviewInput = z.object({
  rule: z.unknown(),
  segmentId: z.uuid("That is not a segment id").optional(),
  /** "estimate" answers from a sample in a large workspace; the editor asks for both. */
  mode: z.enum(["estimate", "exact"]).default("exact"),
});

export const ZChangesInput = ZSegmentId.extend({
  change: z.enum(segmentChanges).optional(),
  cursor: z.number().int().positive().optional(),
});

export type TSegmentInput = z.infer<typeof ZSegmentInput>;

export const segmentRouter = createTRPCRouter({
  templates: workspaceProcedure("workspace:read")
    .output(ZSegmentTemplates)
    .query(() => segmentTemplates),

  list: workspaceProcedure("workspace:read")
    .output(ZSegmentList)
    .query(({ ctx }) => listSegments(ctx.db, ctx.workspaceId)),

  get: workspaceProcedure("workspace:read")
    .input(ZSegmentId)
    .output(ZSegment)
    .query(({ ctx, input }) => getSegment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id })),

  /** The live count while editing: viewers may try rules too, they just cannot save them. */
  preview: workspaceProcedure("workspace:read")
    .input(ZPreviewInput)
    .output(ZSegmentPreview)
    .query(({ ctx, input, signal }) =>
      previewRule(ctx.db as Database, {
        workspaceId: ctx.workspaceId,
        rule: input.rule,
        segmentId: input.segmentId,
        mode: input.mode,
        signal,
      }),
    ),

  sizeHistory: workspaceProcedure("workspace:read")
    .input(ZSegmentId)
    .output(ZSizeHistory)
    .query(({ ctx, input }) => sizeHistory(ctx.db, { workspaceId: ctx.workspaceId, id: input.id })),

  changes: workspaceProcedure("workspace:read")
    .input(ZChangesInput)
    .output(ZMembershipChanges)
    .query(({ ctx, input }) => listChanges(ctx.db, { ...input, workspaceId: ctx.workspaceId })),

  create: workspaceProcedure("content:write")
    .input(ZSegmentInput)
    .output(ZCreatedSegment)
    .mutation(async ({ ctx, input }) => {
      const created = await createSegment(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `created the segment “${input.name}”`,
        details: { segmentId: created.id },
      });
      return created;
    }),

  update: workspaceProcedure("content:write")
    .input(ZSegmentInput.extend(ZSegmentId.shape))
    .output(ZUpdatedSegment)
    .mutation(async ({ ctx, input }) => {
      const updated = await updateSegment(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `changed the segment “${input.name}”${updated.ruleChanged ? " and its rule" : ""}`,
        details: { segmentId: input.id },
      });
      return { id: updated.id, jobId: updated.jobId };
    }),

  remove: workspaceProcedure("content:write")
    .input(ZSegmentId)
    .output(ZIdResult)
    .mutation(async ({ ctx, input }) => {
      const { name } = await removeSegment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `deleted the segment “${name}”`,
        details: { segmentId: input.id },
      });
      return { id: input.id };
    }),

  /** Reconstructs the size history before the first recorded day from the events, as a background job. */
  reconstructHistory: workspaceProcedure("content:write")
    .input(ZSegmentId)
    .output(ZJobResult)
    .mutation(async ({ ctx, input }) => {
      const jobId = await queueHistory(ctx.db, {
        workspaceId: ctx.workspaceId,
        segmentId: input.id,
        replace: false,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: "reconstructed a segment's size history",
        details: { segmentId: input.id, jobId },
      });
      return { jobId };
    }),

  refresh: workspaceProcedure("content:write")
    .input(ZSegmentId)
    .output(ZJobResult)
    .mutation(async ({ ctx, input }) => {
      const jobId = await queueRefresh(ctx.db, {
        workspaceId: ctx.workspaceId,
        segmentId: input.id,
        cause: "refresh",
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: "refreshed a segment's members",
        details: { segmentId: input.id, jobId },
      });
      return { jobId };
    }),
});

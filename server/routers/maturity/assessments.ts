import "server-only";
import {
  createAssessment,
  finaliseAssessment,
  getAssessment,
  listAssessments,
  removeAssessment,
  saveScores,
  setTarget,
} from "~/server/maturity/assessments";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import {
  ZCreateAssessmentInput,
  ZAssessmentId,
  ZSaveScoresInput,
  ZSetTargetInput,
  ZFinaliseInput,
} from "./inputs";
import { ZIdResult } from "~/server/output-schemas";
import {
  ZAssessment,
  ZAssessmentList,
  ZCreatedAssessment,
  ZDone,
  ZFinalisedAssessment,
  ZSavedScores,
} from "./outputs";

// Assessments: each assessor's sheet, targets, and the reviewed final levels.

export const assessmentRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read")
    .output(ZAssessmentList)
    .query(({ ctx }) => listAssessments(ctx.db, ctx.workspaceId)),

  get: workspaceProcedure("workspace:read")
    .input(ZAssessmentId)
    .output(ZAssessment)
    .query(({ ctx, input }) => getAssessment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id })),

  create: workspaceProcedure("content:write")
    .input(ZCreateAssessmentInput)
    .output(ZCreatedAssessment)
    .mutation(async ({ ctx, input }) => {
      const created = await createAssessment(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `started the maturity assessment “${input.title}”`,
        details: { assessmentId: created.id },
      });
      return created;
    }),

  /** The caller's own sheet: there is no way to name another assessor. */
  saveScores: workspaceProcedure("content:write")
    .input(ZSaveScoresInput)
    .output(ZSavedScores)
    .mutation(async ({ ctx, input }) => {
      const saved = await saveScores(ctx.db, {
        workspaceId: ctx.workspaceId,
        assessmentId: input.assessmentId,
        assessorId: ctx.session.user.id,
        scores: input.scores,
      });
      ctx.audit({
        summary: `scored ${input.scores.map((s) => s.dimensionKey).join(", ")} in a maturity assessment`,
        details: { assessmentId: input.assessmentId },
      });
      return saved;
    }),

  setTarget: workspaceProcedure("content:write")
    .input(ZSetTargetInput)
    .output(ZDone)
    .mutation(async ({ ctx, input }) => {
      await setTarget(ctx.db, { ...input, workspaceId: ctx.workspaceId, userId: ctx.session.user.id });
      ctx.audit({
        summary:
          input.targetLevel === null
            ? `cleared the target of ${input.dimensionKey}`
            : `set the target of ${input.dimensionKey} to level ${input.targetLevel}${input.targetDate ? ` by ${input.targetDate}` : ""}`,
        details: { assessmentId: input.assessmentId },
      });
      return { ok: true };
    }),

  finalise: workspaceProcedure("content:write")
    .input(ZFinaliseInput)
    .output(ZFinalisedAssessment)
    .mutation(async ({ ctx, input }) => {
      const result = await finaliseAssessment(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `finalised the maturity assessment “${result.title}” (index ${result.index ?? "–"})`,
        details: { assessmentId: input.assessmentId, levels: result.levels },
      });
      return result;
    }),

  remove: workspaceProcedure("settings:manage")
    .input(ZAssessmentId)
    .output(ZIdResult)
    .mutation(async ({ ctx, input }) => {
      const { title } = await removeAssessment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `removed the open maturity assessment “${title}”`,
        details: { assessmentId: input.id },
      });
      return { id: input.id };
    }),
});

import "server-only";
import { getAssessment } from "~/server/maturity/assessments";
import { indicatorsByDimension, workspaceIndicators } from "~/server/maturity/indicator-data";
import { builtInModel } from "~/server/maturity/model";
import { buildScorecard } from "~/server/maturity/scorecard";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { assessmentRouter } from "./assessments";
import { attachmentRouter } from "./attachments";
import { ZIndicatorsInput } from "./inputs";
import { initiativeRouter } from "./initiatives";
import { modelRouter } from "./models";
import { ZIndicators, ZScorecard } from "./outputs";

// Maturity: models, assessments with each assessor's sheet and
// evidence, initiatives, indicators from the workspace's data and the
// executive scorecard. Everyone in the workspace reads; editors and admins
// assess; only admins edit models and remove assessments. Rules live in
// server/maturity/; these procedures validate the shape of the input.

export const maturityRouter = createTRPCRouter({
  model: modelRouter,
  assessment: assessmentRouter,
  attachment: attachmentRouter,
  initiative: initiativeRouter,

  /** Evidence from data beside the self-scores of an assessment (or the built-in model without one). */
  indicators: workspaceProcedure("workspace:read")
    .input(ZIndicatorsInput)
    .output(ZIndicators)
    .query(async ({ ctx, input }) => {
      const assessment = input.assessmentId
        ? await getAssessment(ctx.db, { workspaceId: ctx.workspaceId, id: input.assessmentId })
        : null;
      const snapshot = await workspaceIndicators(ctx.db, {
        workspaceId: ctx.workspaceId,
        refresh: input.refresh,
      });
      return indicatorsByDimension(
        assessment?.model.definition ?? builtInModel,
        snapshot,
        assessment?.levels,
      );
    }),

  scorecard: workspaceProcedure("workspace:read")
    .output(ZScorecard)
    .query(({ ctx }) =>
      buildScorecard(ctx.db, { workspaceId: ctx.workspaceId, userId: ctx.session.user.id }),
    ),
});

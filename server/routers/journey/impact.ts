import "server-only";
import { z } from "zod";
import { journeyImpact } from "~/server/journeys/impact/impact";
import { IMPACT_WINDOWS } from "~/server/journeys/impact/windows";
import { ZJourneyImpact } from "~/server/journeys/impact/outputs";
import { workspaceProcedure } from "~/server/trpc";
import { journeyId } from "./inputs";

// A journey's impact against its holdout, for everyone who may read the workspace.

export const ZJourneyImpactInput = z.object({
  id: journeyId,
  windowDays: z.union(
    IMPACT_WINDOWS.map((days) => z.literal(days)),
    {
      error: `The window is ${IMPACT_WINDOWS.join(", ")} days`,
    },
  ),
});

export const impactProcedures = {
  impact: workspaceProcedure("workspace:read")
    .input(ZJourneyImpactInput)
    .output(ZJourneyImpact)
    .query(({ ctx, input }) =>
      journeyImpact(ctx.db, {
        workspaceId: ctx.workspaceId,
        journeyId: input.id,
        windowDays: input.windowDays,
      }),
    ),
};

import "server-only";
import { journeyAnalytics } from "~/server/journeys/analytics";
import { readDraft } from "~/server/journeys/store";
import { getVersion } from "~/server/journeys/versions";
import { workspaceProcedure } from "~/server/trpc";
import { ZJourneyAnalyticsInput } from "./inputs";
import { ZJourneyAnalytics } from "./outputs";

// How real customers move through the design.

export const analyticsProcedures = {
  analytics: workspaceProcedure("workspace:read")
    .input(ZJourneyAnalyticsInput)
    .output(ZJourneyAnalytics)
    .query(async ({ ctx, input }) => {
      const journey = await readDraft(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      const design =
        input.source === "draft"
          ? journey.draft
          : (
              await getVersion(ctx.db, {
                workspaceId: ctx.workspaceId,
                journeyId: input.id,
                version: input.source,
              })
            ).design;
      return journeyAnalytics(ctx.db, {
        workspaceId: ctx.workspaceId,
        segmentId: journey.segmentId,
        design,
        from: new Date(input.from),
        to: new Date(input.to),
      });
    }),
};

import "server-only";
import { journeyAnalytics } from "~/server/journeys/analytics";
import { readDesign } from "~/server/journeys/store";
import { can } from "~/server/permissions";
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
      // A viewer's "draft" is the latest published version: the design they are shown.
      const journey = await readDesign(ctx.db, {
        workspaceId: ctx.workspaceId,
        id: input.id,
        publishedOnly: !can(ctx.role, "drafts:read"),
      });
      const design =
        input.source === "draft"
          ? journey.design
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

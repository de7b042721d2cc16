import "server-only";
import { journeyAnalytics } from "~/server/journeys/analytics";
import { journeySends } from "~/server/journeys/run/sends";
import { readDesign } from "~/server/journeys/store";
import { can } from "~/server/permissions";
import { getVersion } from "~/server/journeys/versions";
import { workspaceProcedure } from "~/server/trpc";
import { ZJourneyAnalyticsInput } from "./inputs";
import { ZJourneyAnalyticsWithSends } from "./outputs";

// How real customers move through the design, and what the journey sent them when it ran.

export const analyticsProcedures = {
  analytics: workspaceProcedure("workspace:read")
    .input(ZJourneyAnalyticsInput)
    .output(ZJourneyAnalyticsWithSends)
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
      const window = { from: new Date(input.from), to: new Date(input.to) };
      const [funnel, sends] = await Promise.all([
        journeyAnalytics(ctx.db, {
          workspaceId: ctx.workspaceId,
          segmentId: journey.segmentId,
          design,
          ...window,
        }),
        journeySends(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id, design, ...window }),
      ]);
      return { ...funnel, sends };
    }),
};

import "server-only";
import { dashboardSummary } from "~/server/dashboard/summary";
import { journeyFigures } from "~/server/dashboard/journeys";
import { ZDashboardSummary, ZJourneyFigures } from "~/server/dashboard/outputs";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";

// The workspace dashboard: its numbers at a glance (server/dashboard/), for every member.

export const dashboardRouter = createTRPCRouter({
  summary: workspaceProcedure("workspace:read")
    .output(ZDashboardSummary)
    .query(({ ctx }) =>
      dashboardSummary(ctx.db, { workspaceId: ctx.workspaceId, userId: ctx.session.user.id }),
    ),

  /** Published journeys with their conversion: apart, as it reads the segments' events. */
  journeys: workspaceProcedure("workspace:read")
    .output(ZJourneyFigures)
    .query(({ ctx }) => journeyFigures(ctx.db, ctx.workspaceId, new Date())),
});

import "server-only";
import { dashboardSummary } from "~/server/dashboard/summary";
import { ZDashboardSummary } from "~/server/dashboard/outputs";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";

// The workspace dashboard: its numbers at a glance (server/dashboard/), for every member.

export const dashboardRouter = createTRPCRouter({
  summary: workspaceProcedure("workspace:read")
    .output(ZDashboardSummary)
    .query(({ ctx }) =>
      dashboardSummary(ctx.db, { workspaceId: ctx.workspaceId, userId: ctx.session.user.id }),
    ),
});

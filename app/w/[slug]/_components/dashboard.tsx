"use client";

import { useQuery } from "@tanstack/react-query";
import { QueryView } from "~/app/_components/query-view";
import { useTRPC } from "~/app/_trpc/react";
import { DashboardActivity } from "./dashboard-activity";
import { DashboardGettingStarted } from "./dashboard-getting-started";
import { DashboardJourneys } from "./dashboard-journeys";
import { DashboardSegments } from "./dashboard-segments";
import { DashboardTiles } from "./dashboard-tiles";
import { useWorkspace } from "./workspace-context";

/** The workspace's numbers at a glance (dashboard.summary), or where to start while it has none. */
export function Dashboard() {
  const trpc = useTRPC();
  const { id: workspaceId, slug, role } = useWorkspace();
  const summary = useQuery(trpc.dashboard.summary.queryOptions({ workspaceId }));
  return (
    <QueryView
      query={summary}
      what="the dashboard"
      loadingRows={6}
      isEmpty={() => false}
      empty={{ title: "" }}
    >
      {(data) => {
        const nothingYet = data.empty && data.segments.length === 0 && !data.maturity.assessment;
        return (
          <div className="space-y-6">
            {data.empty && <DashboardGettingStarted slug={slug} role={role} />}
            {!nothingYet && (
              <>
                <DashboardTiles slug={slug} summary={data} />
                <DashboardActivity slug={slug} activity={data.activity} />
                <div className="grid gap-6 xl:grid-cols-2">
                  <DashboardSegments slug={slug} segments={data.segments} />
                  <DashboardJourneys slug={slug} workspaceId={workspaceId} />
                </div>
              </>
            )}
          </div>
        );
      }}
    </QueryView>
  );
}

import "server-only";
import type { DbOrTx } from "~/db";
import { customerFigures, eventActivity } from "./activity";
import { maturityFigure } from "./maturity";
import { segmentFigures } from "./segments";
import { valueFigure } from "./value";

// The workspace dashboard's numbers in one read: each part is a module of its
// own (reusing the store or analytics that owns the figure), run side by side.
// The journeys' conversion is read apart (./journeys.ts): it costs more.

export async function dashboardSummary(
  db: DbOrTx,
  { workspaceId, userId, now = new Date() }: { workspaceId: string; userId: string; now?: Date },
) {
  const [customers, activity, value, segments, maturity] = await Promise.all([
    customerFigures(db, workspaceId, now),
    eventActivity(db, workspaceId, now),
    valueFigure(db, workspaceId),
    segmentFigures(db, workspaceId, now),
    maturityFigure(db, { workspaceId, userId }),
  ]);
  return {
    customers,
    activity,
    value,
    segments,
    maturity,
    /** No customer data yet (no profile, no event): the page shows how to start. */
    empty: customers.profiles === 0 && activity.total === 0,
  };
}

export type DashboardSummary = Awaited<ReturnType<typeof dashboardSummary>>;

import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { journeys, journeyVersions, segmentMembers, segmentMembershipChanges, segments } from "~/db/schema";
import type { Channel } from "~/db/enums";
import { MAX_ANALYTICS_YEARS } from "~/server/journeys/analytics-window";
import { journeyAnalytics } from "~/server/journeys/analytics";
import { customerRuns } from "~/server/journeys/run/state";

// Where a customer stands: the segments they are in now, since when, and the
// journeys of those segments with the stage they have reached. Reaching a stage
// is the journey analytics' definition (server/journeys/analytics.ts), run for
// this one member, so the customer page and the journey's figures always agree.

/**
 * The segments the customer is a member of now, by name. "Since" is their
 * latest entry in the membership history (segment_membership_changes), which
 * outlives refreshes; the member row's own entry time stands in when the
 * history has been trimmed.
 */
export async function customerSegments(db: DbOrTx, workspaceId: string, customerId: string) {
  const lastEntered = db
    .select({ at: sql<Date>`max(${segmentMembershipChanges.at})`.as("at") })
    .from(segmentMembershipChanges)
    .where(
      and(
        eq(segmentMembershipChanges.workspaceId, workspaceId),
        eq(segmentMembershipChanges.customerId, customerId),
        eq(segmentMembershipChanges.segmentId, segmentMembers.segmentId),
        eq(segmentMembershipChanges.change, "entered"),
      ),
    );
  const rows = await db
    .select({
      id: segments.id,
      name: segments.name,
      memberCount: segments.memberCount,
      enteredAt: segmentMembers.enteredAt,
      lastEnteredAt: sql<string | null>`(${lastEntered})`,
    })
    .from(segmentMembers)
    .innerJoin(
      segments,
      and(eq(segments.workspaceId, segmentMembers.workspaceId), eq(segments.id, segmentMembers.segmentId)),
    )
    .where(and(eq(segmentMembers.workspaceId, workspaceId), eq(segmentMembers.customerId, customerId)))
    .orderBy(asc(sql`lower(${segments.name})`), asc(segments.id));
  return rows.map(({ enteredAt, lastEnteredAt, ...row }) => ({
    ...row,
    // A raw subquery's timestamp arrives as text, not through the column's mapping.
    since: lastEnteredAt ? new Date(lastEnteredAt) : enteredAt,
  }));
}

export interface CustomerJourney {
  id: string;
  name: string;
  segmentId: string;
  /** The published version measured; null when the journey was never published. */
  version: number | null;
  stageCount: number;
  /** Stages with a goal: the only ones a customer can be counted in. */
  measuredStages: number;
  /** The furthest stage reached in design order; null when none was reached in the window. */
  current: {
    stageId: string;
    name: string;
    /** 1-based place in the design. */
    position: number;
    channel: Channel | null;
    reachedStages: number;
  } | null;
}

/** The journeys' analytics window on the customer page: the longest the analytics allow, up to now. */
export function stageWindow(now: Date) {
  const from = new Date(now);
  from.setUTCFullYear(from.getUTCFullYear() - MAX_ANALYTICS_YEARS);
  return { from, to: now };
}

/**
 * The published journeys of the given segments, each with the furthest stage
 * (in design order) the customer has reached in the window and on which channel
 * they first reached it. Journeys never published have no stages to be in yet
 * and come with `version: null`; drafts are not measured.
 */
export async function customerJourneys(
  db: DbOrTx,
  {
    workspaceId,
    customerId,
    segmentIds,
    now = new Date(),
  }: {
    workspaceId: string;
    customerId: string;
    segmentIds: string[];
    now?: Date;
  },
) {
  if (segmentIds.length === 0) return [];
  const rows = await db
    .select({
      id: journeys.id,
      name: journeys.name,
      segmentId: journeys.segmentId,
      version: journeys.publishedVersion,
      design: journeyVersions.design,
    })
    .from(journeys)
    .leftJoin(
      journeyVersions,
      and(
        eq(journeyVersions.workspaceId, journeys.workspaceId),
        eq(journeyVersions.journeyId, journeys.id),
        eq(journeyVersions.version, journeys.publishedVersion),
      ),
    )
    .where(and(eq(journeys.workspaceId, workspaceId), inArray(journeys.segmentId, segmentIds)))
    .orderBy(asc(sql`lower(${journeys.name})`), asc(journeys.id));

  const window = stageWindow(now);
  // One short statement per journey: the analytics for one member read only that member's events.
  return Promise.all(
    rows.map(async ({ design, version, ...journey }): Promise<CustomerJourney> => {
      if (!design || version === null) {
        return { ...journey, version: null, stageCount: 0, measuredStages: 0, current: null };
      }
      const analytics = await journeyAnalytics(db, {
        workspaceId,
        segmentId: journey.segmentId,
        design,
        ...window,
        customerId,
      });
      const reached = analytics.stages.flatMap((stage, i) => (stage.reached ? [i] : []));
      const furthest = reached.at(-1);
      const path = analytics.paths.top[0]?.stages ?? [];
      const stage = furthest === undefined ? undefined : design.stages[furthest];
      return {
        ...journey,
        version,
        stageCount: design.stages.length,
        measuredStages: design.stages.filter((s) => s.goal).length,
        current: stage
          ? {
              stageId: stage.id,
              name: stage.name,
              position: furthest! + 1,
              channel: path.find((step) => step.stageId === stage.id)?.channel ?? null,
              reachedStages: reached.length,
            }
          : null,
      };
    }),
  );
}

export async function customerMemberships(
  db: DbOrTx,
  { workspaceId, customerId, now = new Date() }: { workspaceId: string; customerId: string; now?: Date },
) {
  const segmentsNow = await customerSegments(db, workspaceId, customerId);
  const segmentIds = segmentsNow.map((s) => s.id);
  const journeysNow = await customerJourneys(db, { workspaceId, customerId, segmentIds, now });
  const running = await customerRuns(db, { workspaceId, customerId });
  return { segments: segmentsNow, journeys: journeysNow, running, window: stageWindow(now) };
}

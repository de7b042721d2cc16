import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { segments } from "~/db/schema";
import { journeyAnalytics, type JourneyAnalytics } from "~/server/journeys/analytics";
import type { JourneyDesign } from "~/server/journeys/design";
import { listJourneys } from "~/server/journeys/store";
import { getVersion } from "~/server/journeys/versions";

// Published journeys with their conversion, from the journey analytics
// (server/journeys/analytics.ts) over the published design and the last
// JOURNEY_WINDOW_DAYS days. Each journey is one statement that reads its
// segment's members' events member by member, so the cost grows with the
// segment's size (about 2.4-3.1 s at 100,000 members, docs/benchmarks.md). The
// dashboard therefore asks for it apart from the other figures, computes at
// most MAX_DASHBOARD_JOURNEYS (the most recently changed), and only for
// segments of at most MAX_DASHBOARD_MEMBERS members; the others link to their
// analytics on the journey's page.

export const JOURNEY_WINDOW_DAYS = 90;
export const MAX_DASHBOARD_JOURNEYS = 4;
export const MAX_DASHBOARD_MEMBERS = 20_000;

export interface JourneyConversion {
  /** The first stage with a goal and how many members reached it in the window. */
  firstStage: { name: string; reached: number };
  /** The last stage with a goal, after the first, and how many reached it. */
  lastStage: { name: string; reached: number };
  /** lastStage.reached / firstStage.reached; null when nobody reached the first stage. */
  rate: number | null;
}

export interface JourneyFigure {
  id: string;
  name: string;
  segment: { id: string; name: string };
  version: number;
  /** The segment's members now. */
  members: number;
  /** False when the segment is over MAX_DASHBOARD_MEMBERS: the journey's page computes it. */
  computed: boolean;
  /** null when not computed, or when the design has fewer than two stages with a goal. */
  conversion: JourneyConversion | null;
}

export interface JourneyFigures {
  window: { from: Date; to: Date };
  published: number;
  journeys: JourneyFigure[];
}

/** From the first stage with a goal to the last one: the journey's end-to-end figure. */
export function endToEndConversion(
  design: JourneyDesign,
  analytics: JourneyAnalytics,
): JourneyConversion | null {
  const withGoal = design.stages.flatMap((stage, i) => {
    const reached = analytics.stages[i]?.reached;
    return stage.goal && reached !== null && reached !== undefined ? [{ name: stage.name, reached }] : [];
  });
  const first = withGoal[0];
  const last = withGoal.at(-1);
  if (!first || !last || withGoal.length < 2) return null;
  return {
    firstStage: first,
    lastStage: last,
    rate: first.reached > 0 ? last.reached / first.reached : null,
  };
}

export async function journeyFigures(db: DbOrTx, workspaceId: string, now: Date): Promise<JourneyFigures> {
  const from = new Date(now.getTime() - JOURNEY_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const published = (await listJourneys(db, { workspaceId }))
    .filter((journey) => journey.publishedVersion !== null)
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const shown = published.slice(0, MAX_DASHBOARD_JOURNEYS);
  const sizes = await segmentSizes(
    db,
    workspaceId,
    shown.map((journey) => journey.segment.id),
  );
  const journeys = await Promise.all(
    shown.map(async (journey) => {
      const version = journey.publishedVersion!;
      const members = sizes.get(journey.segment.id) ?? 0;
      const base = { id: journey.id, name: journey.name, segment: journey.segment, version, members };
      if (members > MAX_DASHBOARD_MEMBERS) return { ...base, computed: false, conversion: null };
      const { design } = await getVersion(db, { workspaceId, journeyId: journey.id, version });
      const analytics = await journeyAnalytics(db, {
        workspaceId,
        segmentId: journey.segment.id,
        design,
        from,
        to: now,
      });
      return {
        ...base,
        members: analytics.members,
        computed: true,
        conversion: endToEndConversion(design, analytics),
      };
    }),
  );
  return { window: { from, to: now }, published: published.length, journeys };
}

async function segmentSizes(db: DbOrTx, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ id: segments.id, members: segments.memberCount })
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), inArray(segments.id, ids)));
  return new Map(rows.map((row) => [row.id, row.members]));
}

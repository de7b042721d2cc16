import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { listSegments } from "~/server/segments/store";

// Segments with their size now and the change over the last SIZE_CHANGE_DAYS
// days, from the size history (segment_sizes, one row per segment and day with a
// change). The size then is the latest recorded size on or before that day; a
// segment younger than that is compared with its first recorded size, and says
// since when. A DISTINCT ON over the primary key (workspace_id, segment_id, day):
// a few rows per segment whatever the number of customers.

export const SIZE_CHANGE_DAYS = 30;

export interface SegmentFigure {
  id: string;
  name: string;
  members: number;
  /** Members SIZE_CHANGE_DAYS days ago, or at the first recorded day after; null without any history. */
  membersBefore: number | null;
  /** The day of membersBefore when the history starts later than SIZE_CHANGE_DAYS days ago. */
  since: string | null;
  /** members - membersBefore; null without a size then. */
  change: number | null;
  refreshedAt: Date | null;
}

export async function segmentFigures(db: DbOrTx, workspaceId: string, now: Date): Promise<SegmentFigure[]> {
  const then = new Date(now.getTime() - SIZE_CHANGE_DAYS * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const [list, before] = await Promise.all([
    listSegments(db, workspaceId),
    // Per segment, the last day on or before `then`, else the first day after it.
    db.execute<{ segment_id: string; size: number; day: string }>(sql`
      select distinct on (segment_id) segment_id, size, day::text as day from segment_sizes
      where workspace_id = ${workspaceId}::uuid
      order by segment_id, (day <= ${then}::date) desc,
        case when day <= ${then}::date then day end desc, day asc`),
  ]);
  const sizeThen = new Map(before.rows.map((row) => [row.segment_id, row]));
  return list
    .map((segment) => {
      const earlier = sizeThen.get(segment.id);
      const membersBefore = earlier?.size ?? null;
      return {
        id: segment.id,
        name: segment.name,
        members: segment.memberCount,
        membersBefore,
        since: earlier && earlier.day > then ? earlier.day : null,
        change: membersBefore === null ? null : segment.memberCount - membersBefore,
        refreshedAt: segment.refreshedAt,
      };
    })
    .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name));
}

import "server-only";
import { and, asc, eq, isNotNull, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { DbOrTx } from "~/db";
import { journeys, journeyVersions, segments, users } from "~/db/schema";
import { ConflictError, NotFoundError } from "~/server/errors";
import { emptyDesign, parseDesign, type JourneyDesign } from "./design";

// Journeys: a design per segment. The draft is edited in place, and every save
// names the revision it started from, so two people editing at once cannot
// overwrite each other unseen. Publishing and versions are in ./versions.ts.

export const JOURNEY_NOT_FOUND = "That journey does not exist in this workspace.";
const SEGMENT_NOT_FOUND = "That segment does not exist in this workspace.";
export const STALE_REVISION =
  "Someone else changed this journey since you opened it; reload to see their changes.";

export const MAX_JOURNEY_NAME = 120;
export const ZJourneyName = z
  .string()
  .trim()
  .min(1, "Give the journey a name")
  .max(MAX_JOURNEY_NAME, `A journey name has at most ${MAX_JOURNEY_NAME} characters`);
export const ZJourneyDescription = z
  .string()
  .trim()
  .max(2000, "A description has at most 2,000 characters")
  .default("");

export const thisJourney = (workspaceId: string, id: string) =>
  and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, id));

/** The version the journey last published, joined beside it (none before the first publish). */
export const latestVersionJoin = and(
  eq(journeyVersions.workspaceId, journeys.workspaceId),
  eq(journeyVersions.journeyId, journeys.id),
  eq(journeyVersions.version, journeys.publishedVersion),
);

/**
 * Whether the draft differs from the latest version (true before the first
 * publish). jsonb equality ignores key order, so only real changes count.
 */
export const hasUnpublishedChanges: SQL<boolean> = sql<boolean>`(${journeyVersions.design} is null or ${journeyVersions.design} <> ${journeys.draft})`;

/** PostgreSQL's unique_violation on journeys_name_key, as a message about the name. */
async function uniqueName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    const { code, constraint } = cause as { code?: string; constraint?: string };
    if (code === "23505" && constraint === "journeys_name_key") {
      throw new ConflictError(`A journey named "${name ?? ""}" already exists for this segment.`);
    }
    throw error;
  }
}

async function assertSegmentExists(db: DbOrTx, workspaceId: string, segmentId: string) {
  const [row] = await db
    .select({ name: segments.name })
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
  if (!row) throw new NotFoundError(SEGMENT_NOT_FOUND);
  return row;
}

/** The names of the journeys designed for a segment: a segment with journeys is not deleted. */
export async function journeyNamesOfSegment(db: DbOrTx, workspaceId: string, segmentId: string) {
  const rows = await db
    .select({ name: journeys.name })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.segmentId, segmentId)))
    .orderBy(asc(sql`lower(${journeys.name})`));
  return rows.map((r) => r.name);
}

/** Journeys' names in a segment, lower-cased, for picking a name that is free. */
export async function takenNames(db: DbOrTx, workspaceId: string, segmentId: string) {
  return new Set((await journeyNamesOfSegment(db, workspaceId, segmentId)).map((n) => n.toLowerCase()));
}

/**
 * Who may read drafts is the caller's business (the "drafts:read" permission);
 * a reader without it sees only journeys with a published version, and that
 * version's design wherever the draft's would be: the draft never reaches them.
 */
export interface JourneyReader {
  publishedOnly?: boolean;
}

/** Journeys a reader may open: all of them, or the published ones. */
const readable = ({ publishedOnly }: JourneyReader) =>
  publishedOnly ? isNotNull(journeys.publishedVersion) : undefined;

const ownerColumns = { id: users.id, name: users.name, email: users.email };
const stageCount = (design: AnyColumn) =>
  sql<number>`jsonb_array_length(${design} -> 'stages')`.mapWith(Number);
const touchpointCount = (design: AnyColumn) =>
  sql<number>`(
  select count(*) from jsonb_array_elements(${design} -> 'stages') as stage,
    jsonb_array_elements(stage -> 'touchpoints')
)`.mapWith(Number);

/** The journeys of a workspace, or of one of its segments, by segment and name. */
export async function listJourneys(
  db: DbOrTx,
  input: { workspaceId: string; segmentId?: string } & JourneyReader,
) {
  const design = input.publishedOnly ? journeyVersions.design : journeys.draft;
  const rows = await db
    .select({
      id: journeys.id,
      name: journeys.name,
      description: journeys.description,
      segment: { id: segments.id, name: segments.name },
      publishedVersion: journeys.publishedVersion,
      hasUnpublishedChanges: input.publishedOnly ? sql<boolean>`false` : hasUnpublishedChanges,
      stageCount: stageCount(design),
      touchpointCount: touchpointCount(design),
      owner: ownerColumns,
      draftUpdatedAt: journeys.draftUpdatedAt,
      updatedAt: journeys.updatedAt,
    })
    .from(journeys)
    .innerJoin(
      segments,
      and(eq(segments.workspaceId, journeys.workspaceId), eq(segments.id, journeys.segmentId)),
    )
    .leftJoin(journeyVersions, latestVersionJoin)
    .leftJoin(users, eq(users.id, journeys.ownerId))
    .where(
      and(
        eq(journeys.workspaceId, input.workspaceId),
        input.segmentId ? eq(journeys.segmentId, input.segmentId) : undefined,
        readable(input),
      ),
    )
    .orderBy(asc(sql`lower(${segments.name})`), asc(sql`lower(${journeys.name})`));
  return rows.map(({ owner, ...row }) => ({
    ...row,
    status: row.publishedVersion === null ? ("draft" as const) : ("published" as const),
    owner: owner?.id ? owner : null,
  }));
}

const updaters = alias(users, "draft_updaters");

/**
 * Everything the designer needs to open a journey. For a reader of published
 * versions only, `draft` is the latest version's design, and who last changed
 * the draft, and whether it differs, stay out of it.
 */
export async function getJourney(db: DbOrTx, input: { workspaceId: string; id: string } & JourneyReader) {
  const [row] = await db
    .select({
      id: journeys.id,
      name: journeys.name,
      description: journeys.description,
      segment: { id: segments.id, name: segments.name, memberCount: segments.memberCount },
      draft: journeys.draft,
      revision: journeys.draftRevision,
      draftUpdatedAt: journeys.draftUpdatedAt,
      draftUpdatedBy: updaters.name,
      publishedVersion: journeys.publishedVersion,
      publishedDesign: journeyVersions.design,
      publishedAt: journeyVersions.publishedAt,
      hasUnpublishedChanges,
      owner: ownerColumns,
      createdAt: journeys.createdAt,
      updatedAt: journeys.updatedAt,
    })
    .from(journeys)
    .innerJoin(
      segments,
      and(eq(segments.workspaceId, journeys.workspaceId), eq(segments.id, journeys.segmentId)),
    )
    .leftJoin(journeyVersions, latestVersionJoin)
    .leftJoin(users, eq(users.id, journeys.ownerId))
    .leftJoin(updaters, eq(updaters.id, journeys.draftUpdatedBy))
    .where(and(thisJourney(input.workspaceId, input.id), readable(input)));
  if (!row) throw new NotFoundError(JOURNEY_NOT_FOUND);
  const { owner, publishedDesign, publishedAt, ...journey } = row;
  const read = { ...journey, owner: owner?.id ? owner : null };
  if (!input.publishedOnly || !publishedDesign || !publishedAt) return read;
  return {
    ...read,
    draft: publishedDesign,
    draftUpdatedAt: publishedAt,
    draftUpdatedBy: null,
    hasUnpublishedChanges: false,
  };
}

/** The design a reader sees (the draft, or the latest version's) and the journey's segment. */
export async function readDesign(db: DbOrTx, input: { workspaceId: string; id: string } & JourneyReader) {
  const journey = await getJourney(db, input);
  return { segmentId: journey.segment.id, design: journey.draft };
}

/** The current draft and its revision, for the functions that read it before they write. */
export async function readDraft(db: DbOrTx, input: { workspaceId: string; id: string }) {
  const [row] = await db
    .select({
      name: journeys.name,
      description: journeys.description,
      segmentId: journeys.segmentId,
      draft: journeys.draft,
      revision: journeys.draftRevision,
    })
    .from(journeys)
    .where(thisJourney(input.workspaceId, input.id));
  if (!row) throw new NotFoundError(JOURNEY_NOT_FOUND);
  return row;
}

export interface CreateJourneyInput {
  workspaceId: string;
  userId: string | null;
  segmentId: string;
  name: string;
  description: string;
  /** Any design, validated here; a new journey gets the default stages without one. */
  design?: unknown;
}

export async function createJourney(db: DbOrTx, input: CreateJourneyInput) {
  const design = input.design === undefined ? emptyDesign() : parseDesign(input.design);
  await assertSegmentExists(db, input.workspaceId, input.segmentId);
  const [row] = await uniqueName(input.name, () =>
    db
      .insert(journeys)
      .values({
        workspaceId: input.workspaceId,
        segmentId: input.segmentId,
        name: input.name,
        description: input.description,
        draft: design,
        ownerId: input.userId,
        createdBy: input.userId,
        draftUpdatedBy: input.userId,
      })
      .returning({ id: journeys.id, revision: journeys.draftRevision }),
  );
  return row!;
}

/**
 * Writes a new revision of the journey if `revision` is still the current one
 * (any revision when null), in one statement, so that of two saves from the
 * same revision exactly one wins.
 */
export async function saveRevision(
  db: DbOrTx,
  input: {
    workspaceId: string;
    id: string;
    userId: string | null;
    revision: number | null;
    name?: string;
    description?: string;
    design?: JourneyDesign;
    now?: Date;
  },
) {
  const now = input.now ?? new Date();
  const [row] = await uniqueName(input.name, () =>
    db
      .update(journeys)
      .set({
        name: input.name,
        description: input.description,
        ...(input.design ? { draft: input.design, draftUpdatedAt: now, draftUpdatedBy: input.userId } : {}),
        draftRevision: sql`${journeys.draftRevision} + 1`,
        updatedAt: now,
      })
      .where(
        and(
          thisJourney(input.workspaceId, input.id),
          input.revision === null ? undefined : eq(journeys.draftRevision, input.revision),
        ),
      )
      .returning({ name: journeys.name, revision: journeys.draftRevision, updatedAt: journeys.updatedAt }),
  );
  if (row) return row;
  await readDraft(db, input);
  throw new ConflictError(STALE_REVISION);
}

/** Changes name, description and design; refused when someone saved since `revision`. */
export async function updateJourney(
  db: DbOrTx,
  input: {
    workspaceId: string;
    id: string;
    userId: string;
    revision: number;
    data: { name?: string; description?: string; design?: unknown };
    now?: Date;
  },
) {
  const design = input.data.design === undefined ? undefined : parseDesign(input.data.design);
  const saved = await saveRevision(db, {
    workspaceId: input.workspaceId,
    id: input.id,
    userId: input.userId,
    revision: input.revision,
    name: input.data.name,
    description: input.data.description,
    design,
    now: input.now,
  });
  return { id: input.id, ...saved };
}

/** Removes a journey with its versions and comments. */
export async function removeJourney(db: DbOrTx, input: { workspaceId: string; id: string }) {
  const [row] = await db
    .delete(journeys)
    .where(thisJourney(input.workspaceId, input.id))
    .returning({ name: journeys.name });
  if (!row) throw new NotFoundError(JOURNEY_NOT_FOUND);
  return row;
}

/** A new journey with the draft of another, for the same or another segment; versions and comments stay behind. */
export async function copyJourney(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; id: string; segmentId: string; name: string },
) {
  const source = await readDraft(db, input);
  const created = await createJourney(db, {
    workspaceId: input.workspaceId,
    userId: input.userId,
    segmentId: input.segmentId,
    name: input.name,
    description: source.description,
    design: source.draft,
  });
  return { ...created, sourceName: source.name };
}

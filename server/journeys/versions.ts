import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { journeys, journeyVersions, segments, users } from "~/db/schema";
import { ConflictError, ForbiddenError, NotFoundError, RuleError } from "~/server/errors";
import { parseDesign, type JourneyDesign } from "./design";
import { diffDesigns } from "./diff";
import {
  hasUnpublishedChanges,
  JOURNEY_NOT_FOUND,
  latestVersionJoin,
  readDraft,
  saveRevision,
  STALE_REVISION,
  thisJourney,
  type JourneyReader,
} from "./store";
import { onVersionPublished } from "./run/control";

// Publishing freezes the draft as the next version; versions are never
// changed, only read, compared and copied back into the draft.

const thisVersion = (workspaceId: string, journeyId: string, version: number) =>
  and(
    eq(journeyVersions.workspaceId, workspaceId),
    eq(journeyVersions.journeyId, journeyId),
    eq(journeyVersions.version, version),
  );

/**
 * Publishes the draft as version n+1. With `revision`, refused if the draft
 * changed since the caller last saw it, so nobody publishes what they have not read.
 */
export async function publishJourney(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; id: string; note?: string; revision?: number; now?: Date },
) {
  const now = input.now ?? new Date();
  // The version and the journey's pointer to it are written together or not at all.
  return db.transaction(async (tx) => {
    // Locked on its own first: two publishes at once then see each other's version.
    const [locked] = await tx
      .select({ id: journeys.id })
      .from(journeys)
      .where(thisJourney(input.workspaceId, input.id))
      .for("update");
    if (!locked) throw new NotFoundError(JOURNEY_NOT_FOUND);
    const [journey] = await tx
      .select({
        name: journeys.name,
        draft: journeys.draft,
        revision: journeys.draftRevision,
        publishedVersion: journeys.publishedVersion,
        changed: hasUnpublishedChanges,
      })
      .from(journeys)
      .leftJoin(journeyVersions, latestVersionJoin)
      .where(thisJourney(input.workspaceId, input.id));
    if (!journey) throw new NotFoundError(JOURNEY_NOT_FOUND);
    if (input.revision !== undefined && input.revision !== journey.revision) {
      throw new ConflictError(STALE_REVISION);
    }
    if (!journey.changed) {
      throw new RuleError(
        `Nothing changed since version ${journey.publishedVersion}: there is nothing to publish.`,
      );
    }
    const version = (journey.publishedVersion ?? 0) + 1;
    await tx.insert(journeyVersions).values({
      workspaceId: input.workspaceId,
      journeyId: input.id,
      version,
      design: journey.draft,
      note: input.note ?? "",
      publishedBy: input.userId,
      publishedAt: now,
    });
    await tx
      .update(journeys)
      .set({ publishedVersion: version, updatedAt: now })
      .where(thisJourney(input.workspaceId, input.id));
    await onVersionPublished(tx, { workspaceId: input.workspaceId, journeyId: input.id, version });
    return { version, publishedAt: now, name: journey.name };
  });
}

async function assertJourneyExists(db: DbOrTx, workspaceId: string, id: string) {
  const [row] = await db.select({ id: journeys.id }).from(journeys).where(thisJourney(workspaceId, id));
  if (!row) throw new NotFoundError(JOURNEY_NOT_FOUND);
}

const publisher = { name: users.name, email: users.email };

/** The versions of a journey, newest first. */
export async function listVersions(db: DbOrTx, input: { workspaceId: string; journeyId: string }) {
  await assertJourneyExists(db, input.workspaceId, input.journeyId);
  const rows = await db
    .select({
      version: journeyVersions.version,
      note: journeyVersions.note,
      publishedAt: journeyVersions.publishedAt,
      publishedBy: publisher,
    })
    .from(journeyVersions)
    .leftJoin(users, eq(users.id, journeyVersions.publishedBy))
    .where(
      and(eq(journeyVersions.workspaceId, input.workspaceId), eq(journeyVersions.journeyId, input.journeyId)),
    )
    .orderBy(desc(journeyVersions.version));
  return rows.map(({ publishedBy, ...row }) => ({
    ...row,
    publishedBy: publishedBy?.email ? publishedBy : null,
  }));
}

export async function getVersion(
  db: DbOrTx,
  input: { workspaceId: string; journeyId: string; version: number },
) {
  await assertJourneyExists(db, input.workspaceId, input.journeyId);
  const [row] = await db
    .select({
      version: journeyVersions.version,
      note: journeyVersions.note,
      design: journeyVersions.design,
      publishedAt: journeyVersions.publishedAt,
      publishedBy: publisher,
    })
    .from(journeyVersions)
    .leftJoin(users, eq(users.id, journeyVersions.publishedBy))
    .where(thisVersion(input.workspaceId, input.journeyId, input.version));
  if (!row) throw new NotFoundError(`This journey has no version ${input.version}.`);
  const { publishedBy, ...version } = row;
  return { ...version, publishedBy: publishedBy?.email ? publishedBy : null };
}

/**
 * Copies an old version's design into the draft as a new revision; the
 * versions themselves stay as they are. `revision` guards the draft like a save does.
 */
export async function restoreVersion(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; journeyId: string; version: number; revision?: number },
) {
  const { design } = await getVersion(db, input);
  const saved = await saveRevision(db, {
    workspaceId: input.workspaceId,
    id: input.journeyId,
    userId: input.userId,
    revision: input.revision ?? null,
    // Read again: a version published before the design document gained a default gets it filled in.
    design: parseDesign(design),
  });
  return { id: input.journeyId, version: input.version, ...saved };
}

/** The names of the segments that branches of these designs split on, for showing them. */
async function splitSegmentNames(db: DbOrTx, workspaceId: string, designs: JourneyDesign[]) {
  const ids = new Set<string>();
  for (const design of designs) {
    for (const node of design.flow.nodes) {
      if (node.kind === "branch" && node.split.kind === "segment") ids.add(node.split.segmentId);
    }
  }
  if (ids.size === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: segments.id, name: segments.name })
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), inArray(segments.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export const DRAFT_NOT_READABLE = "Viewers compare published versions only; the draft is not shown to them.";

/** What changed from version `from` to version `to`, or to the draft. */
export async function diffJourney(
  db: DbOrTx,
  input: { workspaceId: string; id: string; from: number; to: number | "draft" } & JourneyReader,
) {
  if (input.to === "draft" && input.publishedOnly) throw new ForbiddenError(DRAFT_NOT_READABLE);
  const before = await getVersion(db, {
    workspaceId: input.workspaceId,
    journeyId: input.id,
    version: input.from,
  });
  const after =
    input.to === "draft"
      ? (await readDraft(db, input)).draft
      : (await getVersion(db, { workspaceId: input.workspaceId, journeyId: input.id, version: input.to }))
          .design;
  const names = await splitSegmentNames(db, input.workspaceId, [before.design, after]);
  return {
    from: input.from,
    to: input.to,
    changes: diffDesigns(before.design, after, { segmentName: (id) => names.get(id) }),
  };
}

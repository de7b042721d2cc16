import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "~/db";
import { journeyComments, users } from "~/db/schema";
import { type JourneyCommentTarget } from "~/db/enums";
import { InvalidInputError, NotFoundError } from "~/server/errors";
import type { JourneyDesign } from "./design";
import { readDesign, readDraft, type JourneyReader } from "./store";

// Comments on a journey, one of its stages or one of its touchpoints. They
// point at design ids, so a comment outlives a rename; one whose stage or
// touchpoint was removed later stays readable, marked as such.

export const MAX_COMMENT_LENGTH = 4000;

export type CommentTarget = { kind: "journey" } | { kind: "stage" | "touchpoint"; id: string };

/** The name of what a comment is about in this design, or null if it is no longer there. */
function targetLabel(design: JourneyDesign, kind: JourneyCommentTarget, id: string | null): string | null {
  if (kind === "journey") return "Journey";
  for (const stage of design.stages) {
    if (kind === "stage" && stage.id === id) return stage.name;
    const touchpoint = kind === "touchpoint" ? stage.touchpoints.find((t) => t.id === id) : undefined;
    if (touchpoint) return touchpoint.title;
  }
  return null;
}

const resolvers = alias(users, "comment_resolvers");

/**
 * A journey's comments, oldest first (a conversation reads downwards), their
 * targets named from the design the reader sees.
 */
export async function listComments(
  db: DbOrTx,
  input: { workspaceId: string; journeyId: string } & JourneyReader,
) {
  const { design } = await readDesign(db, {
    workspaceId: input.workspaceId,
    id: input.journeyId,
    publishedOnly: input.publishedOnly,
  });
  const rows = await db
    .select({
      id: journeyComments.id,
      targetKind: journeyComments.targetKind,
      targetId: journeyComments.targetId,
      body: journeyComments.body,
      createdAt: journeyComments.createdAt,
      resolvedAt: journeyComments.resolvedAt,
      author: { id: users.id, name: users.name, email: users.email },
      resolvedBy: resolvers.name,
    })
    .from(journeyComments)
    .leftJoin(users, eq(users.id, journeyComments.authorId))
    .leftJoin(resolvers, eq(resolvers.id, journeyComments.resolvedBy))
    .where(
      and(eq(journeyComments.workspaceId, input.workspaceId), eq(journeyComments.journeyId, input.journeyId)),
    )
    .orderBy(asc(journeyComments.createdAt), asc(journeyComments.id));
  return rows.map(({ targetKind, targetId, author, ...row }) => {
    const label = targetLabel(design, targetKind, targetId);
    return {
      ...row,
      target: { kind: targetKind, id: targetId, label, exists: label !== null },
      author: author?.id ? author : null,
    };
  });
}

/** Adds a comment; a stage or touchpoint must be in the current draft. */
export async function addComment(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; journeyId: string; target: CommentTarget; body: string },
) {
  const { draft } = await readDraft(db, { workspaceId: input.workspaceId, id: input.journeyId });
  const targetId = input.target.kind === "journey" ? null : input.target.id;
  const label = targetLabel(draft, input.target.kind, targetId);
  if (label === null) {
    const message = `This journey has no ${input.target.kind} with the id "${targetId}"; it may have been removed.`;
    throw new InvalidInputError(message, [{ path: "target.id", message }]);
  }
  const [row] = await db
    .insert(journeyComments)
    .values({
      workspaceId: input.workspaceId,
      journeyId: input.journeyId,
      targetKind: input.target.kind,
      targetId,
      body: input.body,
      authorId: input.userId,
    })
    .returning({ id: journeyComments.id, createdAt: journeyComments.createdAt });
  return { ...row!, targetLabel: label };
}

/** Marks a comment resolved, or open again. */
export async function resolveComment(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; id: string; resolved: boolean; now?: Date },
) {
  const [row] = await db
    .update(journeyComments)
    .set(
      input.resolved
        ? { resolvedAt: input.now ?? new Date(), resolvedBy: input.userId }
        : { resolvedAt: null, resolvedBy: null },
    )
    .where(and(eq(journeyComments.workspaceId, input.workspaceId), eq(journeyComments.id, input.id)))
    .returning({
      id: journeyComments.id,
      journeyId: journeyComments.journeyId,
      resolvedAt: journeyComments.resolvedAt,
    });
  if (!row) throw new NotFoundError("That comment does not exist in this workspace.");
  return row;
}

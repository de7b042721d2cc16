import type { JourneyDesign } from "~/server/journeys/design";

// What a comment is about, and the names people read for it. A comment keeps
// the id of its stage or touchpoint; the name comes from the current design, so
// a renamed stage's thread follows it and a removed one is said to be removed.

export type CommentTarget =
  { kind: "journey" } | { kind: "stage"; id: string } | { kind: "touchpoint"; id: string };

export interface TargetedComment {
  target: { kind: "journey" | "stage" | "touchpoint"; id: string | null };
  createdAt: Date;
  resolvedAt: Date | null;
}

/** The target's name for people: "the journey", "stage “Buy”", "touchpoint “Welcome email” (Discover)". */
export function targetName(design: JourneyDesign, target: CommentTarget): string {
  if (target.kind === "journey") return "the journey";
  if (target.kind === "stage") {
    const stage = design.stages.find((s) => s.id === target.id);
    return stage ? `stage “${stage.name}”` : "a removed stage";
  }
  for (const stage of design.stages) {
    const touchpoint = stage.touchpoints.find((t) => t.id === target.id);
    if (touchpoint) return `touchpoint “${touchpoint.title}” (${stage.name})`;
  }
  return "a removed touchpoint";
}

export function commentTarget({ target }: TargetedComment): CommentTarget {
  if (target.kind === "journey" || target.id === null) return { kind: "journey" };
  return { kind: target.kind, id: target.id };
}

export function isSameTarget(a: CommentTarget, b: CommentTarget): boolean {
  if (a.kind === "journey" || b.kind === "journey") return a.kind === b.kind;
  return a.kind === b.kind && a.id === b.id;
}

/**
 * The comments to show: the target's thread, or every comment when `all`.
 * Open ones come first (they want an answer), each group oldest first so a
 * thread reads as a conversation.
 */
export function commentsToShow<C extends TargetedComment>(
  comments: readonly C[],
  target: CommentTarget,
  all: boolean,
): C[] {
  return comments
    .filter((comment) => all || isSameTarget(commentTarget(comment), target))
    .sort(
      (a, b) =>
        Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null) ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
}

/** "2 open, 1 resolved" for a heading or a count badge. */
export function countComments(comments: readonly TargetedComment[]): { open: number; resolved: number } {
  const resolved = comments.filter((c) => c.resolvedAt !== null).length;
  return { open: comments.length - resolved, resolved };
}

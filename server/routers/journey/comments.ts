import "server-only";
import { addComment, listComments, resolveComment } from "~/server/journeys/comments";
import { can } from "~/server/permissions";
import { workspaceProcedure } from "~/server/trpc";
import {
  ZListJourneyCommentsInput,
  ZAddJourneyCommentInput,
  ZResolveJourneyCommentInput,
  quoted,
} from "./inputs";
import { ZCommentResolution, ZJourneyComments, ZNewComment } from "./outputs";

// Comments on a journey, its stages and touchpoints.

export const commentProcedures = {
  comments: workspaceProcedure("workspace:read")
    .input(ZListJourneyCommentsInput)
    .output(ZJourneyComments)
    .query(({ ctx, input }) =>
      listComments(ctx.db, {
        workspaceId: ctx.workspaceId,
        journeyId: input.id,
        publishedOnly: !can(ctx.role, "drafts:read"),
      }),
    ),

  addComment: workspaceProcedure("content:write")
    .input(ZAddJourneyCommentInput)
    .output(ZNewComment)
    .mutation(async ({ ctx, input }) => {
      const comment = await addComment(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        journeyId: input.id,
        target: input.target,
        body: input.body,
      });
      ctx.audit({
        summary: `commented on ${input.target.kind === "journey" ? "a journey" : `${input.target.kind} ${quoted(comment.targetLabel)}`}`,
        details: { journeyId: input.id, commentId: comment.id },
      });
      return { id: comment.id, createdAt: comment.createdAt };
    }),

  resolveComment: workspaceProcedure("content:write")
    .input(ZResolveJourneyCommentInput)
    .output(ZCommentResolution)
    .mutation(async ({ ctx, input }) => {
      const comment = await resolveComment(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        id: input.commentId,
        resolved: input.resolved,
      });
      ctx.audit({
        summary: input.resolved ? "resolved a comment on a journey" : "reopened a comment on a journey",
        details: { journeyId: comment.journeyId, commentId: comment.id },
      });
      return { id: comment.id, resolvedAt: comment.resolvedAt };
    }),
};

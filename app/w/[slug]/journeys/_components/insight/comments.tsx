"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useId, useState } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Alert, Button, cx, inputClass } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { JourneyDesign } from "~/server/journeys/design";
import type { AppRouter } from "~/server/root";
import { formatDateTime, relativeTime } from "../../../_components/dates";
import {
  commentsToShow,
  commentTarget,
  countComments,
  targetName,
  type CommentTarget,
} from "./comment-targets";
import { personLabel } from "./people";

const thisItem = { journey: "The journey", stage: "This stage", touchpoint: "This touchpoint" } as const;

type Comment = inferRouterOutputs<AppRouter>["journey"]["comments"][number];

/**
 * The comments on one stage, touchpoint or the whole journey, or all of the
 * journey's comments. Editors add, resolve and reopen; viewers read.
 */
export function JourneyComments({
  workspaceId,
  journeyId,
  design,
  canEdit,
  target,
}: {
  workspaceId: string;
  journeyId: string;
  design: JourneyDesign;
  canEdit: boolean;
  target: CommentTarget;
}) {
  const trpc = useTRPC();
  const comments = useQuery(trpc.journey.comments.queryOptions({ workspaceId, id: journeyId }));
  const [all, setAll] = useState(false);
  const name = targetName(design, target);
  const filterId = useId();

  return (
    <section aria-labelledby="journey-comments-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="journey-comments-heading" className="text-lg font-semibold text-slate-900">
          Comments
          <span className="block text-sm font-normal text-slate-600">
            {all ? "All comments on this journey" : `On ${name}`}
          </span>
        </h2>
        <div
          role="group"
          aria-label="Which comments"
          className="flex rounded-md border border-slate-300 text-sm"
        >
          {[false, true].map((value) => (
            <button
              key={String(value)}
              id={`${filterId}-${value}`}
              type="button"
              aria-pressed={all === value}
              onClick={() => setAll(value)}
              className={cx(
                "focus-visible:outline-brand-600 px-3 py-1 first:rounded-l-md last:rounded-r-md focus-visible:outline-2",
                all === value ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
              )}
            >
              {value ? "All comments" : thisItem[target.kind]}
            </button>
          ))}
        </div>
      </div>

      <QueryView
        query={comments}
        what="the comments"
        isEmpty={(data) => commentsToShow(data, target, all).length === 0}
        empty={{
          title: all ? "No comments on this journey yet" : `No comments on ${name} yet`,
          body: canEdit ? "Write the first one below." : undefined,
        }}
      >
        {(data) => {
          const shown = commentsToShow(data, target, all);
          const { open, resolved } = countComments(shown);
          return (
            <>
              <p className="text-sm text-slate-600" aria-live="polite">
                {open} open, {resolved} resolved
              </p>
              <ol aria-label="Comments" className="space-y-2">
                {shown.map((comment) => (
                  <CommentItem
                    key={comment.id}
                    comment={comment}
                    about={all ? targetName(design, commentTarget(comment)) : null}
                    workspaceId={workspaceId}
                    journeyId={journeyId}
                    canEdit={canEdit}
                  />
                ))}
              </ol>
            </>
          );
        }}
      </QueryView>

      {canEdit && (
        <CommentForm
          key={target.kind === "journey" ? "journey" : `${target.kind}-${target.id}`}
          workspaceId={workspaceId}
          journeyId={journeyId}
          target={target}
          targetName={name}
        />
      )}
    </section>
  );
}

function CommentItem({
  comment,
  about,
  workspaceId,
  journeyId,
  canEdit,
}: {
  comment: Comment;
  /** The comment's target, when the list mixes targets. */
  about: string | null;
  workspaceId: string;
  journeyId: string;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resolve = useMutation(
    trpc.journey.resolveComment.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({
          queryKey: trpc.journey.comments.queryKey({ workspaceId, id: journeyId }),
        }),
    }),
  );
  const resolved = comment.resolvedAt !== null;
  return (
    <li
      className={cx(
        "rounded-md border px-3 py-2 text-sm",
        resolved ? "border-slate-200 bg-slate-50 text-slate-600" : "border-slate-200 bg-white",
      )}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <p>
          <span className="font-medium text-slate-900">{personLabel(comment.author)}</span>{" "}
          <time
            className="text-slate-500"
            dateTime={comment.createdAt.toISOString()}
            title={formatDateTime(comment.createdAt)}
          >
            {relativeTime(comment.createdAt)}
          </time>
          {resolved && (
            <span className="ml-2 rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">
              Resolved
            </span>
          )}
        </p>
        {canEdit && (
          <Button
            variant="ghost"
            className="px-2 py-1 text-xs"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate({ workspaceId, commentId: comment.id, resolved: !resolved })}
          >
            {resolved ? "Reopen" : "Resolve"}
          </Button>
        )}
      </div>
      {about && <p className="text-xs text-slate-500">On {about}</p>}
      <p className="mt-1 break-words whitespace-pre-wrap text-slate-800">{comment.body}</p>
      {resolve.error && (
        <div className="mt-2">
          <Alert>
            Could not {resolved ? "reopen" : "resolve"} the comment: {errorMessage(resolve.error)}
          </Alert>
        </div>
      )}
    </li>
  );
}

function CommentForm({
  workspaceId,
  journeyId,
  target,
  targetName: name,
}: {
  workspaceId: string;
  journeyId: string;
  target: CommentTarget;
  targetName: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [body, setBody] = useState("");
  const add = useMutation(
    trpc.journey.addComment.mutationOptions({
      onSuccess: async () => {
        setBody("");
        await queryClient.invalidateQueries({
          queryKey: trpc.journey.comments.queryKey({ workspaceId, id: journeyId }),
        });
      },
    }),
  );
  const submit = () => {
    if (!body.trim() || add.isPending) return;
    add.mutate({ workspaceId, id: journeyId, target, body });
  };

  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-body`} className="block text-sm font-medium text-slate-700">
        Comment on {name}
      </label>
      <textarea
        id={`${id}-body`}
        rows={3}
        value={body}
        aria-describedby={`${id}-hint`}
        aria-invalid={add.error ? true : undefined}
        className={inputClass}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            submit();
          }
        }}
      />
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        Ctrl+Enter sends.
      </p>
      {add.error && <Alert>Could not add the comment: {errorMessage(add.error)}</Alert>}
      <Button type="submit" disabled={!body.trim() || add.isPending}>
        {add.isPending ? "Sending…" : "Add comment"}
      </Button>
    </form>
  );
}

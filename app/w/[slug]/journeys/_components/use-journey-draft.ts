"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { JourneyDesign } from "~/server/journeys/design";
import { errorCode } from "~/app/_trpc/errors";

/** How long edits rest before the draft is saved: long enough to batch typing, short enough to feel saved. */
const SAVE_DELAY_MS = 800;

export interface Draft {
  name: string;
  description: string;
  design: JourneyDesign;
}

export type SaveStatus =
  | { kind: "saved" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "failed"; message: string }
  | { kind: "conflict"; message: string };

/**
 * The journey's draft as the editor holds it, saved automatically a moment
 * after each change. Every save sends the revision it last saw; when someone
 * else saved in between, the server answers CONFLICT and saving stops until
 * the editor reloads, so nobody's work is overwritten silently.
 */
export function useJourneyDraft({
  workspaceId,
  journeyId,
  initial,
  initialRevision,
  enabled,
}: {
  workspaceId: string;
  journeyId: string;
  initial: Draft;
  initialRevision: number;
  enabled: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  // What the server holds, as far as this editor knows, and the revision that says so.
  const [saved, setSaved] = useState(initial);
  const revision = useRef(initialRevision);
  const [failure, setFailure] = useState<{ draft: Draft; status: SaveStatus } | null>(null);
  const update = useMutation(trpc.journey.update.mutationOptions());
  const { mutate, isPending: saving } = update;

  const dirty =
    draft.name !== saved.name || draft.description !== saved.description || draft.design !== saved.design;
  // A failed save is retried by the next edit (or the Retry button); a conflict only by a reload.
  const failedHere = failure !== null && (failure.status.kind === "conflict" || failure.draft === draft);

  const save = useCallback(() => {
    const sending = draft;
    mutate(
      {
        workspaceId,
        id: journeyId,
        revision: revision.current,
        data: {
          name: sending.name !== saved.name ? sending.name.trim() : undefined,
          description: sending.description !== saved.description ? sending.description.trim() : undefined,
          design: sending.design !== saved.design ? sending.design : undefined,
        },
      },
      {
        onSuccess: (result) => {
          revision.current = result.revision;
          setSaved(sending);
          setFailure(null);
          void queryClient.invalidateQueries({
            queryKey: trpc.journey.get.queryKey({ workspaceId, id: journeyId }),
          });
          void queryClient.invalidateQueries({ queryKey: trpc.journey.list.pathKey() });
        },
        onError: (error) => {
          const message = errorMessage(error);
          setFailure({
            draft: sending,
            status:
              errorCode(error) === "CONFLICT" ? { kind: "conflict", message } : { kind: "failed", message },
          });
        },
      },
    );
  }, [draft, saved, mutate, workspaceId, journeyId, queryClient, trpc]);

  useEffect(() => {
    if (!enabled || !dirty || saving || failedHere) return;
    const timer = setTimeout(save, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [enabled, dirty, saving, failedHere, save]);

  // Leaving with unsaved edits asks first.
  useEffect(() => {
    if (!enabled || !dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [enabled, dirty]);

  const status: SaveStatus =
    failedHere && failure
      ? failure.status
      : saving
        ? { kind: "saving" }
        : dirty
          ? { kind: "pending" }
          : { kind: "saved" };

  return {
    draft,
    setDesign: (design: JourneyDesign) => setDraft((d) => ({ ...d, design })),
    setName: (name: string) => setDraft((d) => ({ ...d, name })),
    setDescription: (description: string) => setDraft((d) => ({ ...d, description })),
    status,
    /** Whether everything shown has reached the server. */
    settled: !dirty && !saving,
    /** The revision of the draft on the server as this editor last saw it (publishing names it). */
    revision: () => revision.current,
    retry: () => {
      setFailure(null);
      save();
    },
  };
}

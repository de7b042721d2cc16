"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "~/app/_trpc/react";
import { useWorkspace } from "../../../_components/workspace-context";

/** After any change: the assessment, the list, the indicators' comparison and the scorecard read it. */
export function useAssessmentChanged(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({
          queryKey: trpc.maturity.assessment.get.queryKey({ workspaceId, id }),
        }),
        queryClient.invalidateQueries({ queryKey: trpc.maturity.assessment.list.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.maturity.indicators.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.maturity.scorecard.pathKey() }),
      ]),
    [queryClient, trpc, workspaceId, id],
  );
}

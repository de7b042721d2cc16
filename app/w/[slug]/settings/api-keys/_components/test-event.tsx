"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/app/_trpc/react";
import { testCustomerId } from "~/server/writekeys/examples";
import type { WriteKeyRow } from "~/server/writekeys/writekeys";
import { useWorkspace } from "../../../_components/workspace-context";

export const TEST_EVENT_NAME = "Centric Test Event";

/**
 * Sends a real track call with the key through the tracking API, as a sender
 * would, then finds the test customer it landed on. From Centric's own page,
 * so a key's allowed origins do not stand in the way.
 */
export function useTestEvent(writeKey: WriteKeyRow) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const userId = testCustomerId(writeKey.name);
  return useMutation({
    mutationFn: async () => {
      const response = await fetch("/api/v1/track", {
        method: "POST",
        headers: {
          Authorization: `Basic ${btoa(`${writeKey.key}:`)}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({
          userId,
          event: TEST_EVENT_NAME,
          properties: { writeKey: writeKey.name, sentFrom: "Settings → API keys" },
        }),
      });
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      if (!response.ok) throw new Error(answer.error ?? `The tracking API answered ${response.status}.`);
      const { customers } = await queryClient.fetchQuery(
        trpc.customer.list.queryOptions({ workspaceId, search: userId, limit: 1 }, { staleTime: 0 }),
      );
      void queryClient.invalidateQueries({ queryKey: trpc.writeKey.list.queryKey() });
      return { userId, customerId: customers[0]?.id };
    },
  });
}

/** Where the test event landed: the test customer, linked to their timeline. */
export function TestEventArrived({ userId, customerId }: { userId: string; customerId?: string }) {
  const { slug } = useWorkspace();
  return (
    <>
      “{TEST_EVENT_NAME}” arrived for the test customer <code className="font-mono text-xs">{userId}</code>.{" "}
      {customerId && (
        <Link href={`/w/${slug}/customers/${customerId}`} className="font-medium underline">
          Open their timeline
        </Link>
      )}
    </>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/app/_trpc/react";
import { channelLabels } from "./channels";
import { useWorkspace } from "./workspace-context";

/** The demo's event names (server/demo/generate.ts) first, then common ones from Segment's spec. */
const commonEventNames = [
  "Order Completed",
  "Product Viewed",
  "Email Opened",
  "Email Clicked",
  "Post Liked",
  "Post Shared",
  "Call Completed",
  "Product Added",
  "Checkout Started",
  "Order Refunded",
  "Signed Up",
] as const;

/**
 * The suggestions of an event field: the names this workspace has tracked, each
 * with the channels it came on, so that a rule or a journey uses the names the
 * data uses. A workspace without events yet is offered common names from
 * Segment's e-commerce spec. Render once per page and point fields at `id`.
 */
export function EventNameList({ id }: { id: string }) {
  const { id: workspaceId } = useWorkspace();
  const trpc = useTRPC();
  // Names change rarely; one read per page and minute is plenty.
  const { data } = useQuery({ ...trpc.customer.eventNames.queryOptions({ workspaceId }), staleTime: 60_000 });
  return (
    <datalist id={id} data-testid="event-name-suggestions">
      {data === undefined
        ? null
        : data.length > 0
          ? data.map((name) => (
              <option
                key={name.event}
                value={name.event}
                label={name.channels.map((channel) => channelLabels[channel]).join(", ")}
              />
            ))
          : commonEventNames.map((name) => <option key={name} value={name} />)}
    </datalist>
  );
}

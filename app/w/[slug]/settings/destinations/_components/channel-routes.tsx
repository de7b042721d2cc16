"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { Alert, SectionCard, inputClass } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { channels, type Channel } from "~/db/enums";
import { channelLabels } from "../../../_components/channels";
import { useWorkspace } from "../../../_components/workspace-context";

/** Which destination each touchpoint channel's messages go to. */
export function ChannelRoutes() {
  const trpc = useTRPC();
  const id = useId();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const list = useQuery(trpc.destination.list.queryOptions({ workspaceId }));
  const route = useMutation(
    trpc.destination.setRoute.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.destination.list.queryKey() }),
    }),
  );
  const routedTo = (channel: Channel) => list.data?.find((d) => d.channels.includes(channel))?.id ?? "";

  return (
    <SectionCard
      id="channel-routes"
      title="Channels"
      description="A touchpoint's channel decides where its message goes. An SMTP destination serves the email channel only."
    >
      {route.error && <Alert>{errorMessage(route.error)}</Alert>}
      <ul className="grid gap-3 sm:grid-cols-2">
        {channels.map((channel) => (
          <li key={channel} className="flex items-center justify-between gap-3">
            <label htmlFor={`${id}-${channel}`} className="text-sm font-medium text-slate-700">
              {channelLabels[channel]}
            </label>
            <select
              id={`${id}-${channel}`}
              className={`${inputClass} max-w-[14rem]`}
              value={routedTo(channel)}
              disabled={list.isPending || route.isPending}
              onChange={(event) =>
                route.mutate({ workspaceId, channel, destinationId: event.target.value || null })
              }
            >
              <option value="">Outbox (kept in Centric)</option>
              {list.data
                ?.filter((d) => d.kind !== "smtp" || channel === "email")
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
            </select>
          </li>
        ))}
      </ul>
    </SectionCard>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { QueryView } from "~/app/_components/query-view";
import { Alert, Button, DataTable, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { channelLabels } from "../../../_components/channels";
import { formatDateTime } from "../../../_components/dates";
import { useWorkspace } from "../../../_components/workspace-context";

/** The dead-letter list: messages that could not be delivered, with why, to send again. */
export function FailedMessages() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const dead = useQuery(
    trpc.destination.deliveries.queryOptions({ workspaceId, status: "dead", limit: 100 }),
  );
  const replay = useMutation(
    trpc.destination.replay.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.destination.deliveries.queryKey() }),
    }),
  );

  return (
    <SectionCard
      id="failed-messages"
      title="Failed messages"
      description="Messages refused outright, or still failing after their last attempt. Fix the destination, then send them again: each keeps its idempotency key, so a receiver that already has it can drop the repeat."
    >
      {replay.error && <Alert>{errorMessage(replay.error)}</Alert>}
      <QueryView
        query={dead}
        what="the failed messages"
        loadingRows={2}
        isEmpty={(data) => data.deliveries.length === 0}
        empty={{
          title: "No failed messages",
          body: "Every message so far was delivered or is still queued.",
        }}
      >
        {(data) => (
          <DataTable
            caption="Failed messages"
            columns={[
              { label: "Created" },
              { label: "Channel" },
              { label: "To" },
              { label: "Subject" },
              { label: "Why" },
              { label: "Actions", hidden: true, align: "right" },
            ]}
          >
            <tbody className="divide-y divide-slate-100">
              {data.deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="py-2 pr-4 pl-4 whitespace-nowrap text-slate-600 sm:pl-0">
                    {formatDateTime(d.createdAt)}
                  </td>
                  <td className="py-2 pr-4 text-slate-600">{channelLabels[d.channel]}</td>
                  <td className="py-2 pr-4 text-slate-600">{d.message.to ?? "—"}</td>
                  <td className="py-2 pr-4 text-slate-900">{d.message.subject}</td>
                  <td className="max-w-[20rem] py-2 pr-4 text-red-800">
                    {d.lastError}{" "}
                    <span className="text-slate-500">
                      ({d.attempts} {d.attempts === 1 ? "attempt" : "attempts"})
                    </span>
                  </td>
                  <td className="py-2 text-right sm:pr-0">
                    <Button
                      variant="secondary"
                      disabled={replay.isPending}
                      onClick={() => replay.mutate({ workspaceId, deliveryId: d.id })}
                      aria-label={`Send “${d.message.subject}” again`}
                    >
                      Send again
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </QueryView>
    </SectionCard>
  );
}

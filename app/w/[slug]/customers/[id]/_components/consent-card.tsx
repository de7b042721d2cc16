"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { Channel, ConsentSource, ConsentState } from "~/db/enums";
import { Alert, Button, LoadError, LoadingRows, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { channelLabels } from "../../../_components/channels";
import { formatDate } from "../../../_components/dates";
import { useWorkspace } from "../../../_components/workspace-context";

const sourceLabels: Record<ConsentSource, string> = {
  link: "by the unsubscribe link",
  trait: "by an identify trait",
  manual: "by hand",
};

interface Row {
  channel: Channel;
  state: ConsentState;
  source: ConsentSource | null;
  changedAt: Date | null;
  changedBy: string | null;
}

function provenance(row: Row) {
  if (!row.source || !row.changedAt) return "Never changed: subscribed by default";
  const by = row.source === "manual" && row.changedBy ? ` (${row.changedBy})` : "";
  return `${sourceLabels[row.source]}${by}, ${formatDate(row.changedAt)}`;
}

/**
 * Whether journeys may message the customer on each channel, and who or what
 * said so. Editors change it; every send checks it (docs/destinations.md).
 */
export function ConsentCard({ customerId, canEdit }: { customerId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const consent = useQuery(trpc.consent.ofCustomer.queryOptions({ workspaceId, customerId }));
  const change = useMutation(
    trpc.consent.set.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.consent.ofCustomer.queryKey() });
        // The change is an event on the timeline and in the summary too.
        await queryClient.invalidateQueries({ queryKey: trpc.customer.pathKey() });
        router.refresh();
      },
    }),
  );

  return (
    <SectionCard
      id="consent"
      title="Consent"
      description="Channels journeys may message this customer on. The suppression list (Settings) can still block an address."
    >
      {consent.isPending ? (
        <LoadingRows rows={4} label="Loading consent" />
      ) : consent.data === undefined ? (
        <LoadError
          what="consent"
          error={errorMessage(consent.error)}
          onRetry={() => void consent.refetch()}
        />
      ) : (
        <>
          {change.error && <Alert>{errorMessage(change.error)}</Alert>}
          <ul className="divide-y divide-slate-100" aria-label="Subscription per channel">
            {consent.data.map((row) => {
              const unsubscribed = row.state === "unsubscribed";
              const pending = change.isPending && change.variables?.channel === row.channel;
              return (
                <li
                  key={row.channel}
                  className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-2"
                >
                  <div className="min-w-0">
                    <p className="text-sm font-medium text-slate-900">
                      {channelLabels[row.channel]}:{" "}
                      <span className={unsubscribed ? "text-red-700" : "text-emerald-700"}>
                        {unsubscribed ? "Unsubscribed" : "Subscribed"}
                      </span>
                    </p>
                    <p className="text-xs text-slate-500">{provenance(row)}</p>
                  </div>
                  {canEdit && (
                    <Button
                      variant="secondary"
                      className="px-2 py-1 text-xs"
                      disabled={change.isPending}
                      aria-label={`${unsubscribed ? "Subscribe" : "Unsubscribe"} ${channelLabels[row.channel].toLowerCase()}`}
                      onClick={() =>
                        change.mutate({
                          workspaceId,
                          customerId,
                          channel: row.channel,
                          state: unsubscribed ? "subscribed" : "unsubscribed",
                        })
                      }
                    >
                      {pending ? "Saving…" : unsubscribed ? "Subscribe" : "Unsubscribe"}
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </SectionCard>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { LoadError, LoadingRows, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { ChannelBadge, channelLabels, formatCount } from "../../../_components/channels";
import { useWorkspace } from "../../../_components/workspace-context";

const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

/**
 * Where and when a message reaches the customer best, as journeys decide it for
 * touchpoints on the customer's best channel or at their best hour: the
 * preferred channel, the channels that reach them, and their usual active
 * hours, each with the reason (docs/journeys.md, "Best channel and best hour").
 */
export function BestChoicesCard({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const choices = useQuery(trpc.customer.bestChoices.queryOptions({ workspaceId, customerId }));

  return (
    <SectionCard
      id="best-choices"
      title="Best channel and hour"
      description="From the customer's reactions in the last 180 days: what journeys use for a touchpoint on the customer's best channel or at their best hour."
    >
      {choices.isPending ? (
        <LoadingRows rows={4} label="Loading the best channel and hour" />
      ) : choices.data === undefined ? (
        <LoadError
          what="the best channel and hour"
          error={errorMessage(choices.error)}
          onRetry={() => void choices.refetch()}
        />
      ) : (
        <dl className="space-y-4 text-sm">
          <div>
            <dt className="font-medium text-slate-900">Preferred channel</dt>
            <dd className="mt-1 space-y-1">
              {choices.data.preferred.channel ? (
                <ChannelBadge channel={choices.data.preferred.channel} />
              ) : (
                <span className="text-slate-700">None</span>
              )}
              <p className="text-slate-600">{choices.data.preferred.reason}.</p>
            </dd>
          </div>
          {choices.data.reactions.length > 0 && (
            <div>
              <dt className="font-medium text-slate-900">Reactions per channel</dt>
              <dd className="mt-1 overflow-x-auto">
                <table className="w-full text-left text-xs tabular-nums">
                  <thead className="text-slate-500">
                    <tr>
                      <th scope="col" className="py-1 pr-2 font-medium">
                        Channel
                      </th>
                      {["Opens", "Clicks", "Visits", "Orders"].map((label) => (
                        <th key={label} scope="col" className="px-2 py-1 text-right font-medium">
                          {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100 text-slate-800">
                    {choices.data.reactions.map((row) => (
                      <tr key={row.channel}>
                        <th scope="row" className="py-1 pr-2 font-normal">
                          {channelLabels[row.channel]}
                        </th>
                        {[row.opens, row.clicks, row.visits, row.purchases].map((n, i) => (
                          <td key={i} className="px-2 py-1 text-right">
                            {formatCount(n)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </dd>
            </div>
          )}
          <div>
            <dt className="font-medium text-slate-900">Reachable channels</dt>
            <dd className="mt-1 space-y-2">
              <ul className="flex flex-wrap gap-1.5" aria-label="Channels that reach the customer">
                {choices.data.reachable
                  .filter((r) => r.allowed)
                  .map((r) => (
                    <li key={r.channel}>
                      <ChannelBadge channel={r.channel} />
                    </li>
                  ))}
              </ul>
              {choices.data.reachable.some((r) => !r.allowed) && (
                <div className="text-slate-600">
                  <p className="text-xs font-medium text-slate-500">Not reachable</p>
                  <ul className="space-y-0.5" aria-label="Channels that do not reach the customer">
                    {choices.data.reachable
                      .filter((r) => !r.allowed)
                      .map((r) => (
                        <li key={r.channel}>
                          {channelLabels[r.channel]}: {r.reason}
                        </li>
                      ))}
                  </ul>
                </div>
              )}
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Best hour</dt>
            <dd className="mt-1 space-y-1">
              <p className="text-slate-800">
                {choices.data.bestHour.hours
                  ? `${clock(choices.data.bestHour.hours.startHour)}–${clock(choices.data.bestHour.hours.endHour)} ${choices.data.bestHour.timeZone}`
                  : "None"}
              </p>
              <p className="text-slate-600">{choices.data.bestHour.reason}.</p>
              {!choices.data.timeZoneKnown && (
                <p className="text-xs text-slate-500">
                  Their time zone is unknown (no timezone trait or event context): hours are in{" "}
                  {choices.data.bestHour.timeZone} here, and in the run&apos;s time zone in a journey.
                </p>
              )}
            </dd>
          </div>
        </dl>
      )}
    </SectionCard>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, DataTable, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { channelLabels, formatCount } from "../../../_components/channels";
import { formatDateTime } from "../../../_components/dates";
import { useWorkspace } from "../../../_components/workspace-context";

// What going live would do over the next 7 days, from the customers who entered
// the segment in the last 7: each taken through the published version with the
// runner's own rules and their real events. Nothing is stored or sent.

/** Customers listed before "Show all". */
const FIRST_SHOWN = 10;

export function DryRunResult({
  journeyId,
  timezone,
  holdoutPercent,
  onClose,
}: {
  journeyId: string;
  timezone: string;
  holdoutPercent: number;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const { id: workspaceId } = useWorkspace();
  const result = useQuery({
    ...trpc.journey.dryRun.queryOptions({ workspaceId, id: journeyId, timezone, holdoutPercent }),
    staleTime: 0,
  });
  const data = result.data;
  const [showAll, setShowAll] = useState(false);
  const shown = data ? (showAll ? data.customers : data.customers.slice(0, FIRST_SHOWN)) : [];
  return (
    <SectionCard
      id="journey-dry-run"
      title="Dry run: the next 7 days"
      description={
        data
          ? `${formatCount(data.entrants)} customers entered the segment in the last 7 days, so about as many will in the next 7. ` +
            `Here ${data.sampled === data.entrants ? "each of them is" : `the latest ${formatCount(data.sampled)} are`} taken through version ${data.version} from the moment they entered, with their real events. Nothing is sent.`
          : "Taking the customers who entered in the last 7 days through the published version…"
      }
      aside={
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      }
    >
      {result.error && <Alert>Could not make the dry run: {errorMessage(result.error)}</Alert>}
      {data && (
        <>
          <DataTable
            caption="Messages the dry run would send, per touchpoint"
            columns={[
              { label: "Touchpoint" },
              { label: "Would send", align: "right" },
              { label: "Skipped", align: "right" },
            ]}
          >
            <tbody>
              {data.touchpoints.map((t) => (
                <tr key={t.touchpointId} className="border-b border-slate-100">
                  <td className="py-2 pr-4 pl-4 sm:pl-0">
                    {t.title} <span className="text-slate-500">({channelLabels[t.channel]})</span>
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums">{formatCount(t.messages)}</td>
                  <td className="py-2 text-right tabular-nums sm:pr-0">{formatCount(t.skipped)}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          {data.customers.length === 0 ? (
            <p className="text-sm text-slate-600">Nobody entered the segment in the last 7 days.</p>
          ) : (
            <ul className="divide-y divide-slate-100" aria-label="Each customer's messages">
              {shown.map((c) => (
                <li key={c.id} className="py-2 text-sm">
                  <p className="font-medium text-slate-900">
                    {c.name}{" "}
                    <span className="font-normal text-slate-500">
                      entered {formatDateTime(c.enteredAt)} · {c.timeZone}
                      {c.holdout ? " · control group" : ""}
                    </span>
                  </p>
                  {c.messages.length === 0 && c.skipped.length === 0 ? (
                    <p className="text-slate-600">Nothing in 7 days{c.ending ? ` (${c.ending})` : ""}.</p>
                  ) : (
                    <ul className="mt-1 space-y-0.5 text-slate-700">
                      {c.messages.map((m, i) => (
                        <li key={`m${i}`}>
                          {channelLabels[m.channel]}: {m.title} — {m.afterEntryHours} h after entering, at{" "}
                          {m.localTime} their time
                          {m.variant ? ` (variant ${m.variant})` : ""}
                          {[m.channelReason, m.timingReason].map(
                            (reason) =>
                              reason && (
                                <span key={reason} className="block text-xs text-slate-500">
                                  {reason}
                                </span>
                              ),
                          )}
                        </li>
                      ))}
                      {c.skipped.map((s, i) => (
                        <li key={`s${i}`} className="text-amber-800">
                          Skipped: {s.reason}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
          {data.customers.length > shown.length && (
            <Button variant="secondary" onClick={() => setShowAll(true)}>
              Show all {formatCount(data.customers.length)} customers
            </Button>
          )}
        </>
      )}
    </SectionCard>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { channels, type Channel } from "~/db/enums";
import { QueryView } from "~/app/_components/query-view";
import {
  Alert,
  Button,
  ConfirmActions,
  controlProps,
  DataTable,
  Field,
  Options,
  SectionCard,
} from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { channelLabels } from "../../../_components/channels";
import { formatDate } from "../../../_components/dates";
import { useWorkspace } from "../../../_components/workspace-context";

/**
 * Addresses the workspace never sends to on a channel, whoever they belong
 * to: hard bounces, spam complaints, requests made outside Centric. Every
 * send checks it (docs/destinations.md#consent-and-unsubscribe).
 */
export function SuppressionList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const list = useQuery(trpc.consent.suppressions.queryOptions({ workspaceId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.consent.suppressions.queryKey() });

  const [channel, setChannel] = useState<Channel>("email");
  const [address, setAddress] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState<string>();
  const add = useMutation(
    trpc.consent.addSuppression.mutationOptions({
      onSuccess: async () => {
        setAddress("");
        setReason("");
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.consent.removeSuppression.mutationOptions({
      onSuccess: async () => {
        setConfirming(undefined);
        await refresh();
      },
    }),
  );
  const fields = fieldErrors(add.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ workspaceId, channel, address, reason });
  }

  return (
    <div className="space-y-8">
      <SectionCard
        id="suppress-add"
        title="Suppress an address"
        description="No message goes to it on that channel, from any journey, until it is removed here."
      >
        <form onSubmit={submit} className="grid gap-4 md:grid-cols-[12rem_1fr_1fr_auto] md:items-start">
          <Field id="suppress-channel" label="Channel">
            <select
              {...controlProps("suppress-channel")}
              value={channel}
              onChange={(event) => setChannel(event.target.value as Channel)}
            >
              <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
            </select>
          </Field>
          <Field
            id="suppress-address"
            label="Address"
            hint={channel === "email" ? "An email address." : "A phone number, device token or handle."}
            error={fields.address}
          >
            <input
              {...controlProps("suppress-address", { error: fields.address, hasHint: true })}
              value={address}
              autoComplete="off"
              required
              maxLength={320}
              onChange={(event) => setAddress(event.target.value)}
            />
          </Field>
          <Field
            id="suppress-reason"
            label="Reason"
            hint="E.g. hard bounce, spam complaint."
            error={fields.reason}
          >
            <input
              {...controlProps("suppress-reason", { error: fields.reason, hasHint: true })}
              value={reason}
              required
              maxLength={500}
              onChange={(event) => setReason(event.target.value)}
            />
          </Field>
          <div className="md:pt-6">
            <Button type="submit" disabled={add.isPending}>
              {add.isPending ? "Adding…" : "Add"}
            </Button>
          </div>
        </form>
        {add.error && !fields.address && !fields.reason && <Alert>{errorMessage(add.error)}</Alert>}
      </SectionCard>

      <SectionCard id="suppressed" title="Suppressed addresses">
        {remove.error && <Alert>{errorMessage(remove.error)}</Alert>}
        <QueryView
          query={list}
          what="the suppression list"
          isEmpty={(rows) => rows.length === 0}
          empty={{ title: "No address is suppressed", body: "Addresses you add above are listed here." }}
        >
          {(rows) => (
            <DataTable
              caption="Suppressed addresses"
              columns={[
                { label: "Channel" },
                { label: "Address" },
                { label: "Reason" },
                { label: "Added" },
                { label: "Actions", hidden: true, align: "right" },
              ]}
            >
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => {
                  const key = `${row.channel}/${row.address}`;
                  return (
                    <tr key={key}>
                      <td className="py-2 pr-4 pl-4 sm:pl-0">{channelLabels[row.channel]}</td>
                      <td className="py-2 pr-4 font-mono text-xs [overflow-wrap:anywhere]">{row.address}</td>
                      <td className="py-2 pr-4 text-slate-700">{row.reason}</td>
                      <td className="py-2 pr-4 text-slate-600">
                        {formatDate(row.createdAt)}
                        {row.addedBy && <span className="block text-xs text-slate-500">{row.addedBy}</span>}
                      </td>
                      <td className="py-2 text-right sm:pr-0">
                        {confirming === key ? (
                          <ConfirmActions
                            className="justify-end"
                            label="Remove"
                            pendingLabel="Removing…"
                            pending={remove.isPending}
                            onConfirm={() =>
                              remove.mutate({ workspaceId, channel: row.channel, address: row.address })
                            }
                            onCancel={() => setConfirming(undefined)}
                          />
                        ) : (
                          <Button
                            variant="secondary"
                            aria-label={`Remove ${row.address} (${channelLabels[row.channel]})`}
                            onClick={() => {
                              remove.reset();
                              setConfirming(key);
                            }}
                          >
                            Remove
                          </Button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </DataTable>
          )}
        </QueryView>
      </SectionCard>
    </div>
  );
}

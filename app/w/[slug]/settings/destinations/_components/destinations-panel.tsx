"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { QueryView } from "~/app/_components/query-view";
import { Alert, Button, DangerConfirm, DataTable, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { CopyButton } from "../../../_components/copy-button";
import { useWorkspace } from "../../../_components/workspace-context";
import { DestinationForm, type EditedDestination } from "./destination-form";

type Notice = { message: ReactNode; tone: "success" | "error" } | undefined;

/** Where a destination sends, in a few words. */
function describe(kind: string, settings: Record<string, unknown>) {
  if (kind === "smtp")
    return `${String(settings.host)}:${String(settings.port)} · from ${String(settings.fromAddress)}`;
  if (kind === "webhook") return String(settings.url);
  return "Kept in Centric";
}

export function DestinationsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const list = useQuery(trpc.destination.list.queryOptions({ workspaceId }));
  const [form, setForm] = useState<"new" | EditedDestination | undefined>();
  const [removing, setRemoving] = useState<{ id: string; name: string }>();
  const [notice, setNotice] = useState<Notice>();
  const [revealed, setRevealed] = useState<{ name: string; secret: string }>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.destination.list.queryKey() });
  const test = useMutation(trpc.destination.sendTest.mutationOptions());
  const remove = useMutation(trpc.destination.remove.mutationOptions({ onSuccess: refresh }));

  const sendTest = (d: { id: string; name: string }) =>
    test.mutate(
      { workspaceId, destinationId: d.id },
      {
        onSuccess: (outcome) =>
          setNotice(
            outcome.status === "sent"
              ? {
                  tone: "success",
                  message: `A test message went out through “${d.name}”. Check your inbox or receiver.`,
                }
              : {
                  tone: "error",
                  message: `The test through “${d.name}” failed: ${outcome.error ?? outcome.status}`,
                },
          ),
        onError: (error) => setNotice({ tone: "error", message: errorMessage(error) }),
      },
    );

  return (
    <SectionCard
      id="destinations"
      title="Destinations"
      description="Where journeys' messages go. Email goes through your SMTP server; SMS, push, ads and a CRM through a signed webhook. A channel with no destination keeps its messages in the Outbox."
      aside={
        !form && (
          <Button onClick={() => setForm("new")} className="whitespace-nowrap">
            Add destination
          </Button>
        )
      }
    >
      <div aria-live="polite" className="space-y-2">
        {notice && <Alert tone={notice.tone}>{notice.message}</Alert>}
        {revealed && (
          <Alert tone="success">
            “{revealed.name}” signs each POST with this secret; give it to the receiver now, it is not shown
            again:{" "}
            <code id="destination-generated-secret" className="break-all">
              {revealed.secret}
            </code>{" "}
            <CopyButton
              text={revealed.secret}
              selectId="destination-generated-secret"
              label="Copy"
              what={`the signing secret of ${revealed.name}`}
            />
          </Alert>
        )}
      </div>
      {form && (
        <div className="mb-4">
          <DestinationForm
            key={form === "new" ? "new" : form.id}
            editing={form === "new" ? undefined : form}
            onDone={(created) => {
              setForm(undefined);
              if (created?.generatedSecret)
                setRevealed({ name: created.name, secret: created.generatedSecret });
              else if (created) setNotice({ tone: "success", message: `“${created.name}” was added.` });
            }}
          />
        </div>
      )}
      {removing && (
        <DangerConfirm
          className="mb-4"
          title={`Remove “${removing.name}”?`}
          confirmLabel="Remove"
          pendingLabel="Removing…"
          pending={remove.isPending}
          error={remove.error ? errorMessage(remove.error) : null}
          onCancel={() => setRemoving(undefined)}
          onConfirm={() =>
            remove.mutate(
              { workspaceId, destinationId: removing.id },
              {
                onSuccess: (r) => {
                  setRemoving(undefined);
                  setNotice({
                    tone: "success",
                    message:
                      `“${r.name}” was removed; its channels keep their messages in the Outbox.` +
                      (r.deadLettered
                        ? ` ${r.deadLettered} queued messages are listed under failed messages.`
                        : ""),
                  });
                },
              },
            )
          }
        >
          Its channels fall back to the Outbox. Messages still queued for it are not sent; they are listed
          under failed messages, where they can be sent again once routed.
        </DangerConfirm>
      )}
      <QueryView
        query={list}
        what="the destinations"
        loadingRows={2}
        isEmpty={(data) => data.length === 0}
        empty={{
          title: "No destinations yet",
          body: "Every message is kept in the Outbox until you add one. Journeys still run.",
        }}
      >
        {(data) => (
          <DataTable
            caption="Destinations"
            columns={[
              { label: "Name" },
              { label: "Kind" },
              { label: "Sends to" },
              { label: "Channels" },
              { label: "Actions", hidden: true, align: "right" },
            ]}
          >
            <tbody className="divide-y divide-slate-100">
              {data.map((d) => (
                <tr key={d.id}>
                  <td className="py-2 pr-4 pl-4 font-medium text-slate-900 sm:pl-0">{d.name}</td>
                  <td className="py-2 pr-4 text-slate-600">
                    {d.kind === "smtp" ? "SMTP" : d.kind === "webhook" ? "Webhook" : "Outbox"}
                  </td>
                  <td
                    className="max-w-[18rem] truncate py-2 pr-4 text-slate-600"
                    title={describe(d.kind, d.settings)}
                  >
                    {describe(d.kind, d.settings)}
                  </td>
                  <td className="py-2 pr-4 text-slate-600">
                    {d.channels.length ? d.channels.join(", ") : "none yet"}
                  </td>
                  <td className="py-2 text-right whitespace-nowrap sm:pr-0">
                    <div className="flex justify-end gap-2">
                      <Button
                        variant="secondary"
                        disabled={test.isPending}
                        onClick={() => sendTest(d)}
                        aria-label={`Send a test message through ${d.name} to me`}
                      >
                        {test.isPending && test.variables?.destinationId === d.id
                          ? "Sending…"
                          : "Send a test to me"}
                      </Button>
                      {d.kind !== "outbox" && (
                        <Button
                          variant="secondary"
                          onClick={() =>
                            setForm({
                              id: d.id,
                              kind: d.kind as "smtp" | "webhook",
                              name: d.name,
                              settings: d.settings,
                              hasSecret: d.hasSecret,
                            })
                          }
                          aria-label={`Edit ${d.name}`}
                        >
                          Edit
                        </Button>
                      )}
                      <Button
                        variant="secondary"
                        onClick={() => setRemoving(d)}
                        aria-label={`Remove ${d.name}`}
                      >
                        Remove
                      </Button>
                    </div>
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

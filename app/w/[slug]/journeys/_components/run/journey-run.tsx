"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { Alert, Button, DangerConfirm, DataTable, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { JourneyDesign } from "~/server/journeys/design";
import type { AppRouter } from "~/server/root";
import { formatCount } from "../../../_components/channels";
import { formatDateTime, relativeTime } from "../../../_components/dates";
import { formatPercent } from "../../../_components/format";
import { ProgressBar } from "../../../_components/progress-bar";
import { useWorkspace } from "../../../_components/workspace-context";
import { DryRunResult } from "./dry-run-result";
import { GoLiveForm, type RunSettings } from "./go-live-form";
import { nodeLabel, sentVariantLabel, touchpointTitle, variantLabel } from "./node-label";

// The Run tab: whether the journey is live, the controls for editors (go live
// after a dry run, pause, resume, stop), how far going live has enrolled the
// segment, where the customers on their way are, how those who left did, and
// the messages sent per touchpoint and A/B variant.

type RunState = inferRouterOutputs<AppRouter>["journey"]["runState"];
type Run = NonNullable<RunState["run"]>;

const statusText: Record<Run["status"], string> = { live: "Live", paused: "Paused", stopped: "Stopped" };

export function JourneyRun({
  journeyId,
  design,
  publishedVersion,
  canEdit,
}: {
  journeyId: string;
  design: JourneyDesign;
  publishedVersion: number | null;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  const state = useQuery({
    ...trpc.journey.runState.queryOptions({ workspaceId, id: journeyId }),
    // Live runs move on their own: follow them.
    refetchInterval: (query) => (query.state.data?.run?.status === "live" ? 3000 : false),
  });
  const [dryRunSettings, setDryRunSettings] = useState<RunSettings | null>(null);
  const [confirmStop, setConfirmStop] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.journey.runState.pathKey() });
  const options = {
    onSuccess: async () => {
      setConfirmStop(false);
      await refresh();
    },
  };
  const goLive = useMutation(trpc.journey.goLive.mutationOptions(options));
  const pause = useMutation(trpc.journey.pause.mutationOptions(options));
  const resume = useMutation(trpc.journey.resume.mutationOptions(options));
  const stop = useMutation(trpc.journey.stop.mutationOptions(options));
  const failed = [goLive, pause, resume, stop].find((m) => m.error);

  if (state.isPending) return <p className="text-sm text-slate-600">Loading the journey&apos;s run…</p>;
  if (!state.data) return <Alert>Could not load the run: {errorMessage(state.error)}</Alert>;
  const run = state.data.run;
  const running = run && run.status !== "stopped";

  return (
    <div className="space-y-4">
      <SectionCard
        id="journey-run"
        title={running ? `${statusText[run.status]} · version ${run.version}` : "Not running"}
        description={<RunSummary run={run} />}
      >
        {failed && <Alert>{errorMessage(failed.error)}</Alert>}
        {!canEdit ? (
          <p className="text-sm text-slate-600">Editors and admins start, pause and stop journeys.</p>
        ) : running ? (
          <div className="flex flex-wrap gap-2">
            {run.status === "live" ? (
              <Button
                variant="secondary"
                disabled={pause.isPending}
                onClick={() => pause.mutate({ workspaceId, id: journeyId })}
              >
                Pause
              </Button>
            ) : (
              <Button
                disabled={resume.isPending}
                onClick={() => resume.mutate({ workspaceId, id: journeyId })}
              >
                Resume
              </Button>
            )}
            <Button variant="danger" onClick={() => setConfirmStop(true)}>
              Stop
            </Button>
          </div>
        ) : publishedVersion === null ? (
          <p className="text-sm text-slate-600">
            Publish the journey first: a journey runs a published version, never the draft.
          </p>
        ) : (
          <GoLiveForm
            version={publishedVersion}
            pending={goLive.isPending}
            onDryRun={setDryRunSettings}
            onGoLive={(settings) => goLive.mutate({ workspaceId, id: journeyId, ...settings })}
          />
        )}
        {confirmStop && (
          <DangerConfirm
            title="Stop this journey?"
            confirmLabel="Stop the journey"
            pendingLabel="Stopping…"
            pending={stop.isPending}
            error={stop.error ? errorMessage(stop.error) : null}
            onConfirm={() => stop.mutate({ workspaceId, id: journeyId })}
            onCancel={() => setConfirmStop(false)}
          >
            Everyone on their way through it leaves now, and nothing more is sent. Messages already queued
            still go. It can go live again later, as a new run.
          </DangerConfirm>
        )}
      </SectionCard>

      {dryRunSettings && !running && publishedVersion !== null && (
        <DryRunResult
          journeyId={journeyId}
          timezone={dryRunSettings.timezone}
          holdoutPercent={dryRunSettings.holdoutPercent}
          onClose={() => setDryRunSettings(null)}
        />
      )}

      {run && <RunFigures run={run} design={design} />}

      <SectionCard
        id="journey-messages"
        title="Messages sent"
        description="Every run's messages, per touchpoint and A/B variant. Failed ones can be replayed from the Outbox."
        aside={
          <Link className="text-brand-700 text-sm underline" href={`/w/${slug}/settings/outbox`}>
            Open the Outbox
          </Link>
        }
      >
        {state.data.messages.length === 0 ? (
          <p className="text-sm text-slate-600">No messages yet.</p>
        ) : (
          <DataTable
            caption="Messages per touchpoint and variant"
            columns={[
              { label: "Touchpoint" },
              { label: "Variant" },
              { label: "Sent", align: "right" },
              { label: "Waiting", align: "right" },
              { label: "Failed", align: "right" },
            ]}
          >
            <tbody>
              {state.data.messages.map((m) => (
                <tr key={`${m.touchpointId} ${m.variant}`} className="border-b border-slate-100">
                  <td className="py-2 pr-4 pl-4 sm:pl-0">{touchpointTitle(design, m.touchpointId)}</td>
                  <td className="py-2 pr-4">{m.variant ? sentVariantLabel(design, m.variant) : "—"}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{formatCount(m.sent)}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{formatCount(m.queued)}</td>
                  <td className="py-2 text-right tabular-nums sm:pr-0">{formatCount(m.dead)}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </SectionCard>
    </div>
  );
}

function RunSummary({ run }: { run: Run | null }) {
  if (!run)
    return <>This journey has never run. Going live sends its touchpoints to the segment&apos;s customers.</>;
  const since =
    run.status === "live" ? run.startedAt : run.status === "paused" ? run.pausedAt! : run.stoppedAt!;
  return (
    <>
      {statusText[run.status]} since <time dateTime={since.toISOString()}>{formatDateTime(since)}</time> (
      {relativeTime(since)}); started by {run.startedBy ?? "a former member"}.{" "}
      {run.reentryDays === null
        ? "Each customer enters once"
        : `Customers may enter again after ${run.reentryDays} days`}
      {run.exitOnSegmentLeave ? "; leaving the segment ends their way through" : ""}
      {run.moveToNewVersion ? "; new versions take those on their way" : ""}. Time zone when unknown:{" "}
      {run.timezone}.{" "}
      {run.holdoutPercent > 0
        ? `${run.holdoutPercent} % of entrants are held out as a control group: followed through every step, sent nothing.`
        : "No control group: everyone who enters is sent the journey's messages."}
    </>
  );
}

function RunFigures({ run, design }: { run: Run; design: JourneyDesign }) {
  const { initial, enrollments } = run;
  return (
    <SectionCard id="journey-run-figures" title="Customers in this run">
      {!initial.done && run.status !== "stopped" && (
        <div className="space-y-1">
          <p className="text-sm text-slate-700">
            Enrolling the segment&apos;s {formatCount(initial.members)} members:{" "}
            {formatCount(initial.enrolled)} so far.
          </p>
          <ProgressBar
            label="Going-live enrolment"
            value={initial.enrolled}
            max={Math.max(1, initial.members)}
          />
        </div>
      )}
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
        {(
          [
            ["On their way", enrollments.active],
            ["Finished", enrollments.completed],
            ["Left early", enrollments.exited],
            ["Treatment (sent the journey)", run.groups.treatment],
            ["Holdout (control group)", run.groups.holdout],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="rounded-md bg-slate-50 p-3">
            <dt className="text-slate-600">{label}</dt>
            <dd className="text-xl font-semibold text-slate-900 tabular-nums">{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
      {run.atNodes.length > 0 && (
        <DataTable
          caption="Where the customers on their way are"
          columns={[
            { label: "Step" },
            { label: "Customers", align: "right" },
            { label: "Due now", align: "right" },
            { label: "Next due" },
          ]}
        >
          <tbody>
            {run.atNodes.map((n) => (
              <tr key={n.nodeId} className="border-b border-slate-100">
                <td className="py-2 pr-4 pl-4 sm:pl-0">{nodeLabel(design, n.nodeId)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatCount(n.count)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatCount(n.due)}</td>
                <td className="py-2 sm:pr-0">
                  <time dateTime={n.nextDue.toISOString()}>{formatDateTime(n.nextDue)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {run.variants.length > 0 && (
        <DataTable
          caption="A/B variants: customers and how many reached the journey's final goal"
          columns={[
            { label: "Split" },
            { label: "Variant" },
            { label: "Customers", align: "right" },
            { label: "Reached the goal", align: "right" },
          ]}
        >
          <tbody>
            {run.variants.map((v) => (
              <tr key={`${v.branchNodeId} ${v.variant}`} className="border-b border-slate-100">
                <td className="py-2 pr-4 pl-4 sm:pl-0">{nodeLabel(design, v.branchNodeId)}</td>
                <td className="py-2 pr-4">{variantLabel(design, v.branchNodeId, v.variant)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{formatCount(v.customers)}</td>
                <td className="py-2 text-right tabular-nums sm:pr-0">
                  {formatCount(v.converted)} ({formatPercent(v.customers > 0 ? v.converted / v.customers : 0)}
                  )
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {run.endings.length > 0 && (
        <DataTable
          caption="How customers left"
          columns={[{ label: "Way out" }, { label: "Customers", align: "right" }]}
        >
          <tbody>
            {run.endings.map((e) => (
              <tr key={e.reason} className="border-b border-slate-100">
                <td className="py-2 pr-4 pl-4 sm:pl-0">{e.reason}</td>
                <td className="py-2 text-right tabular-nums sm:pr-0">{formatCount(e.count)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </SectionCard>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import {
  Alert,
  Button,
  controlProps,
  EmptyState,
  Field,
  LoadError,
  LoadingRows,
  Options,
  SectionCard,
} from "~/app/_components/ui";
import { errorMessage, fieldErrors } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type {
  ValueFitSummary,
  ValueModelChoice,
  ValueOverview as Overview,
  ValueSchedule,
} from "~/server/valuation/types";
import { useCan, useWorkspace } from "../../_components/workspace-context";
import { ProgressBar } from "../../_components/progress-bar";
import { Diagnostics } from "./diagnostics";
import { FitSummary } from "./fit-summary";
import { ModelComparison } from "./model-comparison";
import { formatTimestamp } from "../../_components/format";

const scheduleOptions: { value: ValueSchedule; label: string }[] = [
  { value: "off", label: "Off: only when run by hand" },
  { value: "daily", label: "Daily" },
  { value: "weekly", label: "Weekly" },
];

const modelOptions: { value: ValueModelChoice; label: string }[] = [
  { value: "auto", label: "Auto: the best on the holdout" },
  { value: "bgnbd", label: "BG/NBD" },
  { value: "mbgnbd", label: "MBG/NBD" },
  { value: "pnbd", label: "Pareto/NBD" },
];

const scheduleWords: Record<ValueSchedule, string> = {
  off: "only when someone runs one",
  daily: "every day",
  weekly: "every week",
};

const statusAnnouncements: Record<ValueFitSummary["status"], string> = {
  queued: "The fit is waiting to start.",
  running: "The fit is running.",
  succeeded: "The latest fit is done.",
  failed: "The latest fit failed.",
};

function isActive(status: ValueFitSummary["status"] | undefined) {
  return status === "queued" || status === "running";
}

/** The "Model fit" tab: run a fit, follow it, read the current fit and its diagnostics. */
export function ValueOverview() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const canRun = useCan("content:write");
  const overview = useQuery({
    ...trpc.value.overview.queryOptions({ workspaceId }),
    // Poll while a fit is queued or running, so the bar moves and the result appears.
    refetchInterval: (query) => (isActive(query.state.data?.latest?.status) ? 1000 : false),
  });
  const currentId = overview.data?.current?.id;
  useEffect(() => {
    // A new fit changes the portfolio and the values in the customer list.
    if (!currentId) return;
    void queryClient.invalidateQueries({ queryKey: trpc.value.portfolio.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.customer.list.pathKey() });
  }, [currentId, queryClient, trpc]);

  if (overview.isPending) return <LoadingRows rows={6} label="Loading the model fit" />;
  if (!overview.data) {
    return (
      <LoadError
        what="the model fit"
        error={errorMessage(overview.error)}
        onRetry={() => void overview.refetch()}
      />
    );
  }
  const { latest, current, check } = overview.data;

  return (
    <div className="space-y-6">
      {canRun ? (
        <FitControls overview={overview.data} />
      ) : (
        <Alert tone="info">
          You can read the model fit and its diagnostics here. Editors and admins run fits; this workspace
          refits {scheduleWords[overview.data.schedule]}.
        </Alert>
      )}
      {/* Announces the fit's status changes; the progress itself is read from the bar on demand. */}
      <p aria-live="polite" className="sr-only">
        {latest ? statusAnnouncements[latest.status] : ""}
      </p>
      {latest && latest.id !== current?.id && latest.id !== check?.id && (
        <LatestFit fit={latest} hasCurrent={current !== null} />
      )}
      {current ? (
        <>
          <FitSummary fit={current} />
          <ModelComparison fit={current} id="model-choice" />
          <Diagnostics fit={current} />
        </>
      ) : (
        !isActive(latest?.status) && <NoFitYet canRun={canRun} />
      )}
      {check && (
        <>
          <FitSummary fit={check} />
          <ModelComparison fit={check} id="check-model-choice" />
          <Diagnostics fit={check} idPrefix="check-" />
        </>
      )}
    </div>
  );
}

function NoFitYet({ canRun }: { canRun: boolean }) {
  const { slug } = useWorkspace();
  return (
    <EmptyState title="No model fit yet">
      <div className="mx-auto max-w-xl space-y-2">
        <p>
          A fit needs purchases: <strong className="font-medium text-slate-700">track</strong> events that
          carry an amount (a <code>revenue</code>, <code>total</code>, <code>amount</code> or{" "}
          <code>value</code> property), sent through the tracking API or imported from a CSV file with an
          amount column. The more customers who bought more than once, the better the estimates.
        </p>
        <p>
          <Link href={`/w/${slug}/customers/import`} className="text-brand-700 font-medium underline">
            Import purchases
          </Link>
          {canRun ? ", then run a fit above." : "; an editor or admin then runs a fit."}
        </p>
      </div>
    </EmptyState>
  );
}

/** The newest fit when it is not the one shown: waiting, running, or failed. */
function LatestFit({ fit, hasCurrent }: { fit: ValueFitSummary; hasCurrent: boolean }) {
  if (fit.status === "failed") {
    return (
      <Alert>
        The fit started {formatTimestamp(fit.createdAt)} failed: {fit.error ?? "no reason was given"}.
        {hasCurrent && " The figures below are from the last fit that succeeded."}
      </Alert>
    );
  }
  if (!isActive(fit.status)) return null;
  const progress = fit.progress;
  const total = progress?.total ?? null;
  const percent = total && progress ? Math.min(100, Math.floor((progress.done / total) * 100)) : undefined;
  const words =
    fit.status === "queued"
      ? "Waiting to start"
      : [progress?.message ?? "Running", percent === undefined ? null : `${percent}%`]
          .filter(Boolean)
          .join(" · ");
  return (
    <section
      aria-labelledby="fit-progress-heading"
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:px-6"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="fit-progress-heading" className="font-medium text-slate-900">
          {fit.purpose === "holdout"
            ? fit.status === "queued"
              ? "Holdout check waiting to start"
              : "Checking the models on the holdout"
            : fit.status === "queued"
              ? "Fit waiting to start"
              : "Fitting the models"}
        </h2>
        <span className="text-sm text-slate-600">
          {fit.status === "queued" ? "requested" : "started"} {formatTimestamp(fit.createdAt)}
        </span>
      </div>
      <ProgressBar
        label="Progress of the fit"
        value={fit.status === "queued" ? undefined : (progress?.done ?? undefined)}
        max={total ?? 0}
        text={words}
      />
      <p className="text-sm text-slate-600">
        {words}.{" "}
        {fit.purpose === "holdout"
          ? "A holdout check does not change any customer's scores; you can leave this page."
          : hasCurrent
            ? "The figures below are from the previous fit until this one finishes."
            : "You can leave this page; the fit goes on in the background."}
      </p>
    </section>
  );
}

function FitControls({ overview }: { overview: Overview }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const settings = overview.current?.settings;
  const [calibrationEnd, setCalibrationEnd] = useState("");
  const [model, setModel] = useState<ValueModelChoice>(overview.current?.modelChoice ?? "auto");
  const [horizon, setHorizon] = useState(String(settings?.horizonWeeks ?? 52));
  const [discount, setDiscount] = useState(String(Math.round((settings?.discountRate ?? 0.1) * 1000) / 10));
  const [checks, setChecks] = useState<Record<string, string | undefined>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.value.overview.queryKey() });
  const start = useMutation(trpc.value.startFit.mutationOptions({ onSuccess: () => refresh() }));
  const schedule = useMutation(trpc.value.setSchedule.mutationOptions({ onSuccess: refresh }));
  const running = isActive(overview.latest?.status);
  const serverErrors = fieldErrors(start.error);
  const errors = {
    calibrationEnd: checks.calibrationEnd ?? serverErrors.calibrationEnd,
    horizonWeeks: checks.horizonWeeks ?? serverErrors.horizonWeeks,
    discountRate: checks.discountRate ?? serverErrors.discountRate,
  };
  const otherError =
    start.error && !Object.values(serverErrors).some(Boolean) ? errorMessage(start.error) : null;

  // What became of the fit started here, once the overview knows it.
  const started = start.data && overview.latest?.id === start.data.fitId ? overview.latest : null;
  const notice = !started
    ? undefined
    : isActive(started.status)
      ? started.purpose === "holdout"
        ? "The holdout check has started. Its progress is shown below; the customers' scores stay as they are."
        : "The fit has started. Its progress is shown below."
      : started.status === "succeeded"
        ? started.purpose === "holdout"
          ? "The holdout check is done: see “Latest holdout check” below. The customers' scores are unchanged."
          : "The fit is done. The figures below are from it."
        : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const weeks = Number(horizon);
    const rate = Number(discount);
    const found = {
      calibrationEnd:
        calibrationEnd && Number.isNaN(Date.parse(calibrationEnd))
          ? "Give a date, or leave it empty"
          : undefined,
      horizonWeeks:
        !Number.isInteger(weeks) || weeks < 1 || weeks > 520
          ? "A whole number of weeks from 1 to 520"
          : undefined,
      discountRate:
        discount.trim() === "" || !Number.isFinite(rate) || rate < 0 || rate > 100
          ? "A percentage from 0 to 100"
          : undefined,
    };
    setChecks(found);
    if (Object.values(found).some(Boolean)) return;
    start.mutate({
      workspaceId,
      calibrationEnd: calibrationEnd || undefined,
      model,
      horizonWeeks: weeks,
      discountRate: rate / 100,
    });
  };

  return (
    <SectionCard
      id="run-fit"
      title="Run a fit"
      description="A live fit uses every purchase to the latest, compares the purchase models and scores every customer. With a calibration end it is a holdout check instead: a validation that scores no one. Both run in the background; you can leave this page."
    >
      <form noValidate onSubmit={submit} aria-label="Run a fit" className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Field
            id="fit-model"
            label="Purchase model"
            hint="Auto compares the three on a holdout and uses the best."
          >
            <select
              {...controlProps("fit-model", { hasHint: true })}
              value={model}
              onChange={(event) => setModel(event.target.value as ValueModelChoice)}
            >
              <Options items={modelOptions} value={(o) => o.value} label={(o) => o.label} />
            </select>
          </Field>
          <Field
            id="fit-calibration-end"
            label="Holdout check: calibration end (optional)"
            hint="Empty: a live fit that scores the customers. A date: the models are checked against the purchases after it; scores stay as they are."
            error={errors.calibrationEnd}
          >
            <input
              {...controlProps("fit-calibration-end", { error: errors.calibrationEnd, hasHint: true })}
              type="date"
              value={calibrationEnd}
              onChange={(event) => setCalibrationEnd(event.target.value)}
            />
          </Field>
          <Field
            id="fit-horizon"
            label="Horizon (weeks)"
            hint="How far ahead lifetime value looks; 52 = a year."
            error={errors.horizonWeeks}
          >
            <input
              {...controlProps("fit-horizon", { error: errors.horizonWeeks, hasHint: true })}
              type="number"
              inputMode="numeric"
              min={1}
              max={520}
              step={1}
              value={horizon}
              onChange={(event) => setHorizon(event.target.value)}
            />
          </Field>
          <Field
            id="fit-discount"
            label="Discount rate (% a year)"
            hint="What future money is worth less than money now."
            error={errors.discountRate}
          >
            <input
              {...controlProps("fit-discount", { error: errors.discountRate, hasHint: true })}
              type="number"
              inputMode="decimal"
              min={0}
              max={100}
              step="any"
              value={discount}
              onChange={(event) => setDiscount(event.target.value)}
            />
          </Field>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={start.isPending || running}>
            {start.isPending ? "Starting…" : calibrationEnd ? "Run holdout check" : "Run fit now"}
          </Button>
          {running && (
            <span className="text-sm text-slate-600">A fit is under way; wait for it to finish.</span>
          )}
        </div>
        <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
        {otherError && <Alert>{otherError}</Alert>}
      </form>

      <div className="border-t border-slate-100 pt-3">
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-64">
            <Field id="fit-schedule" label="Refit automatically">
              <select
                {...controlProps("fit-schedule")}
                value={overview.schedule}
                disabled={schedule.isPending}
                onChange={(event) =>
                  schedule.mutate({ workspaceId, schedule: event.target.value as ValueSchedule })
                }
              >
                <Options items={scheduleOptions} value={(o) => o.value} label={(o) => o.label} />
              </select>
            </Field>
          </div>
          <p className="pb-2 text-sm text-slate-600" aria-live="polite">
            {schedule.isPending
              ? "Saving…"
              : overview.schedule !== "off" && overview.nextRunAt
                ? `Next fit ${formatTimestamp(overview.nextRunAt)}.`
                : overview.schedule === "off"
                  ? "Fits run only when someone starts one."
                  : null}
          </p>
        </div>
        {schedule.error && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            Could not change the schedule: {errorMessage(schedule.error)}
          </p>
        )}
      </div>
    </SectionCard>
  );
}

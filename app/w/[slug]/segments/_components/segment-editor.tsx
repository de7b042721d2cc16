"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { Alert, Button, ButtonLink, Card, controlProps, cx, Field, Options } from "~/app/_components/ui";
import { errorCode, errorMessage, fieldErrors, inputIssues } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { SegmentSchedule } from "~/db/enums";
import type { previewRule } from "~/server/segments/preview";
import type { Rule } from "~/server/segments/rules";
import { ZSegmentDetails } from "~/server/segments/segment-input";
import { formatCount } from "../../_components/channels";
import { useSettled } from "../../_components/use-settled";
import { useWorkspace } from "../../_components/workspace-context";
import { RuleBuilder } from "./rule-builder";
import { scheduleOptions } from "./schedule";

export interface SegmentDraft {
  name: string;
  description: string;
  schedule: SegmentSchedule;
  rule: Rule;
}

/**
 * The segment editor of /segments/new and /segments/[id]/edit: name,
 * description, refresh schedule, the rule, and a live count of the customers
 * the rule picks now. `segmentId` is the segment being edited (absent when
 * creating). Viewers get everything read-only and no save.
 */
export function SegmentEditor({
  initial,
  segmentId,
  readOnly = false,
  onBack,
}: {
  initial: SegmentDraft;
  segmentId?: string;
  readOnly?: boolean;
  /** Back to the template picker (new segments only). */
  onBack?: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { id: workspaceId, slug } = useWorkspace();
  // The name, description and schedule are a form checked with the procedures' own schema;
  // the rule is the rule builder's, checked by the preview as it changes.
  const form = useForm<z.input<typeof ZSegmentDetails>, unknown, z.output<typeof ZSegmentDetails>>({
    defaultValues: { name: initial.name, description: initial.description, schedule: initial.schedule },
    resolver: zodResolver(ZSegmentDetails),
    reValidateMode: "onSubmit",
  });
  const schedule = useWatch({ control: form.control, name: "schedule" });
  const [rule, setRule] = useState(initial.rule);

  const segments = useQuery(trpc.segment.list.queryOptions({ workspaceId }));
  const otherSegments = (segments.data ?? []).filter((s) => s.id !== segmentId);

  const previewRule = useSettled(rule, 400);
  const stale = previewRule !== rule;
  // The key holds the rule: a change starts new queries, and the abandoned ones' requests
  // are aborted (their AbortSignal reaches the server, which stops counting). A large
  // workspace first answers with an estimate from a sample, then the exact count follows.
  const previewQuery = { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 } as const;
  const estimate = useQuery({
    ...trpc.segment.preview.queryOptions({ workspaceId, rule: previewRule, segmentId, mode: "estimate" }),
    placeholderData: keepPreviousData,
    ...previewQuery,
  });
  const needsExact = Boolean(estimate.data?.estimate) && !estimate.isPlaceholderData;
  const exact = useQuery({
    ...trpc.segment.preview.queryOptions({ workspaceId, rule: previewRule, segmentId, mode: "exact" }),
    enabled: needsExact,
    ...previewQuery,
  });
  const preview: PreviewQuery = {
    data: needsExact && exact.data ? exact.data : estimate.data,
    error: estimate.error,
    isFetching: estimate.isFetching,
    isPlaceholderData: estimate.isPlaceholderData,
    exact: !needsExact ? "none" : exact.data ? "done" : exact.error ? "failed" : "counting",
    exactError: needsExact ? exact.error : null,
  };

  const saved = (id: string) => {
    void queryClient.invalidateQueries({ queryKey: trpc.segment.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.segment.get.queryKey({ workspaceId, id }) });
    router.push(`/w/${slug}/segments/${id}`);
  };
  const create = useMutation(trpc.segment.create.mutationOptions({ onSuccess: ({ id }) => saved(id) }));
  const update = useMutation(trpc.segment.update.mutationOptions({ onSuccess: ({ id }) => saved(id) }));
  const save = segmentId ? update : create;
  // The rule the last save was refused for: its issues show until the rule changes.
  const [savedRule, setSavedRule] = useState<Rule | null>(null);

  const submit = form.handleSubmit(
    (details) => {
      if (readOnly) return;
      setSavedRule(rule);
      const input = { workspaceId, ...details, rule };
      if (segmentId) update.mutate({ ...input, id: segmentId });
      else create.mutate(input);
    },
    // The browser's check found problems: a refusal from an earlier save no longer applies.
    () => save.reset(),
  );

  const { errors } = form.formState;
  const serverFields = fieldErrors(save.error);
  const saveFields = {
    name: errors.name?.message ?? serverFields.name,
    description: errors.description?.message ?? serverFields.description,
    schedule: errors.schedule?.message ?? serverFields.schedule,
  };
  const nameError =
    saveFields.name ?? (errorCode(save.error) === "CONFLICT" ? errorMessage(save.error) : undefined);
  const saveIssues = savedRule === rule ? inputIssues(save.error) : [];
  const previewIssues = !stale && preview.error && !preview.isFetching ? inputIssues(preview.error) : [];
  const issues = saveIssues.length > 0 ? saveIssues : previewIssues;
  const otherSaveError =
    save.error && !nameError && !saveFields.description && !saveFields.schedule && saveIssues.length === 0
      ? errorMessage(save.error)
      : undefined;
  const ruleError = saveIssues.length > 0 ? errorMessage(save.error) : undefined;

  return (
    <form onSubmit={submit} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="min-w-0 space-y-6">
        <Card className="space-y-4 p-4 sm:p-6" aria-labelledby="segment-details-heading">
          <h2 id="segment-details-heading" className="text-lg font-semibold text-slate-900">
            Details
          </h2>
          <Field id="segment-name" label="Name" error={nameError}>
            <input
              {...controlProps("segment-name", { error: nameError })}
              {...form.register("name")}
              maxLength={120}
              required
              readOnly={readOnly}
              autoComplete="off"
            />
          </Field>
          <Field
            id="segment-description"
            label="Description"
            hint="Who these customers are and what the segment is for"
            error={saveFields.description}
          >
            <textarea
              {...controlProps("segment-description", {
                error: saveFields.description,
                hasHint: true,
              })}
              rows={2}
              {...form.register("description")}
              maxLength={2000}
              readOnly={readOnly}
            />
          </Field>
          <div className="max-w-xs">
            <Field
              id="segment-schedule"
              label="Refresh schedule"
              hint={`${scheduleOptions.find((o) => o.value === schedule)?.hint ?? ""}; a customer's membership also follows their new events.`}
              error={saveFields.schedule}
            >
              <select
                {...controlProps("segment-schedule", { error: saveFields.schedule, hasHint: true })}
                {...form.register("schedule", { disabled: readOnly })}
              >
                <Options items={scheduleOptions} value={(o) => o.value} label={(o) => o.label} />
              </select>
            </Field>
          </div>
        </Card>

        <Card className="space-y-3 p-4 sm:p-6" aria-labelledby="segment-rule-heading">
          <div>
            <h2 id="segment-rule-heading" className="text-lg font-semibold text-slate-900">
              Rule
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              Customers who match these conditions are members. Combine conditions with “all of” / “any of”
              groups, and negate a condition or group with “not”.
            </p>
          </div>
          {ruleError && <Alert>{ruleError}</Alert>}
          <RuleBuilder
            value={rule}
            onChange={setRule}
            readOnly={readOnly}
            segments={otherSegments}
            issues={issues}
          />
        </Card>
        {/* On a phone the panel is below the rule: keep the count in sight while editing. */}
        <div
          aria-hidden="true"
          className="sticky bottom-0 z-10 -mx-4 flex items-baseline justify-between gap-3 border-t border-slate-200 bg-white/95 px-4 py-2 text-sm shadow-[0_-2px_6px_rgba(0,0,0,0.06)] lg:hidden"
        >
          <span className={cx("text-slate-800", (stale || preview.isFetching) && "opacity-50")}>
            <span className="font-semibold tabular-nums">
              {preview.error && !stale && !preview.isFetching
                ? "—"
                : preview.data
                  ? `${preview.data.estimate ? "≈ " : ""}${formatCount(preview.data.count)}`
                  : "…"}
            </span>{" "}
            matching {preview.data?.count === 1 ? "customer" : "customers"}
          </span>
          <span className="text-xs text-slate-500">
            {stale || preview.isFetching ? "Counting…" : preview.error ? "The rule has an error" : ""}
          </span>
        </div>
      </div>

      <div className="space-y-4 lg:sticky lg:top-4 lg:self-start">
        <PreviewPanel preview={preview} stale={stale} />
        {readOnly ? null : (
          <Card className="space-y-3 p-4">
            {otherSaveError && <Alert>Could not save the segment: {otherSaveError}</Alert>}
            {(nameError || saveFields.description || saveFields.schedule) && (
              <Alert>Check the fields marked above.</Alert>
            )}
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? "Saving…" : segmentId ? "Save changes" : "Save segment"}
              </Button>
              {onBack ? (
                <Button variant="secondary" onClick={onBack}>
                  Choose another template
                </Button>
              ) : (
                <ButtonLink
                  variant="secondary"
                  href={segmentId ? `/w/${slug}/segments/${segmentId}` : `/w/${slug}/segments`}
                >
                  Cancel
                </ButtonLink>
              )}
            </div>
            <p className="text-xs text-slate-500">
              Saving computes the members in the background; the segment&apos;s page shows the progress.
            </p>
          </Card>
        )}
      </div>
    </form>
  );
}

type Preview = Awaited<ReturnType<typeof previewRule>>;

type PreviewQuery = {
  data: Preview | undefined;
  error: unknown;
  isFetching: boolean;
  isPlaceholderData: boolean;
  /** The exact count after an estimate: not needed, on its way, there, or failed (the estimate stands). */
  exact: "none" | "counting" | "done" | "failed";
  exactError: unknown;
};

/** The live count: matching customers, their share of the workspace, a sample, and how long it took. */
function PreviewPanel({ preview, stale }: { preview: PreviewQuery; stale: boolean }) {
  const { slug } = useWorkspace();
  const busy = stale || preview.isFetching;
  const data = preview.data;
  // A failed count for the current rule replaces the number; older numbers stay, dimmed, while counting.
  const failed = preview.error && !busy;
  return (
    <Card className="p-4" aria-labelledby="preview-heading" aria-busy={busy}>
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="preview-heading" className="font-semibold text-slate-900">
          Matching customers now
        </h2>
        <span className="text-xs text-slate-500" aria-hidden={!busy}>
          {busy ? "Counting…" : ""}
        </span>
      </div>
      {failed ? (
        <div className="mt-3">
          <Alert>
            {inputIssues(preview.error)[0]
              ? `The rule cannot be counted: ${inputIssues(preview.error)[0]!.message}. The field is marked in the rule.`
              : errorMessage(preview.error)}
          </Alert>
        </div>
      ) : data ? (
        <div className={cx("mt-2 transition-opacity", busy && "opacity-50")}>
          <p aria-live="polite" aria-atomic="true">
            <span className="text-3xl font-semibold text-slate-900 tabular-nums" data-testid="preview-count">
              {data.estimate ? "≈ " : ""}
              {formatCount(data.count)}
            </span>{" "}
            <span className="text-sm text-slate-600">
              {data.count === 1 ? "customer" : "customers"}
              {data.total > 0 && (
                <>
                  , {formatShare(data.percent)} of {formatCount(data.total)}
                </>
              )}
            </span>
          </p>
          {data.total > 0 && (
            <div aria-hidden="true" className="mt-2 h-2 w-full overflow-hidden rounded-full bg-slate-200">
              <div
                className="bg-brand-600 h-full rounded-full"
                style={{ width: `${Math.min(100, data.percent)}%` }}
              />
            </div>
          )}
          {data.estimate ? (
            <p className="mt-1 text-xs text-slate-500">
              ± {formatCount(data.estimate.margin)}, estimated in {formatCount(data.ms)} ms from{" "}
              {formatCount(data.estimate.sampled)} customers sampled.{" "}
              {preview.exact === "counting"
                ? "Counting exactly…"
                : preview.exact === "failed"
                  ? `The exact count did not finish (${errorMessage(preview.exactError)}); saving computes the members.`
                  : ""}
            </p>
          ) : (
            <p className="mt-1 text-xs text-slate-500">Counted in {formatCount(data.ms)} ms.</p>
          )}
          {data.sample.length > 0 && (
            <div className="mt-4">
              <h3 className="text-sm font-medium text-slate-800">A sample</h3>
              <ul className="mt-1 divide-y divide-slate-100 text-sm">
                {data.sample.map((customer) => (
                  <li key={customer.id} className="py-1.5">
                    <Link
                      href={`/w/${slug}/customers/${customer.id}`}
                      className="text-brand-700 block truncate font-medium hover:underline"
                    >
                      {customer.name || customer.email || "Unnamed profile"}
                    </Link>
                    {customer.name && customer.email && (
                      <span className="block truncate text-xs text-slate-500">{customer.email}</span>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {data.valueFitMissing ? (
            <p className="mt-3 text-sm text-slate-600" data-testid="preview-no-fit">
              Value and RFM conditions match no one yet: this workspace has no value fit.{" "}
              <Link href={`/w/${slug}/value`} className="text-brand-700 font-medium hover:underline">
                Run one on Customer value
              </Link>
              .
            </p>
          ) : (
            data.count === 0 && (
              <p className="mt-3 text-sm text-slate-600">
                No customer matches. Loosen a threshold or widen a window.
              </p>
            )
          )}
        </div>
      ) : (
        <p className="mt-2 text-sm text-slate-500" role="status">
          Counting…
        </p>
      )}
    </Card>
  );
}

const shareFormat = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });
function formatShare(percent: number) {
  return `${percent > 0 && percent < 0.1 ? "<0.1" : shareFormat.format(percent)}%`;
}

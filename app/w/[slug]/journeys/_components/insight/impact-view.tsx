"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert, cx, DataTable, EmptyState, LoadingRows, SectionCard } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import type { JourneyDesign } from "~/server/journeys/design";
import { IMPACT_WINDOWS, type ImpactWindow } from "~/server/journeys/impact/windows";
import { formatCount } from "../../../_components/channels";
import { nodeLabel, variantLabel } from "../run/node-label";
import {
  formatDifference,
  formatInterval,
  formatLevel,
  formatTotal,
  metricLabels,
  metricSentence,
  totalSentence,
  type Impact,
  type ImpactMetric,
} from "../../../_components/impact-figures";

// The Impact tab: the customers sent the journey against its control group (and
// each A/B variant against it) over 7, 30 or 90 days from entry. It leads with
// the plain answer — what the journey did to spending and predicted value, or
// that it is too soon to tell — then the table with every interval and the method.

export function JourneyImpactView({
  workspaceId,
  journeyId,
  design,
  windowDays,
  onWindowDays,
}: {
  workspaceId: string;
  journeyId: string;
  design: JourneyDesign;
  windowDays: ImpactWindow;
  onWindowDays: (days: ImpactWindow) => void;
}) {
  const trpc = useTRPC();
  const impact = useQuery({
    ...trpc.journey.impact.queryOptions({ workspaceId, id: journeyId, windowDays }),
    retry: false,
  });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <span id="impact-window-label" className="text-sm font-medium text-slate-700">
          Measured over
        </span>
        <div role="radiogroup" aria-labelledby="impact-window-label" className="flex gap-1">
          {IMPACT_WINDOWS.map((days) => (
            <button
              key={days}
              type="button"
              role="radio"
              aria-checked={windowDays === days}
              onClick={() => onWindowDays(days)}
              className={cx(
                "focus-visible:outline-brand-600 rounded-md border px-3 py-1.5 text-sm font-medium focus-visible:outline-2",
                windowDays === days
                  ? "border-brand-600 bg-brand-50 text-brand-700"
                  : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
              )}
            >
              {days} days
            </button>
          ))}
        </div>
        <span className="text-sm text-slate-600">from each customer&apos;s entry</span>
      </div>
      {impact.isPending ? (
        <LoadingRows rows={5} label="Measuring the journey's impact" />
      ) : !impact.data ? (
        <Alert>Could not measure the impact: {errorMessage(impact.error)}</Alert>
      ) : (
        <ImpactFigures impact={impact.data} design={design} />
      )}
    </div>
  );
}

function ImpactFigures({ impact, design }: { impact: Impact; design: JourneyDesign }) {
  if (!impact.run) {
    return (
      <EmptyState title="This journey has not run yet">
        Go live from the Run tab with a control group (10 % by default): once their {impact.windowDays} days
        have passed, this tab compares the customers sent the journey with those held out.
      </EmptyState>
    );
  }
  const { counted, windowDays } = impact;
  const overall = impact.comparisons.find((c) => c.branchNodeId === null);
  const variants = impact.comparisons.filter((c) => c.branchNodeId !== null && c.againstVariant === null);
  const abTests = impact.comparisons.filter((c) => c.againstVariant !== null);
  const metric = (key: ImpactMetric["key"]) => overall?.metrics.find((m) => m.key === key);
  const revenue = metric("revenue");
  const clv = metric("clvChange");
  const conversion = metric("conversion");
  const clvTotal = clv ? totalSentence(clv) : null;
  const revenueTotal = revenue ? totalSentence(revenue) : null;
  const noHoldout = counted.holdout === 0;

  return (
    <>
      <SectionCard
        id="journey-impact"
        title={`What the journey did, ${windowDays} days after entry`}
        description={
          <>
            {formatCount(counted.treatment)} customers sent the journey against {formatCount(counted.holdout)}{" "}
            held out ({impact.run.holdoutPercent} % of entrants in the current run). Only customers whose{" "}
            {windowDays} days since entering have passed count
            {impact.waiting > 0 ? `; ${formatCount(impact.waiting)} more are still inside their window` : ""}.
          </>
        }
      >
        {noHoldout ? (
          <p className="text-sm text-slate-700">
            {impact.run.holdoutPercent === 0
              ? "This run holds nobody out, so there is nothing to compare with. Stop it and go live again with a control group to measure it."
              : `Nobody held out has been in the journey for ${windowDays} days yet. Come back when their window has passed, or pick a shorter one.`}
          </p>
        ) : (
          <div className="space-y-2 text-base text-slate-900">
            {revenue && <p className="font-medium">{metricSentence(revenue)}</p>}
            {revenueTotal && <p>{revenueTotal}</p>}
            {clvTotal && <p>{clvTotal}</p>}
            {clv && !clvTotal && clv.treatment.n > 0 && <p>{metricSentence(clv)}</p>}
            {clv && clv.treatment.n === 0 && (
              <p className="text-sm text-slate-600">
                No value fit has run since these customers entered, so the change in predicted value cannot be
                measured yet.
              </p>
            )}
            {conversion && <p>{metricSentence(conversion)}</p>}
          </div>
        )}
        {overall && !noHoldout && (
          <MetricTable caption="Sent the journey against the holdout" metrics={overall.metrics} />
        )}
        <MethodNote goal={impact.goal} windowDays={windowDays} />
      </SectionCard>
      {!noHoldout &&
        variants.map((v) => (
          <SectionCard
            key={`${v.branchNodeId} ${v.variant}`}
            id={`journey-impact-${v.branchNodeId}-${v.variant}`}
            title={`${variantTitle(design, v.branchNodeId!, v.variant!)} against its held-out twins`}
            description="Only customers who reach a split draw a variant, so each variant is compared with the held-out customers who reached the same split and drew the same variant: they took the same way through the journey and were sent nothing."
          >
            {v.metrics.find((m) => m.key === "revenue") && (
              <p className="text-sm text-slate-900">
                {metricSentence(
                  v.metrics.find((m) => m.key === "revenue")!,
                  "Customers in this variant",
                )}
              </p>
            )}
            <MetricTable
              caption="This variant against the held-out customers who drew it"
              metrics={v.metrics}
            />
          </SectionCard>
        ))}
      {abTests.map((v) => {
        const label = (variant: string) => variantLabel(design, v.branchNodeId!, variant);
        const revenue = v.metrics.find((m) => m.key === "revenue");
        return (
          <SectionCard
            key={`${v.branchNodeId} ${v.variant} ${v.againstVariant}`}
            id={`journey-ab-${v.branchNodeId}-${v.variant}`}
            title={`${variantTitle(design, v.branchNodeId!, v.variant!)} against ${label(v.againstVariant!)}`}
            description="The A/B test itself: both variants were sent the journey and the split drew them at random, so the difference is the variant's doing."
          >
            {revenue && (
              <p className="text-sm text-slate-900">
                {metricSentence(revenue, `Customers in ${label(v.variant!)}`)}
              </p>
            )}
            <MetricTable
              caption={`Variant ${label(v.variant!)} against variant ${label(v.againstVariant!)}`}
              metrics={v.metrics}
              sides={[label(v.variant!), label(v.againstVariant!)]}
            />
          </SectionCard>
        );
      })}
    </>
  );
}

/** The table from 640 px; below, the same figures as a list per measure, which needs no sideways scroll. */
/** The names of the two sides compared: the group measured, then what it is measured against. */
type Sides = readonly [string, string];
const AGAINST_HOLDOUT: Sides = ["Sent the journey", "Held out"];

function MetricTable({
  caption,
  metrics,
  sides = AGAINST_HOLDOUT,
}: {
  caption: string;
  metrics: ImpactMetric[];
  sides?: Sides;
}) {
  return (
    <>
      <div className="hidden sm:block">
        <MetricGrid caption={caption} metrics={metrics} sides={sides} />
      </div>
      <ul className="divide-y divide-slate-100 sm:hidden" aria-label={caption}>
        {metrics.map((m) => (
          <li key={m.key} className="space-y-1 py-3 text-sm">
            <p className="font-medium text-slate-900">{metricLabels[m.key]}</p>
            <p className="text-slate-700">
              {sides[0]} {m.treatment.n > 0 ? formatLevel(m.key, m.treatment.value) : "—"} ·{" "}
              {sides[1].toLowerCase()} {m.holdout.n > 0 ? formatLevel(m.key, m.holdout.value) : "—"}
            </p>
            <p className="text-slate-700">
              {m.interval ? (
                <>
                  Difference{" "}
                  <span className={cx("font-medium", significanceClass(m))}>
                    {formatDifference(m.key, m.interval.difference)}
                  </span>{" "}
                  (95 % interval {formatInterval(m.key, m.interval.low, m.interval.high)})
                </>
              ) : (
                "Too few customers to tell"
              )}
            </p>
            {m.incremental && m.significant && (
              <p className="text-slate-700">
                In all {formatTotal(m.key, m.incremental.total)} (
                {formatInterval(m.key, m.incremental.low, m.incremental.high, formatTotal)})
              </p>
            )}
            {(m.key === "clvChange" || m.key === "pAliveChange") && (
              <p className="text-xs text-slate-500">
                {formatCount(m.treatment.n + m.holdout.n)} customers re-valued since entry
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function MetricGrid({ caption, metrics, sides }: { caption: string; metrics: ImpactMetric[]; sides: Sides }) {
  return (
    <DataTable
      caption={caption}
      columns={[
        { label: "Measure" },
        { label: sides[0], align: "right" },
        { label: sides[1], align: "right" },
        { label: "Difference (95 % interval)", align: "right" },
        { label: "In all", align: "right" },
      ]}
    >
      <tbody>
        {metrics.map((m) => (
          <tr key={m.key} className="border-b border-slate-100 align-top">
            <th scope="row" className="py-2 pr-4 pl-4 text-left font-normal sm:pl-0">
              {metricLabels[m.key]}
              {m.key === "clvChange" || m.key === "pAliveChange" ? (
                <span className="block text-xs text-slate-500">
                  {formatCount(m.treatment.n + m.holdout.n)} customers re-valued since entry
                </span>
              ) : null}
            </th>
            <td className="py-2 pr-4 text-right tabular-nums">
              {m.treatment.n > 0 ? formatLevel(m.key, m.treatment.value) : "—"}
            </td>
            <td className="py-2 pr-4 text-right tabular-nums">
              {m.holdout.n > 0 ? formatLevel(m.key, m.holdout.value) : "—"}
            </td>
            <td className="py-2 pr-4 text-right tabular-nums">
              {m.interval ? (
                <>
                  <span className={cx("font-medium", significanceClass(m))}>
                    {formatDifference(m.key, m.interval.difference)}
                  </span>
                  <span className="block text-xs text-slate-600">
                    {formatInterval(m.key, m.interval.low, m.interval.high)}
                  </span>
                </>
              ) : (
                "too few to tell"
              )}
            </td>
            <td className="py-2 text-right tabular-nums sm:pr-0">
              {!m.interval ? (
                "—"
              ) : m.incremental && m.significant ? (
                <>
                  {formatTotal(m.key, m.incremental.total)}
                  <span className="block text-xs text-slate-600">
                    {formatInterval(m.key, m.incremental.low, m.incremental.high, formatTotal)}
                  </span>
                </>
              ) : (
                <span className="text-slate-500">not significant</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

function significanceClass(m: ImpactMetric) {
  return m.significant === "higher" ? "text-emerald-700" : m.significant === "lower" ? "text-red-700" : "";
}

function MethodNote({ goal, windowDays }: { goal: Impact["goal"]; windowDays: number }) {
  return (
    <details className="text-sm text-slate-600">
      <summary className="cursor-pointer font-medium text-slate-700">How this is measured</summary>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>
          Held-out customers are chosen at entry by a fixed hash of the journey and the customer, go through
          every step like the others, and are sent nothing.
        </li>
        <li>
          Purchases and revenue: purchase events (tracked events with an amount) in the {windowDays} days
          after entry.{" "}
          {goal
            ? `Reached the goal: the journey's final goal, the event “${goal.event}”, in that window.`
            : "The journey's last stage has no goal, so there is no conversion figure."}
        </li>
        <li>
          Change in predicted lifetime value and P(alive): the customer&apos;s figures now against those
          recorded when they entered, for customers valued then whom a later value fit has re-valued.
        </li>
        <li>
          95 % intervals: Welch&apos;s t for the means (Welch–Satterthwaite degrees of freedom),
          Newcombe&apos;s hybrid score method (from Wilson intervals) for the difference in goal conversion.
          &ldquo;In all&rdquo; is the difference times the customers sent the journey.
        </li>
        <li>
          Entrants needed: a two-sided test at α = 0.05 with 80 % power, for a 5 % lift over the
          holdout&apos;s level (its value at entry, for the changes in value), with the current split between
          the sides.
        </li>
      </ul>
    </details>
  );
}

/** "Which offer?: variant B", from the split's own label. */
function variantTitle(design: JourneyDesign, branchNodeId: string, variant: string) {
  const node = design.flow.nodes.find((n) => n.id === branchNodeId);
  const split = node?.kind === "branch" ? node.label : nodeLabel(design, branchNodeId);
  return `${split}: variant ${variantLabel(design, branchNodeId, variant)}`;
}

import Link from "next/link";
import type { ReactNode } from "react";
import { SectionCard } from "~/app/_components/ui";
import type { CustomerValue, ValueFitSummary } from "~/server/valuation/types";
import {
  formatDay,
  formatDecimal1,
  formatMoney,
  formatPercent,
  formatTimestamp,
} from "../../../_components/format";
import { RfmBadge, rfmGroupInfo } from "../../../_components/rfm-groups";

// The customer's value from the latest live model fit: P(alive), expected purchases,
// lifetime value and RFM group, each with a line on what it means and what it rests on
// (the model, the fit's date and calibration end, the purchases used, or why not scored).

export type ValueCardState =
  | { kind: "value"; value: CustomerValue }
  | { kind: "no-purchases" }
  | { kind: "no-fit" }
  | { kind: "after-calibration"; fit: ValueFitSummary }
  | { kind: "error"; message: string };

export function CustomerValueCard({ state, slug }: { state: ValueCardState; slug: string }) {
  const modelLink = (
    <Link href={`/w/${slug}/value`} className="text-brand-700 text-sm whitespace-nowrap hover:underline">
      About the model
    </Link>
  );
  if (state.kind !== "value") {
    return (
      <SectionCard id="customer-value" title="Value" aside={modelLink}>
        <p className="text-sm text-slate-600">
          {state.kind === "no-purchases" && (
            <>
              No purchases yet. Probability alive, expected purchases, lifetime value and RFM group come from
              a customer&apos;s purchases: track events with an amount.
            </>
          )}
          {state.kind === "no-fit" && (
            <>
              No model fit yet, so there are no predictions. An editor or admin runs one on the{" "}
              <Link href={`/w/${slug}/value`} className="text-brand-700 underline">
                Customer value
              </Link>{" "}
              page.
            </>
          )}
          {state.kind === "after-calibration" && (
            <>
              This customer first bought after the latest fit&apos;s purchases end (
              {formatDay(state.fit.settings.calibrationEnd)}), so the fit did not score them. The next fit,
              run on the{" "}
              <Link href={`/w/${slug}/value`} className="text-brand-700 underline">
                Customer value
              </Link>{" "}
              page or on its schedule, will.
            </>
          )}
          {state.kind === "error" && <>Could not load the value: {state.message}</>}
        </p>
      </SectionCard>
    );
  }

  const { value } = state;
  const purchaseDays = value.x + 1;
  const daysSinceLast = Math.max(0, Math.round((value.T - value.tx) * 7));
  const ageDays = Math.round(value.T * 7);
  const sinceLast =
    daysSinceLast === 0
      ? "on the calibration end day"
      : daysSinceLast < 14
        ? `${daysSinceLast} ${daysSinceLast === 1 ? "day" : "days"} before the calibration end`
        : `${Math.round(daysSinceLast / 7)} weeks before the calibration end`;
  const model = value.purchaseModel ?? "the purchase model";
  const basis = (
    <>
      {purchaseDays} purchase {purchaseDays === 1 ? "day" : "days"} to {formatDay(value.calibrationEnd)}, the last{" "}
      {sinceLast}
    </>
  );
  const tooNew = (
    <>
      Too new to score: first seen {ageDays} {ageDays === 1 ? "day" : "days"} before the calibration end, and a
      customer needs {value.minimumAgeDays} days of history before the models can tell a one-off buyer from a
      regular one.
    </>
  );
  const info = rfmGroupInfo[value.rfm.group];
  const items: { label: string; value: ReactNode; note: ReactNode }[] = [
    {
      label: "Probability alive",
      value: value.tooNew ? "—" : formatPercent(value.pAlive),
      note: value.tooNew ? (
        tooNew
      ) : value.x > 0 ? (
        <>
          Chance they are still a customer. {model}, from {basis}.
        </>
      ) : (
        <>
          Chance they are still a customer after a single purchase {sinceLast}. {model},{" "}
          {value.purchaseModel === "Pareto/NBD"
            ? "which lets a customer drop out at any time, before any repeat purchase too."
            : "which lets a customer drop out right after their first purchase."}
        </>
      ),
    },
    {
      label: "Expected purchases, 90 days",
      value: value.tooNew ? "—" : formatDecimal1(value.expectedPurchases90d),
      note: value.tooNew ? (
        <>Too new to score.</>
      ) : (
        <>
          Repeat purchases expected in the 90 days after {formatDay(value.calibrationEnd)}. {model}, from{" "}
          {purchaseDays} purchase {purchaseDays === 1 ? "day" : "days"}.
        </>
      ),
    },
    {
      label: "Predicted lifetime value",
      value: value.clv === null ? "—" : formatMoney(value.clv),
      note: value.tooNew ? (
        <>Too new to score.</>
      ) : value.clv === null ? (
        <>Not available: the spend model needs at least 20 repeat customers with amounts.</>
      ) : (
        <>
          What they are expected to spend in the next {value.horizonWeeks} weeks, in today&apos;s money
          {value.expectedSpend !== null && <> (about {formatMoney(value.expectedSpend)} a purchase)</>}. Spend
          from the Gamma-Gamma model,{" "}
          {value.x > 0 ? (
            <>
              weighing their {value.x} repeat {value.x === 1 ? "purchase" : "purchases"}
              {value.averageSpend !== null && <> (average {formatMoney(value.averageSpend)})</>} against all
              customers&apos;
            </>
          ) : (
            <>their one purchase pulled toward all customers&apos; average</>
          )}
          .
        </>
      ),
    },
    {
      label: "RFM group",
      value: (
        <span className="flex flex-wrap items-center gap-2">
          <RfmBadge group={value.rfm.group} className="text-sm" />
          <span className="text-sm font-normal text-slate-600">
            <abbr title="Recency" className="no-underline">
              R
            </abbr>{" "}
            {value.rfm.recency} ·{" "}
            <abbr title="Frequency" className="no-underline">
              F
            </abbr>{" "}
            {value.rfm.frequency} ·{" "}
            <abbr title="Monetary" className="no-underline">
              M
            </abbr>{" "}
            {value.rfm.monetary}
            <span className="sr-only"> (scores out of 5)</span>
          </span>
        </span>
      ),
      note: (
        <>
          {info.description} Scores run from 1 (lowest fifth of customers) to 5 (highest), on their purchases to{" "}
          {formatDay(value.calibrationEnd)}.
        </>
      ),
    },
  ];

  return (
    <SectionCard
      id="customer-value"
      title="Value"
      description={`From the model fit of ${formatTimestamp(value.fittedAt)}, on purchases to ${formatDay(value.calibrationEnd)}.`}
      aside={modelLink}
    >
      <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 xl:grid-cols-4">
        {items.map((item) => (
          <div key={item.label}>
            <dt className="text-xs tracking-wide text-slate-500 uppercase">{item.label}</dt>
            <dd className="mt-0.5">
              <span className="block text-xl font-semibold text-slate-900 tabular-nums">{item.value}</span>
              <span className="mt-0.5 block text-sm text-slate-600">{item.note}</span>
            </dd>
          </div>
        ))}
      </dl>
    </SectionCard>
  );
}

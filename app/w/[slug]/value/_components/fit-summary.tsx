import type { ReactNode } from "react";
import { SectionCard } from "~/app/_components/ui";
import type { ValueFitSummary } from "~/server/valuation/types";
import {
  formatCount,
  formatDay,
  formatDecimal1,
  formatDecimal2,
  formatMoney,
  formatParameter,
  formatPercent,
  formatPercent1,
  formatTimestamp,
} from "../../_components/format";

import { formatFitTime } from "./model-comparison";

/** A fit: when, on what data, and the two models' parameters with what they mean. */
export function FitSummary({ fit }: { fit: ValueFitSummary }) {
  const { settings } = fit;
  const check = fit.purpose === "holdout";
  const facts: [string, ReactNode][] = [
    ["Fitted", fit.finishedAt ? formatTimestamp(fit.finishedAt) : "—"],
    ["Calibration end", formatDay(settings.calibrationEnd)],
    [
      "Purchases from",
      fit.dataStart && fit.dataEnd ? (
        <>
          {formatDay(fit.dataStart)} <span className="font-normal text-slate-500">to</span>{" "}
          {formatDay(fit.dataEnd)}
        </>
      ) : (
        "—"
      ),
    ],
    ["Customers", formatCount(fit.customers)],
    [
      "Repeat customers",
      <>
        {formatCount(fit.repeatCustomers)}
        {fit.customers > 0 && (
          <span className="font-normal text-slate-500">
            {" "}
            ({formatPercent(fit.repeatCustomers / fit.customers)})
          </span>
        )}
      </>,
    ],
    [
      "Lifetime value over",
      <>
        {formatCount(settings.horizonWeeks)} weeks
        <span className="block text-xs font-normal text-slate-500">
          discounted at {formatPercent1(settings.discountRate)} a year
        </span>
      </>,
    ],
  ];
  return (
    <SectionCard
      id={check ? "check" : "fit"}
      title={check ? "Latest holdout check" : "Current fit"}
      description={
        check
          ? "A validation: the models fitted on the purchases up to the calibration end and checked against the later ones. It did not change any customer's scores."
          : "The fit behind every customer's scores, on all purchases to the latest. Customers are those with a purchase on or before the calibration end; repeat customers bought on more than one day."
      }
    >
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs tracking-wide text-slate-500 uppercase">{label}</dt>
            <dd className="mt-0.5 font-semibold text-slate-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-4 pt-2 md:grid-cols-2">
        <PurchaseModel fit={fit} />
        <SpendModel fit={fit} />
      </div>
    </SectionCard>
  );
}

function Parameters({ items }: { items: [ReactNode, number][] }) {
  return (
    <dl className="flex flex-wrap gap-x-6 gap-y-1">
      {items.map(([symbol, value], i) => (
        <div key={i} className="flex items-baseline gap-1.5">
          <dt className="font-serif text-lg text-slate-600 italic">{symbol}</dt>
          <dd className="text-lg font-semibold text-slate-900 tabular-nums">{formatParameter(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Fitness({ logLikelihood, converged }: { logLikelihood: number; converged: boolean }) {
  return (
    <p className="text-xs text-slate-500">
      Log-likelihood {formatDecimal2(logLikelihood)} ·{" "}
      {converged ? (
        "converged"
      ) : (
        <span className="font-medium text-amber-800">did not converge: treat the estimates with care</span>
      )}
    </p>
  );
}

const symbols: Record<string, string> = { r: "r", alpha: "α", a: "a", b: "b", s: "s", beta: "β" };

function PurchaseModel({ fit }: { fit: ValueFitSummary }) {
  const model = fit.purchaseModel;
  const param = (name: string) => model?.params.find((p) => p.name === name)?.value ?? NaN;
  const r = param("r");
  const alpha = param("alpha");
  return (
    <section aria-labelledby="purchase-model-heading" className="space-y-2 rounded-md border border-slate-200 p-4">
      <h3 id="purchase-model-heading" className="font-medium text-slate-900">
        Purchases <span className="font-normal text-slate-500">({model ? model.name : "no"} model)</span>
      </h3>
      {model ? (
        <>
          <Parameters items={model.params.map((p) => [symbols[p.name] ?? p.name, p.value])} />
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
            <li>
              <i>r</i>, <i>α</i>: how often customers buy while they are active. On average{" "}
              {formatDecimal2(r / alpha)} purchases a week
              {r > 0 && <> (one every {formatDecimal1(alpha / r)} weeks)</>}, varying a lot from customer to
              customer when <i>r</i> is small.
            </li>
            {model.model === "pnbd" ? (
              <li>
                <i>s</i>, <i>β</i>: how long customers stay. They drop out at any time, on average at a rate of{" "}
                {formatPercent1(param("s") / param("beta"))} a week.
              </li>
            ) : (
              <li>
                <i>a</i>, <i>b</i>: how likely a customer is to drop out after a purchase
                {model.model === "mbgnbd" && <> (the first one included)</>}: on average{" "}
                {formatPercent(param("a") / (param("a") + param("b")))}.
              </li>
            )}
          </ul>
          <Fitness logLikelihood={model.logLikelihood} converged={model.converged} />
          <p className="text-xs text-slate-500">Fitted in {formatFitTime(model.fitMs)}.</p>
        </>
      ) : (
        <p className="text-sm text-slate-600">Not fitted.</p>
      )}
    </section>
  );
}

function SpendModel({ fit }: { fit: ValueFitSummary }) {
  const model = fit.gammaGamma;
  return (
    <section aria-labelledby="gg-heading" className="space-y-2 rounded-md border border-slate-200 p-4">
      <h3 id="gg-heading" className="font-medium text-slate-900">
        Spend per purchase <span className="font-normal text-slate-500">(Gamma-Gamma model)</span>
      </h3>
      {model ? (
        <>
          <Parameters
            items={[
              ["p", model.p],
              ["q", model.q],
              ["γ", model.gamma],
            ]}
          />
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
            <li>
              <i>p</i>, <i>q</i>, <i>γ</i>: how much customers spend per purchase.{" "}
              {model.q > 1 ? (
                <>On average {formatMoney((model.p * model.gamma) / (model.q - 1))} per purchase</>
              ) : (
                <>The average spend is not defined (q ≤ 1)</>
              )}
              ; a customer&apos;s own average counts for more the more often they bought.
            </li>
          </ul>
          <Fitness logLikelihood={model.logLikelihood} converged={model.converged} />
        </>
      ) : (
        <p className="text-sm text-slate-600">
          Not fitted: it needs at least 10 repeat customers with amounts. Without it there is no lifetime
          value, only the chance of being active and the expected purchases.
        </p>
      )}
    </section>
  );
}

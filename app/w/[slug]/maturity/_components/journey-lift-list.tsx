"use client";

import Link from "next/link";
import type { Scorecard } from "~/server/maturity/scorecard";
import { formatCount } from "../../_components/format";
import { metricSentence, totalSentence } from "../../_components/impact-figures";
import { useWorkspace } from "../../_components/workspace-context";

type Lift = Scorecard["journeyLift"][number];

/** What a journey proved, in the Impact tab's words: each measure whose interval is above zero. */
function liftSentences(lift: Lift): string[] {
  const proven = [lift.clvChange, lift.revenue, lift.conversion].filter(
    (m): m is NonNullable<typeof m> => m?.significant === "higher",
  );
  if (proven.length === 0) {
    return [
      lift.customers === 0
        ? "No customer's first month since entry has passed yet."
        : `No proven lift yet over ${formatCount(lift.customers)} customers measured.`,
    ];
  }
  return proven.flatMap((metric) => [metricSentence(metric, "Its customers"), totalSentence(metric) ?? ""]);
}

/**
 * The journeys' proven lift beside the value trend: each journey that ran with
 * a holdout, what its customers gained over the holdout in their first month,
 * and a link to its Impact tab.
 */
export function JourneyLiftList({ lifts }: { lifts: Lift[] }) {
  const { slug } = useWorkspace();
  return (
    <section aria-labelledby="journey-lift-heading" className="space-y-2 border-t border-slate-200 pt-3">
      <h3 id="journey-lift-heading" className="text-sm font-semibold text-slate-900">
        Journeys&apos; proven lift
      </h3>
      {lifts.length === 0 ? (
        <p className="text-sm text-slate-600">
          No journey has run with a holdout yet. Going live keeps 10 % of entrants out, so the lift can be
          measured here after a month.
        </p>
      ) : (
        <>
          <p className="text-xs text-slate-500">
            Each journey&apos;s customers against its holdout, over their first 30 days since entry, with 95 %
            intervals.
          </p>
          <ul className="space-y-2 text-sm">
            {lifts.map((lift) => (
              <li key={lift.journeyId}>
                <Link
                  href={`/w/${slug}/journeys/${lift.journeyId}?impact=30`}
                  className="text-brand-700 font-medium underline print:no-underline"
                >
                  {lift.name}
                </Link>
                {lift.provenLift || lift.provenValueLift ? (
                  <span className="ml-2 rounded-full bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800">
                    Proven
                  </span>
                ) : null}
                {liftSentences(lift)
                  .filter(Boolean)
                  .map((sentence) => (
                    <p key={sentence} className="text-slate-700">
                      {sentence}
                    </p>
                  ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

import Link from "next/link";
import type { inferRouterOutputs } from "@trpc/server";
import { Alert, SectionCard } from "~/app/_components/ui";
import type { AppRouter } from "~/server/root";
import { formatDate, relativeTime } from "../../../_components/dates";
import { ChannelBadge, formatCount } from "../../../_components/channels";

type Memberships = inferRouterOutputs<AppRouter>["customer"]["memberships"];

export type StandingState =
  { kind: "memberships"; memberships: Memberships } | { kind: "error"; message: string };

/**
 * Where the customer stands now: the segments they are in (since their latest
 * entry) and the stage they have reached in each of those segments' journeys.
 */
export function StandingCard({ state, slug }: { state: StandingState; slug: string }) {
  if (state.kind === "error") {
    return (
      <SectionCard id="standing" title="Segments and journeys">
        <Alert tone="error">Could not load the customer&apos;s segments and journeys: {state.message}</Alert>
      </SectionCard>
    );
  }
  const { segments, journeys, window, running } = state.memberships;
  return (
    <SectionCard id="standing" title="Segments and journeys">
      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="standing-segments">
          <h3 id="standing-segments" className="text-sm font-semibold text-slate-900">
            Segments <span className="font-normal text-slate-500">({formatCount(segments.length)})</span>
          </h3>
          {segments.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">Not in any segment now.</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100">
              {segments.map((segment) => (
                <li key={segment.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-1.5">
                  <Link
                    href={`/w/${slug}/segments/${segment.id}`}
                    className="text-brand-700 font-medium break-words hover:underline"
                  >
                    {segment.name}
                  </Link>
                  <span className="text-sm text-slate-600">
                    since{" "}
                    <time dateTime={segment.since.toISOString()} title={relativeTime(segment.since)}>
                      {formatDate(segment.since)}
                    </time>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="standing-journeys">
          <h3 id="standing-journeys" className="text-sm font-semibold text-slate-900">
            Journeys <span className="font-normal text-slate-500">({formatCount(journeys.length)})</span>
          </h3>
          {journeys.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">
              {segments.length === 0
                ? "In no journey: journeys follow segments."
                : "No journey for these segments."}
            </p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100">
              {journeys.map((journey) => (
                <li key={journey.id} className="py-1.5">
                  <Link
                    href={`/w/${slug}/journeys/${journey.id}`}
                    className="text-brand-700 font-medium break-words hover:underline"
                  >
                    {journey.name}
                  </Link>
                  <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600">
                    {journey.version === null ? (
                      "Not published yet: no stages to be in."
                    ) : journey.current ? (
                      <>
                        <span>
                          Stage {journey.current.position} of {journey.stageCount}:{" "}
                          <strong className="font-medium text-slate-900">{journey.current.name}</strong>
                        </span>
                        {journey.current.channel && <ChannelBadge channel={journey.current.channel} />}
                        <span className="text-slate-500">
                          ({journey.current.reachedStages} of {journey.measuredStages} measured stages
                          reached)
                        </span>
                      </>
                    ) : journey.measuredStages === 0 ? (
                      "No stage of this journey has a goal event to measure."
                    ) : (
                      "No stage reached yet."
                    )}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {journeys.some((journey) => journey.version !== null) && (
            <p className="mt-2 text-xs text-slate-500">
              Stages reached by their goal events from {formatDate(window.from)} to today, in the published
              version, as the journey&apos;s analytics count them.
            </p>
          )}
        </section>
      </div>
      {running.length > 0 && <RunningJourneys running={running} slug={slug} />}
    </SectionCard>
  );
}

/** The customer's ways through live journeys: the step they are at now, or how they left. */
function RunningJourneys({ running, slug }: { running: Memberships["running"]; slug: string }) {
  return (
    <section aria-labelledby="standing-running" className="border-t border-slate-100 pt-3">
      <h3 id="standing-running" className="text-sm font-semibold text-slate-900">
        In live journeys
      </h3>
      <ul className="mt-2 divide-y divide-slate-100">
        {running.map((way) => (
          <li key={`${way.journeyId} ${way.enteredAt.toISOString()}`} className="py-1.5 text-sm">
            <Link
              href={`/w/${slug}/journeys/${way.journeyId}`}
              className="text-brand-700 font-medium hover:underline"
            >
              {way.name}
            </Link>{" "}
            <span className="text-slate-500">version {way.version}</span>
            <p className="text-slate-600">
              {way.state === "active" ? (
                <>
                  {way.step}, since{" "}
                  <time dateTime={way.since.toISOString()} title={relativeTime(way.since)}>
                    {formatDate(way.since)}
                  </time>
                </>
              ) : (
                <>
                  {way.state === "completed" ? "Finished" : "Left"}: {way.endReason}
                  {way.endedAt && <> on {formatDate(way.endedAt)}</>}
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

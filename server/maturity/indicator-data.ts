import "server-only";
import { and, count, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { journeys, journeyVersions, maturityIndicatorSnapshots, segments, valueFits } from "~/db/schema";
import { channels, identityKinds } from "~/db/enums";
import { journeyAnalytics } from "~/server/journeys/analytics";
import { parseDesign, type JourneyDesign } from "~/server/journeys/design";
import { latestVersionJoin } from "~/server/journeys/store";
import { withWorkspaceScan } from "~/server/segments/matching";
import type { ValueDiagnostics } from "~/server/valuation/types";
import {
  disagreement,
  indicatorLevel,
  indicatorsFor,
  suggestedLevel,
  type IndicatorDefinition,
  type IndicatorSnapshot,
  type IndicatorValue,
  type SuggestedLevel,
} from "./indicators";
import { journeyLifts, LIFT_WINDOW_DAYS, type JourneyLift } from "./journey-lift";
import type { MaturityModel } from "./model";

// The indicators of indicators.ts computed from a workspace's own data.
//
// They are whole-workspace aggregates, so they read the per-customer summary
// columns rather than the events table: customers.channel_counts for the
// channel mix, customers.event_count for the events (every event belongs to a
// profile; an event is "resolved" when that profile has a user id, e-mail or
// phone, i.e. it is more than an anonymous visitor), identities for the kinds
// of identifier per profile, segment_members for segment membership,
// value_fits for the value model and journeys for the segments with a
// published one. Even so they scan every standing customer (seconds at a
// million customers: docs/benchmarks.md#maturity-indicators),
// so the readings are kept in maturity_indicator_snapshots and recomputed when
// older than INDICATOR_CACHE_MS.
//
// Journey goal conversion is the exception: it reads the events of the
// published journeys' segment members (server/journeys/analytics.ts), at most
// GOAL_JOURNEYS journeys, so its cost follows those segments' size, not the
// workspace's.

/** 'other' is not a channel a customer can be known on. */
const countedChannels = channels.filter((channel) => channel !== "other");

/** Each kind of identifier as a bit (user_id 1, anonymous_id 2, email 4, phone 8). */
const kindBit = sql.raw(
  `case kind ${identityKinds.map((kind, i) => `when '${kind}' then ${1 << i}`).join(" ")} end`,
);
/** The kinds that make a known customer rather than an anonymous visitor. */
const knownMask = identityKinds.reduce(
  (mask, kind, i) => (kind === "anonymous_id" ? mask : mask | (1 << i)),
  0,
);

export const INDICATOR_CACHE_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** Journey goal conversion reads the events of this many journeys' segments at most: the most recently published. */
export const GOAL_JOURNEYS = 10;
const GOAL_WINDOW_DAYS = 90;

/** Share in percent to one decimal; null without a denominator. */
function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

const num = (value: unknown) => Number(value ?? 0);

/** Computes every indicator from the data now (no cache). */
export async function computeIndicators(
  db: DbOrTx,
  { workspaceId, now = new Date() }: { workspaceId: string; now?: Date },
): Promise<IndicatorSnapshot> {
  const yearAgo = new Date(now.getTime() - 365 * DAY_MS);
  // One pass over the standing profiles: their channel mix, recency, segment membership,
  // event count, and (from identities, grouped once) the kinds of identifier they link.
  // The kinds are one bit each, or-ed per customer: one small aggregate per group, where
  // count(distinct kind) would need identities sorted by customer (an index scan in
  // customer order that reads the table at random).
  const result = await withWorkspaceScan(db, (tx) =>
    tx.execute(sql`
    with kinds as (
      select customer_id, bit_or(${kindBit}) as kinds
      from identities
      where workspace_id = ${workspaceId}
      group by customer_id
    ),
    members as (
      select distinct customer_id from segment_members where workspace_id = ${workspaceId}
    ),
    profiles as (
      select c.last_seen_at >= ${yearAgo.toISOString()}::timestamptz as active,
             ${sql.join(
               countedChannels.map(
                 (channel) => sql`(coalesce((c.channel_counts ->> ${channel})::numeric, 0) > 0)::int`,
               ),
               sql` + `,
             )} as channels,
             c.event_count,
             ${sql.join(
               identityKinds.map((_, i) => sql`((coalesce(k.kinds, 0) >> ${sql.raw(String(i))}) & 1)`),
               sql` + `,
             )} as kinds,
             (coalesce(k.kinds, 0) & ${sql.raw(String(knownMask))}) <> 0 as known,
             m.customer_id is not null as segmented
      from customers c
      left join kinds k on k.customer_id = c.id
      left join members m on m.customer_id = c.id
      where c.workspace_id = ${workspaceId} and c.merged_into is null
    )
    select count(*) as profiles,
           count(*) filter (where kinds >= 2) as matched,
           count(*) filter (where active) as active,
           count(*) filter (where active and channels >= 2) as multichannel,
           count(*) filter (where active and segmented) as segmented,
           coalesce(sum(event_count), 0) as events,
           coalesce(sum(event_count) filter (where known), 0) as resolved
    from profiles
  `),
  );
  const row = (result.rows[0] ?? {}) as Record<string, unknown>;
  const active = num(row.active);
  const profiles = num(row.profiles);
  const eventCount = num(row.events);

  const noActive = active === 0 ? "no customer with an event in the last 365 days" : null;
  const values: IndicatorValue[] = [
    { key: "multichannel-customers", value: percent(num(row.multichannel), active), note: noActive },
    {
      key: "identity-match-rate",
      value: percent(num(row.matched), profiles),
      note: profiles === 0 ? "no customer profiles yet" : null,
    },
    {
      key: "resolved-events",
      value: percent(num(row.resolved), eventCount),
      note: eventCount === 0 ? "no events yet" : null,
    },
    { key: "segmented-customers", value: percent(num(row.segmented), active), note: noActive },
    await segmentsWithJourney(db, workspaceId),
    await journeyGoalConversion(db, workspaceId, now),
    ...(await valueModelIndicators(db, workspaceId, now)),
    ...liftIndicators(await journeyLifts(db, workspaceId, now)),
  ];
  return { asOf: now.toISOString(), values };
}

async function segmentsWithJourney(db: DbOrTx, workspaceId: string): Promise<IndicatorValue> {
  const [row] = await db
    .select({
      segments: count(),
      withJourney: count(
        sql`case when exists (select 1 from ${journeys} j where j.workspace_id = ${segments.workspaceId}
          and j.segment_id = ${segments.id} and j.published_version is not null) then 1 end`,
      ),
    })
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId));
  const total = row?.segments ?? 0;
  return {
    key: "segments-with-journey",
    value: percent(row?.withJourney ?? 0, total),
    note: total === 0 ? "no segments yet" : `${row?.withJourney ?? 0} of ${total} segments`,
  };
}

/** The design's last stage with a goal, or null. */
function lastGoalStage(design: JourneyDesign) {
  return design.stages.findLast((stage) => stage.goal !== null) ?? null;
}

/**
 * Σ members who reached the last goal stage / Σ members, over the most
 * recently published journeys whose latest version has a goal (each journey's
 * segment members now, its goal events in the last 90 days; see
 * server/journeys/analytics.ts for "reached").
 */
async function journeyGoalConversion(db: DbOrTx, workspaceId: string, now: Date): Promise<IndicatorValue> {
  const key = "journey-goal-conversion";
  const published = await db
    .select({ segmentId: journeys.segmentId, design: journeyVersions.design })
    .from(journeys)
    .innerJoin(journeyVersions, latestVersionJoin)
    .where(eq(journeys.workspaceId, workspaceId))
    .orderBy(desc(journeyVersions.publishedAt), journeys.id);
  if (published.length === 0) return { key, value: null, note: "no journey is published yet" };
  // Parsed again: a version published before the design document gained a default gets it filled in.
  const withGoal = published.flatMap((journey) => {
    const design = parseDesign(journey.design);
    const stage = lastGoalStage(design);
    return stage ? [{ segmentId: journey.segmentId, design, stage }] : [];
  });
  if (withGoal.length === 0) {
    return { key, value: null, note: "no published journey has a stage with a goal" };
  }
  const counted = withGoal.slice(0, GOAL_JOURNEYS);
  const from = new Date(now.getTime() - GOAL_WINDOW_DAYS * DAY_MS);
  let members = 0;
  let reached = 0;
  for (const journey of counted) {
    // Reaching a stage does not depend on the other stages, so the analytics
    // get the goal stage alone, without touchpoints: no action events or
    // paths are worked out that this figure would throw away.
    const analytics = await journeyAnalytics(db, {
      workspaceId,
      segmentId: journey.segmentId,
      design: { ...journey.design, stages: [{ ...journey.stage, touchpoints: [] }] },
      from,
      to: now,
    });
    members += analytics.members;
    reached += analytics.stages[0]?.reached ?? 0;
  }
  const journeysText =
    counted.length < withGoal.length
      ? `the ${counted.length} most recently published of ${withGoal.length} journeys with a goal`
      : `${counted.length} published ${counted.length === 1 ? "journey" : "journeys"} with a goal`;
  return {
    key,
    value: percent(reached, members),
    note:
      members === 0
        ? `the segments of ${journeysText} have no members`
        : `${reached} of ${members} segment members reached the goal, over ${journeysText}`,
  };
}

/** The shares of measured journey customers in a journey with a proven lift, and with a proven value lift. */
function liftIndicators(lifts: JourneyLift[]): IndicatorValue[] {
  const measured = lifts.reduce((sum, l) => sum + l.customers, 0);
  const share = (key: string, proven: (lift: JourneyLift) => boolean, what: string): IndicatorValue => {
    if (lifts.length === 0) return { key, value: null, note: "no journey has run with a holdout yet" };
    if (measured === 0)
      return { key, value: null, note: `no entrant's ${LIFT_WINDOW_DAYS} days since entry have passed yet` };
    const provenJourneys = lifts.filter(proven);
    const customers = provenJourneys.reduce((sum, l) => sum + l.customers, 0);
    const names = provenJourneys.map((l) => `“${l.name}”`).join(", ");
    return {
      key,
      value: percent(customers, measured),
      note:
        provenJourneys.length === 0
          ? `none of ${lifts.length} ${lifts.length === 1 ? "journey" : "journeys"} with a holdout has proven ${what} yet (${measured} customers measured)`
          : `${customers} of ${measured} customers measured are in ${names}, which proved ${what}`,
    };
  };
  return [
    share("journey-proven-lift", (l) => l.provenLift, "a lift in conversion or revenue"),
    share("journey-value-lift", (l) => l.provenValueLift, "a rise in predicted value"),
  ];
}

async function valueModelIndicators(db: DbOrTx, workspaceId: string, now: Date): Promise<IndicatorValue[]> {
  const [fit] = await db
    .select({ finishedAt: valueFits.finishedAt, diagnostics: valueFits.diagnostics })
    .from(valueFits)
    .where(and(eq(valueFits.workspaceId, workspaceId), eq(valueFits.status, "succeeded")))
    .orderBy(desc(valueFits.finishedAt))
    .limit(1);
  if (!fit?.finishedAt)
    return [
      { key: "value-model-age", value: null, note: "never fitted", never: true },
      { key: "value-model-accuracy", value: null, note: "no value model fitted yet" },
    ];
  const ageDays = Math.floor((now.getTime() - fit.finishedAt.getTime()) / DAY_MS);
  const accuracy = fit.diagnostics ? holdoutAccuracy(fit.diagnostics) : null;
  return [
    { key: "value-model-age", value: Math.max(0, ageDays), note: `fitted ${fit.finishedAt.toISOString()}` },
    {
      key: "value-model-accuracy",
      value: accuracy?.value ?? null,
      note: accuracy
        ? `${accuracy.predicted.toFixed(0)} repeat purchases predicted, ${accuracy.actual} happened in ${accuracy.weeks} holdout weeks`
        : "the newest fit has no holdout weeks with repeat purchases",
    },
  ];
}

/**
 * 100 − |predicted − actual| / actual × 100 (not below 0) over the holdout
 * weeks: the tracking series is cumulative, so the holdout purchases are the
 * last holdout week's figure less the last calibration week's.
 */
export function holdoutAccuracy(
  diagnostics: Pick<ValueDiagnostics, "tracking">,
): { value: number; actual: number; predicted: number; weeks: number } | null {
  const holdout = diagnostics.tracking.filter((w) => w.holdout);
  const last = holdout.at(-1);
  if (!last) return null;
  const before = diagnostics.tracking.filter((w) => !w.holdout).at(-1);
  const actual = last.actual - (before?.actual ?? 0);
  const predicted = last.predicted - (before?.predicted ?? 0);
  if (actual <= 0) return null;
  const error = (Math.abs(predicted - actual) / actual) * 100;
  return { value: Math.round(Math.max(0, 100 - error) * 10) / 10, actual, predicted, weeks: holdout.length };
}

/** The cached snapshot when it is younger than INDICATOR_CACHE_MS (or `refresh` is false), else a new one, stored. */
export async function workspaceIndicators(
  db: DbOrTx,
  { workspaceId, refresh = false, now = new Date() }: { workspaceId: string; refresh?: boolean; now?: Date },
): Promise<IndicatorSnapshot> {
  if (!refresh) {
    const [cached] = await db
      .select({
        computedAt: maturityIndicatorSnapshots.computedAt,
        readings: maturityIndicatorSnapshots.readings,
      })
      .from(maturityIndicatorSnapshots)
      .where(eq(maturityIndicatorSnapshots.workspaceId, workspaceId));
    if (cached && now.getTime() - cached.computedAt.getTime() < INDICATOR_CACHE_MS) return cached.readings;
  }
  const snapshot = await computeIndicators(db, { workspaceId, now });
  await db
    .insert(maturityIndicatorSnapshots)
    .values({ workspaceId, computedAt: now, readings: snapshot })
    .onConflictDoUpdate({
      target: maturityIndicatorSnapshots.workspaceId,
      set: { computedAt: now, readings: snapshot },
    });
  return snapshot;
}

export interface IndicatorReport {
  key: string;
  name: string;
  definition: string;
  unit: IndicatorDefinition["unit"];
  thresholds: readonly (number | null)[];
  value: number | null;
  /** The level the value reaches; null without a value. */
  level: number | null;
  note: string | null;
}

export interface DimensionEvidence {
  dimensionKey: string;
  name: string;
  indicators: IndicatorReport[];
  suggested: SuggestedLevel | null;
  /** The assessment's level for the dimension (final, else the consensus), when an assessment was given. */
  selfScore: number | null;
  /** "data suggests level 2 (lower than the self-score 4)", or null. */
  disagreement: string | null;
}

/**
 * The snapshot grouped by the model's dimensions, each with the level its data
 * suggests and, given the assessment's levels, where the two differ. Only the
 * indicators that apply to the model (indicatorsFor) are shown.
 */
export function indicatorsByDimension(
  model: Pick<MaturityModel, "levels" | "dimensions">,
  snapshot: IndicatorSnapshot,
  selfScores: Readonly<Record<string, number | null>> = {},
): { asOf: string; dimensions: DimensionEvidence[] } {
  const applicable = indicatorsFor(model);
  const dimensions = model.dimensions.flatMap((dimension) => {
    const definitions = applicable.filter((d) => d.dimensionKey === dimension.key);
    if (definitions.length === 0) return [];
    const readings = definitions.map((definition) => {
      const reading = snapshot.values.find((v) => v.key === definition.key);
      const value = reading?.value ?? (reading?.never ? Infinity : null);
      return { definition, reading, value };
    });
    const indicators = readings.map(({ definition, reading, value }): IndicatorReport => ({
      key: definition.key,
      name: definition.name,
      definition: definition.definition,
      unit: definition.unit,
      thresholds: definition.thresholds,
      value: reading?.value ?? null,
      level: value === null ? null : indicatorLevel(definition, value),
      note: reading?.note ?? "not computed",
    }));
    const suggested = suggestedLevel(
      dimension.key,
      readings.map(({ definition, value }) => ({ key: definition.key, value })),
    );
    const selfScore = selfScores[dimension.key] ?? null;
    return [
      {
        dimensionKey: dimension.key,
        name: dimension.name,
        indicators,
        suggested,
        selfScore,
        disagreement: disagreement(selfScore, suggested?.level ?? null),
      },
    ];
  });
  return { asOf: snapshot.asOf, dimensions };
}

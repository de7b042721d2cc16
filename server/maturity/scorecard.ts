import "server-only";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { maturityAssessments, memberships, valueFits, workspaces } from "~/db/schema";
import { lastOfEachDay } from "~/server/valuation/trend";
import { csvLine } from "~/server/segments/export";
import { assessmentTargets, finalLevelsOf, targetsWithCurrent, todayUtc } from "./assessments";
import { listInitiatives, type Initiative } from "./initiatives";
import { journeyLifts, type JourneyLift } from "./journey-lift";
import { builtInModel, levelName, type MaturityModel } from "./model";
import { compareAssessments, gaps, maturityIndex, type AssessmentComparison, type Gap } from "./scoring";
import { getModelVersion } from "./store";

// The executive scorecard: what one page needs to say where a workspace
// stands (the latest FINAL assessment; open ones are work in progress), where
// it aims, how it moved, what closes the gaps and how it compares with the
// other business units the reader belongs to. Read-only, for viewers too.

export const TOP_GAPS = 5;

interface FinalAssessment {
  id: string;
  title: string;
  assessedOn: string;
  model: MaturityModel;
  levels: Record<string, number | null>;
}

/** The workspace's final assessments, oldest first, each with its model version and final levels. */
async function finalAssessments(db: DbOrTx, workspaceId: string): Promise<FinalAssessment[]> {
  const rows = await db
    .select({
      id: maturityAssessments.id,
      title: maturityAssessments.title,
      assessedOn: maturityAssessments.assessedOn,
      modelId: maturityAssessments.modelId,
      modelVersion: maturityAssessments.modelVersion,
    })
    .from(maturityAssessments)
    .where(and(eq(maturityAssessments.workspaceId, workspaceId), eq(maturityAssessments.status, "final")))
    .orderBy(asc(maturityAssessments.assessedOn), asc(maturityAssessments.finalisedAt));
  const levels = await finalLevelsOf(
    db,
    workspaceId,
    rows.map((r) => r.id),
  );
  const out: FinalAssessment[] = [];
  for (const row of rows) {
    const { model } = await getModelVersion(db, {
      workspaceId,
      modelId: row.modelId,
      version: row.modelVersion,
    });
    out.push({
      id: row.id,
      title: row.title,
      assessedOn: row.assessedOn,
      model,
      levels: levels.get(row.id) ?? {},
    });
  }
  return out;
}

/** Keeps only the dimensions the model has: an older assessment may have scored others. */
function restrictTo(model: MaturityModel, levels: Record<string, number | null>) {
  return Object.fromEntries(model.dimensions.map((d) => [d.key, levels[d.key] ?? null]));
}

export interface Scorecard {
  workspace: { id: string; name: string };
  /** null: no final assessment yet; everything below is then empty. */
  current: { id: string; title: string; assessedOn: string; modelName: string; modelVersion: number } | null;
  previous: { id: string; title: string; assessedOn: string } | null;
  levels: { level: number; name: string }[];
  index: { current: number | null; previous: number | null; delta: number | null };
  /** The radar: per dimension of the current assessment's model. */
  dimensions: {
    key: string;
    name: string;
    current: number | null;
    currentName: string | null;
    target: number | null;
    targetDate: string | null;
    previous: number | null;
    delta: number | null;
  }[];
  sameDimensions: AssessmentComparison["sameDimensions"];
  /** Per dimension (by key), the final level at each final assessment that scored it. */
  trend: {
    key: string;
    name: string;
    points: { assessedOn: string; assessmentId: string; level: number }[];
  }[];
  indexTrend: { assessedOn: string; assessmentId: string; index: number | null }[];
  topGaps: (Gap & { initiatives: Pick<Initiative, "id" | "title" | "status" | "dueDate" | "owner">[] })[];
  /**
   * Per day with a succeeded live value fit, oldest first: the day's last fit, its customers and their
   * total predicted value. Holdout checks, which score no one, are not in it.
   */
  valueTrend: { fittedAt: string; calibrationEnd: string; customers: number; predictedValue: number }[];
  /** The journeys that ran with a holdout, with what they proved over a month from entry (journey-lift.ts). */
  journeyLift: JourneyLift[];
  businessUnits: BusinessUnits;
}

export interface BusinessUnits {
  /** Columns: the dimensions of the built-in model, then any other key a unit's model has, by name. */
  dimensions: { key: string; name: string }[];
  rows: {
    workspaceId: string;
    name: string;
    /** null: the unit has no final assessment yet. */
    assessedOn: string | null;
    modelName: string | null;
    index: number | null;
    levels: Record<string, number | null>;
  }[];
}

export async function buildScorecard(
  db: DbOrTx,
  { workspaceId, userId, today = todayUtc() }: { workspaceId: string; userId: string; today?: string },
): Promise<Scorecard> {
  const [workspace] = await db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const finals = await finalAssessments(db, workspaceId);
  const [businessUnits, valueTrend, journeyLift] = await Promise.all([
    compareBusinessUnits(db, userId),
    customerValueTrend(db, workspaceId),
    journeyLifts(db, workspaceId),
  ]);
  const latest = finals.at(-1);
  const before = finals.at(-2);
  const base = {
    workspace: workspace ?? { id: workspaceId, name: "" },
    valueTrend,
    journeyLift,
    businessUnits,
  };
  if (!latest)
    return {
      ...base,
      current: null,
      previous: null,
      levels: builtInModel.levels.map(({ level, name }) => ({ level, name })),
      index: { current: null, previous: null, delta: null },
      dimensions: [],
      sameDimensions: false,
      trend: [],
      indexTrend: [],
      topGaps: [],
    };

  const model = latest.model;
  const current = restrictTo(model, latest.levels);
  const previous = before ? restrictTo(model, before.levels) : null;
  const comparison = compareAssessments(model, current, previous);
  const targets = await assessmentTargets(db, workspaceId, latest.id);
  const initiatives = await listInitiatives(db, { workspaceId });
  const byDimension = new Map(comparison.dimensions.map((d) => [d.dimensionKey, d]));

  return {
    ...base,
    current: {
      id: latest.id,
      title: latest.title,
      assessedOn: latest.assessedOn,
      modelName: model.name,
      modelVersion: model.version,
    },
    previous: before ? { id: before.id, title: before.title, assessedOn: before.assessedOn } : null,
    levels: model.levels.map(({ level, name }) => ({ level, name })),
    index: comparison.index,
    dimensions: model.dimensions.map((d) => {
      const row = byDimension.get(d.key);
      const level = row?.current ?? null;
      return {
        key: d.key,
        name: d.name,
        current: level,
        currentName: level === null ? null : levelName(model, level),
        target: targets[d.key]?.target ?? null,
        targetDate: targets[d.key]?.targetDate ?? null,
        previous: row?.previous ?? null,
        delta: row?.delta ?? null,
      };
    }),
    sameDimensions: comparison.sameDimensions,
    trend: model.dimensions.map((d) => ({
      key: d.key,
      name: d.name,
      points: finals.flatMap((a) => {
        const level = a.levels[d.key];
        return level === null || level === undefined
          ? []
          : [{ assessedOn: a.assessedOn, assessmentId: a.id, level }];
      }),
    })),
    indexTrend: finals.map((a) => ({
      assessedOn: a.assessedOn,
      assessmentId: a.id,
      index: maturityIndex(a.model, restrictTo(a.model, a.levels)).index,
    })),
    topGaps: gaps(model, targetsWithCurrent(model, targets, current), today)
      .filter((g) => g.gap > 0)
      .slice(0, TOP_GAPS)
      .map((gap) => ({
        ...gap,
        initiatives: initiatives
          .filter((i) => i.dimensionKey === gap.dimensionKey)
          .map(({ id, title, status, dueDate, owner }) => ({ id, title, status, dueDate, owner })),
      })),
  };
}

async function customerValueTrend(db: DbOrTx, workspaceId: string): Promise<Scorecard["valueTrend"]> {
  const fits = await db
    .select({
      finishedAt: valueFits.finishedAt,
      calibrationEnd: valueFits.calibrationEnd,
      customers: valueFits.customers,
      portfolio: valueFits.portfolio,
    })
    .from(valueFits)
    .where(
      and(
        eq(valueFits.workspaceId, workspaceId),
        eq(valueFits.status, "succeeded"),
        eq(valueFits.purpose, "live"),
      ),
    )
    .orderBy(asc(valueFits.finishedAt));
  // One point per UTC day, as the maturity trend has: the day's last fit stands for it.
  return lastOfEachDay(fits.map((fit) => ({ ...fit, at: fit.finishedAt }))).flatMap((fit) =>
    fit.finishedAt && fit.portfolio
      ? [
          {
            fittedAt: fit.finishedAt.toISOString(),
            calibrationEnd: fit.calibrationEnd,
            customers: fit.customers,
            predictedValue:
              Math.round(fit.portfolio.rows.reduce((sum, row) => sum + row.predictedValue, 0) * 100) / 100,
          },
        ]
      : [],
  );
}

/**
 * The heatmap of business units × dimensions: the latest final assessment of
 * every workspace the user is a member of (in any role), and only those.
 */
export async function compareBusinessUnits(db: DbOrTx, userId: string): Promise<BusinessUnits> {
  const units = await db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
  const latest =
    units.length === 0
      ? []
      : await db
          .selectDistinctOn([maturityAssessments.workspaceId], {
            workspaceId: maturityAssessments.workspaceId,
            id: maturityAssessments.id,
            assessedOn: maturityAssessments.assessedOn,
            modelId: maturityAssessments.modelId,
            modelVersion: maturityAssessments.modelVersion,
          })
          .from(maturityAssessments)
          .where(
            and(
              inArray(
                maturityAssessments.workspaceId,
                units.map((u) => u.id),
              ),
              eq(maturityAssessments.status, "final"),
            ),
          )
          .orderBy(
            maturityAssessments.workspaceId,
            // The reverse of finalAssessments' order: its last is this first.
            desc(maturityAssessments.assessedOn),
            desc(maturityAssessments.finalisedAt),
          );
  const columns = new Map(builtInModel.dimensions.map((d) => [d.key, d.name]));
  const extra = new Map<string, string>();
  const rows: BusinessUnits["rows"] = [];
  for (const unit of units) {
    const assessment = latest.find((a) => a.workspaceId === unit.id);
    if (!assessment) {
      rows.push({
        workspaceId: unit.id,
        name: unit.name,
        assessedOn: null,
        modelName: null,
        index: null,
        levels: {},
      });
      continue;
    }
    const { model } = await getModelVersion(db, {
      workspaceId: unit.id,
      modelId: assessment.modelId,
      version: assessment.modelVersion,
    });
    const levels = restrictTo(
      model,
      (await finalLevelsOf(db, unit.id, [assessment.id])).get(assessment.id) ?? {},
    );
    for (const d of model.dimensions) if (!columns.has(d.key)) extra.set(d.key, d.name);
    rows.push({
      workspaceId: unit.id,
      name: unit.name,
      assessedOn: assessment.assessedOn,
      modelName: model.name,
      index: maturityIndex(model, levels).index,
      levels,
    });
  }
  const dimensions = [
    ...[...columns].map(([key, name]) => ({ key, name })),
    ...[...extra].map(([key, name]) => ({ key, name })).sort((a, b) => a.name.localeCompare(b.name)),
  ];
  return { dimensions, rows };
}

// ---------------------------------------------------------------------------
// CSV export
// ---------------------------------------------------------------------------

const csvColumns = [
  "section",
  "name",
  "dimension_key",
  "current",
  "current_level",
  "target",
  "target_date",
  "previous",
  "change",
  "assessed_on",
] as const;

/** The scorecard as one CSV table: the index, each dimension, then each business unit's levels. */
export function scorecardCsv(scorecard: Scorecard): string {
  const lines: (string | number | null)[][] = [[...csvColumns]];
  const assessedOn = scorecard.current?.assessedOn ?? null;
  lines.push([
    "index",
    "Maturity index (0-100)",
    null,
    scorecard.index.current,
    null,
    null,
    null,
    scorecard.index.previous,
    scorecard.index.delta,
    assessedOn,
  ]);
  for (const d of scorecard.dimensions)
    lines.push([
      "dimension",
      d.name,
      d.key,
      d.current,
      d.currentName,
      d.target,
      d.targetDate,
      d.previous,
      d.delta,
      assessedOn,
    ]);
  for (const unit of scorecard.businessUnits.rows) {
    lines.push(["business unit", unit.name, null, unit.index, null, null, null, null, null, unit.assessedOn]);
    for (const column of scorecard.businessUnits.dimensions) {
      const level = unit.levels[column.key];
      if (level === undefined) continue;
      lines.push([
        "business unit dimension",
        `${unit.name}: ${column.name}`,
        column.key,
        level,
        null,
        null,
        null,
        null,
        null,
        unit.assessedOn,
      ]);
    }
  }
  // Fields that a spreadsheet would run as a formula (a unit named "=…") are defused, as in the segment export.
  return lines.map(csvLine).join("");
}

export function scorecardFileName(workspaceName: string, today = todayUtc()): string {
  const slug = workspaceName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${slug || "workspace"}-maturity-scorecard-${today}.csv`;
}

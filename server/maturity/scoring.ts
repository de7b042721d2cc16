import type { MaturityModel } from "./model";

// The arithmetic of assessments, pure so that the scorecard, the assessment
// form and the tests all compute the same figures: several assessors' consensus
// on a dimension, the maturity index, the gaps to target and the change since
// the previous assessment. docs/maturity-model.md explains each rule.

export const confidences = ["low", "medium", "high"] as const;
export type Confidence = (typeof confidences)[number];
export const confidenceWeights: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };

type ModelShape = Pick<MaturityModel, "levels" | "dimensions">;

// ---------------------------------------------------------------------------
// Consensus of several assessors on one dimension
// ---------------------------------------------------------------------------

export interface AssessorScore {
  /** null: the assessor skipped the dimension. */
  level: number | null;
  /** null or missing counts as medium. */
  confidence?: Confidence | null;
}

export type Agreement = "agree" | "close" | "disagree";

export interface Consensus {
  /** The median; between two middle scores, the lower one. */
  level: number;
  /** The two middle scores differed (an even number of assessors split), so `level` is the lower of them. */
  tied: boolean;
  /** Highest minus lowest score. */
  spread: number;
  agreement: Agreement;
  /** The mean weighted by confidence (low 1, medium 2, high 3), to two decimals: a secondary figure. */
  weightedMean: number;
  /** Assessors who scored the dimension. */
  assessors: number;
}

export function agreementOf(spread: number): Agreement {
  return spread === 0 ? "agree" : spread === 1 ? "close" : "disagree";
}

/**
 * The consensus is the median, not the mean, so that one outlier cannot move
 * it and it is always a level someone gave. With an even number of assessors
 * whose middle scores differ, it takes the LOWER: the organisation is not
 * credited with a level that half of its assessors did not see. null when
 * nobody scored the dimension.
 */
export function consensus(scores: readonly AssessorScore[]): Consensus | null {
  const given = scores.filter((s): s is AssessorScore & { level: number } => s.level !== null);
  if (given.length === 0) return null;
  for (const s of given) {
    if (!Number.isInteger(s.level) || s.level < 1)
      throw new RangeError(`a score must be a whole level from 1 up, not ${s.level}`);
  }
  const sorted = given.map((s) => s.level).sort((a, b) => a - b);
  const lowerMiddle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const upperMiddle = sorted[Math.floor(sorted.length / 2)]!;
  const spread = sorted[sorted.length - 1]! - sorted[0]!;

  let weighted = 0;
  let weights = 0;
  for (const s of given) {
    const weight = confidenceWeights[s.confidence ?? "medium"];
    weighted += weight * s.level;
    weights += weight;
  }
  return {
    level: lowerMiddle,
    tied: lowerMiddle !== upperMiddle,
    spread,
    agreement: agreementOf(spread),
    weightedMean: round(weighted / weights, 2),
    assessors: given.length,
  };
}

/** One assessor's scores by dimension key; a dimension left out counts as skipped. */
export type AssessorSheet = Readonly<Record<string, AssessorScore | undefined>>;

export interface AssessmentConsensus {
  /** Per dimension key of the model; null where nobody scored it. */
  dimensions: Record<string, Consensus | null>;
  /** The consensus levels, ready for maturityIndex, gaps and compareAssessments. */
  levels: Record<string, number | null>;
}

/** The consensus of every dimension of the model, from each assessor's sheet (checked against the model). */
export function assessmentConsensus(
  model: ModelShape,
  sheets: readonly AssessorSheet[],
): AssessmentConsensus {
  for (const sheet of sheets) {
    checkKeys(model, sheet, "score");
    for (const [key, score] of Object.entries(sheet))
      if (score && score.level !== null) checkLevel(model, key, score.level);
  }
  const dimensions: Record<string, Consensus | null> = {};
  const levels: Record<string, number | null> = {};
  for (const { key } of model.dimensions) {
    const result = consensus(sheets.flatMap((sheet) => sheet[key] ?? []));
    dimensions[key] = result;
    levels[key] = result?.level ?? null;
  }
  return { dimensions, levels };
}

// ---------------------------------------------------------------------------
// The maturity index
// ---------------------------------------------------------------------------

/** A level per dimension key; null or missing: not scored. */
export type DimensionLevels = Readonly<Record<string, number | null | undefined>>;

export interface MaturityIndex {
  /** 0 (every scored dimension at level 1) to 100 (all at the top level), one decimal; null when nothing is scored. */
  index: number | null;
  /** Dimension keys that counted. */
  scored: string[];
  /** Dimension keys without a score, left out of the index. */
  missing: string[];
}

/**
 * The mean of the scored dimensions' levels, each mapped to 0-100 as
 * (level - 1) / (levels - 1) x 100, weighted by `weights` (default 1 each; a
 * weight of 0 leaves a dimension out). Unscored dimensions are left out and
 * reported, rather than counted as level 1, so a half-finished assessment does
 * not look like a low one.
 */
export function maturityIndex(
  model: ModelShape,
  levels: DimensionLevels,
  options: { weights?: Readonly<Record<string, number>> } = {},
): MaturityIndex {
  checkKeys(model, levels, "score");
  if (options.weights) {
    checkKeys(model, options.weights, "weight");
    for (const [key, weight] of Object.entries(options.weights))
      if (!Number.isFinite(weight) || weight < 0)
        throw new RangeError(`the weight of "${key}" must be a number of 0 or more, not ${weight}`);
  }
  const top = model.levels.length;
  const scored: string[] = [];
  const missing: string[] = [];
  let sum = 0;
  let weights = 0;
  for (const dimension of model.dimensions) {
    const level = levels[dimension.key];
    if (level === null || level === undefined) {
      missing.push(dimension.key);
      continue;
    }
    checkLevel(model, dimension.key, level);
    const weight = options.weights?.[dimension.key] ?? 1;
    if (weight === 0) continue;
    scored.push(dimension.key);
    sum += (weight * (level - 1) * 100) / (top - 1);
    weights += weight;
  }
  return { index: weights === 0 ? null : round(sum / weights, 1), scored, missing };
}

// ---------------------------------------------------------------------------
// Gaps to target
// ---------------------------------------------------------------------------

export interface DimensionTarget {
  current: number | null;
  target: number | null;
  /** YYYY-MM-DD, or null when no date was set. */
  targetDate: string | null;
}

export interface Gap {
  dimensionKey: string;
  name: string;
  current: number;
  target: number;
  /** target - current, never below 0 (a dimension past its target has no gap). */
  gap: number;
  targetDate: string | null;
  /** The target date has passed (it is before `today`) and the gap is still open. */
  overdue: boolean;
}

/**
 * The gap of every dimension with both a current level and a target, largest
 * first; among equal gaps overdue ones first, then the earliest target date
 * (no date last), then the model's order. Dimensions without a current level
 * or a target have no gap to show and are left out. `today` is YYYY-MM-DD in
 * the caller's time zone, so "overdue" flips at the caller's midnight.
 */
export function gaps(
  model: ModelShape,
  targets: Readonly<Record<string, DimensionTarget>>,
  today: string,
): Gap[] {
  checkKeys(model, targets, "target");
  checkDay(today, "today");
  const out: (Gap & { order: number })[] = [];
  model.dimensions.forEach((dimension, order) => {
    const row = targets[dimension.key];
    if (!row || row.current === null || row.target === null) return;
    checkLevel(model, dimension.key, row.current);
    checkLevel(model, dimension.key, row.target);
    if (row.targetDate !== null) checkDay(row.targetDate, `the target date of "${dimension.key}"`);
    const gap = Math.max(0, row.target - row.current);
    out.push({
      dimensionKey: dimension.key,
      name: dimension.name,
      current: row.current,
      target: row.target,
      gap,
      targetDate: row.targetDate,
      // YYYY-MM-DD strings compare as the dates they name.
      overdue: gap > 0 && row.targetDate !== null && row.targetDate < today,
      order,
    });
  });
  out.sort(
    (a, b) =>
      b.gap - a.gap ||
      Number(b.overdue) - Number(a.overdue) ||
      compareDates(a.targetDate, b.targetDate) ||
      a.order - b.order,
  );
  return out.map(({ order: _order, ...gap }) => gap);
}

function compareDates(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

// ---------------------------------------------------------------------------
// Current against previous assessment
// ---------------------------------------------------------------------------

export interface AssessmentComparison {
  dimensions: {
    dimensionKey: string;
    current: number | null;
    previous: number | null;
    delta: number | null;
  }[];
  index: { current: number | null; previous: number | null; delta: number | null };
  /**
   * Both assessments scored the same dimensions. When they did not, the index
   * delta mixes a change in maturity with a change in what was scored.
   */
  sameDimensions: boolean;
}

/**
 * Per dimension, current - previous where both are scored; and the index delta,
 * taken from the two rounded indexes so that the figures shown add up.
 * `previous` null: this is the first assessment, and every delta is null.
 */
export function compareAssessments(
  model: ModelShape,
  current: DimensionLevels,
  previous: DimensionLevels | null,
  options: { weights?: Readonly<Record<string, number>> } = {},
): AssessmentComparison {
  const now = maturityIndex(model, current, options);
  const before = previous ? maturityIndex(model, previous, options) : null;
  const dimensions = model.dimensions.map((dimension) => {
    const c = current[dimension.key] ?? null;
    const p = previous?.[dimension.key] ?? null;
    return {
      dimensionKey: dimension.key,
      current: c,
      previous: p,
      delta: c !== null && p !== null ? c - p : null,
    };
  });
  return {
    dimensions,
    index: {
      current: now.index,
      previous: before?.index ?? null,
      delta: now.index !== null && before?.index != null ? round(now.index - before.index, 1) : null,
    },
    sameDimensions: before !== null && sameMembers(now.scored, before.scored),
  };
}

// ---------------------------------------------------------------------------

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // Scaled by the factor first, so 62.25 rounds to 62.3 as written, not by its binary approximation.
  return Math.round(Number((value * factor).toPrecision(12))) / factor;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key) => b.includes(key));
}

function checkKeys(model: ModelShape, record: object, what: string) {
  for (const key of Object.keys(record)) {
    if (!model.dimensions.some((d) => d.key === key))
      throw new RangeError(`a ${what} for "${key}", which is not a dimension of the model`);
  }
}

function checkLevel(model: ModelShape, dimensionKey: string, level: number) {
  if (!Number.isInteger(level) || level < 1 || level > model.levels.length)
    throw new RangeError(
      `"${dimensionKey}": ${level} is not a level of the model (1 to ${model.levels.length})`,
    );
}

function checkDay(day: string, what: string) {
  // The round trip refuses dates that Date.parse rolls over, such as 2026-02-30.
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day)
    throw new RangeError(`${what} must be a date as YYYY-MM-DD, not "${day}"`);
}

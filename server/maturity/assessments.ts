import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import {
  maturityAssessments,
  maturityAttachments,
  maturityFinalLevels,
  maturityScores,
  maturityTargets,
  users,
} from "~/db/schema";
import { type MaturityStatus } from "~/db/enums";
import { InvalidInputError, NotFoundError, RuleError } from "~/server/errors";
import type { MaturityModel } from "./model";
import {
  assessmentConsensus,
  gaps,
  maturityIndex,
  type AssessorSheet,
  type Confidence,
  type Consensus,
  type Gap,
  type MaturityIndex,
} from "./scoring";
import { attachmentContentIssue, attachmentType, MAX_ATTACHMENT_BYTES } from "./attachment-types";
import { getModelVersion, type ModelRef } from "./store";

export { attachmentType, attachmentTypes, MAX_ATTACHMENT_BYTES } from "./attachment-types";

// Assessments: a workspace scored against one model version at a date. Each
// assessor fills in their own sheet; the consensus, spread and index come from
// scoring.ts; a reviewer finalises, fixing a level per dimension (the
// consensus unless overridden), after which the scores cannot change.

export type Issue = { path: string; message: string };

export interface ScoreInput {
  dimensionKey: string;
  /** null: skipped. */
  level: number | null;
  confidence: Confidence | null;
  notes: string;
  evidenceText: string;
  evidenceLinks: string[];
}

const thisAssessment = (workspaceId: string, id: string) =>
  and(eq(maturityAssessments.workspaceId, workspaceId), eq(maturityAssessments.id, id));

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The assessment's row and its model version; NotFoundError outside the workspace. `lock` holds it until the transaction ends. */
async function loadAssessment(db: DbOrTx, workspaceId: string, id: string, lock = false) {
  const query = db.select().from(maturityAssessments).where(thisAssessment(workspaceId, id));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new NotFoundError("That assessment does not exist.");
  const { model } = await getModelVersion(db, {
    workspaceId,
    modelId: row.modelId,
    version: row.modelVersion,
  });
  return { row, model };
}

function requireOpen(row: { status: MaturityStatus; title: string }, action: string) {
  if (row.status === "final")
    throw new RuleError(
      `“${row.title}” is final: its scores and evidence can no longer change, so you cannot ${action}. Start a new assessment instead.`,
    );
}

function levelIssue(model: MaturityModel, level: number): string | null {
  const top = model.levels.length;
  return Number.isInteger(level) && level >= 1 && level <= top
    ? null
    : `${level} is not a level of this model (1 to ${top})`;
}

function dimensionIssue(model: MaturityModel, key: string): string | null {
  return model.dimensions.some((d) => d.key === key)
    ? null
    : `"${key}" is not a dimension of ${model.name} (version ${model.version})`;
}

function refuse(what: string, issues: Issue[]): never {
  const listed = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  throw new InvalidInputError(`${what}: ${listed.join("; ")}`, issues);
}

// ---------------------------------------------------------------------------
// Create, list, remove
// ---------------------------------------------------------------------------

export async function createAssessment(
  db: DbOrTx,
  input: {
    workspaceId: string;
    userId: string;
    title: string;
    assessedOn: string;
    modelId: string | null;
    modelVersion?: number;
  },
): Promise<{ id: string; model: ModelRef }> {
  const { ref, model } = await getModelVersion(db, {
    workspaceId: input.workspaceId,
    modelId: input.modelId,
    version: input.modelVersion,
  });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(maturityAssessments)
      .values({
        workspaceId: input.workspaceId,
        title: input.title,
        assessedOn: input.assessedOn,
        modelId: ref.modelId,
        modelVersion: ref.version,
        createdBy: input.userId,
      })
      .returning({ id: maturityAssessments.id });
    await carryTargetsForward(tx, { workspaceId: input.workspaceId, assessmentId: row!.id, model });
    return { id: row!.id, model: ref };
  });
}

/**
 * A new assessment starts with the targets of the latest final one: targets
 * are plans that outlive one assessment, and the scorecard reads them from the
 * latest final assessment, so without this a review would drop every target.
 * Only dimensions and levels the new assessment's model has are carried.
 */
async function carryTargetsForward(
  tx: DbOrTx,
  { workspaceId, assessmentId, model }: { workspaceId: string; assessmentId: string; model: MaturityModel },
) {
  const dimensionKeys = model.dimensions.map((d) => d.key);
  const topLevel = Math.max(...model.levels.map((l) => l.level));
  await tx.execute(sql`
    insert into ${maturityTargets} (workspace_id, assessment_id, dimension_key, target_level, target_date, updated_by)
    select t.workspace_id, ${assessmentId}, t.dimension_key, t.target_level, t.target_date, t.updated_by
    from ${maturityTargets} t
    where t.workspace_id = ${workspaceId}
      and t.assessment_id = (
        select a.id from ${maturityAssessments} a
        where a.workspace_id = ${workspaceId} and a.status = 'final' and a.id <> ${assessmentId}
        order by a.assessed_on desc, a.finalised_at desc limit 1)
      and t.dimension_key = any(${sql.param(dimensionKeys)}::text[])
      and t.target_level <= ${topLevel}`);
}

export interface AssessmentListItem {
  id: string;
  title: string;
  assessedOn: string;
  status: MaturityStatus;
  modelId: string | null;
  modelVersion: number;
  modelName: string;
  assessors: number;
  finalisedAt: Date | null;
  /** The index of the final levels; null while open. */
  index: number | null;
}

/** Newest first. */
export async function listAssessments(db: DbOrTx, workspaceId: string): Promise<AssessmentListItem[]> {
  const rows = await db
    .select({
      id: maturityAssessments.id,
      title: maturityAssessments.title,
      assessedOn: maturityAssessments.assessedOn,
      status: maturityAssessments.status,
      modelId: maturityAssessments.modelId,
      modelVersion: maturityAssessments.modelVersion,
      finalisedAt: maturityAssessments.finalisedAt,
      assessors: sql<number>`(select count(distinct s.assessor_id)::int from ${maturityScores} s
        where s.workspace_id = ${maturityAssessments.workspaceId} and s.assessment_id = ${maturityAssessments.id})`,
    })
    .from(maturityAssessments)
    .where(eq(maturityAssessments.workspaceId, workspaceId))
    .orderBy(desc(maturityAssessments.assessedOn), desc(maturityAssessments.createdAt));
  const finals = await finalLevelsOf(
    db,
    workspaceId,
    rows.filter((r) => r.status === "final").map((r) => r.id),
  );
  const models = new Map<string, MaturityModel>();
  const out: AssessmentListItem[] = [];
  for (const row of rows) {
    const cacheKey = `${row.modelId ?? "built-in"}:${row.modelVersion}`;
    let model = models.get(cacheKey);
    if (!model) {
      model = (await getModelVersion(db, { workspaceId, modelId: row.modelId, version: row.modelVersion }))
        .model;
      models.set(cacheKey, model);
    }
    const levels = finals.get(row.id);
    out.push({
      ...row,
      assessors: Number(row.assessors),
      modelName: model.name,
      index: levels ? maturityIndex(model, levels).index : null,
    });
  }
  return out;
}

/** Final levels by assessment id, for final assessments. */
export async function finalLevelsOf(
  db: DbOrTx,
  workspaceId: string,
  assessmentIds: string[],
): Promise<Map<string, Record<string, number | null>>> {
  const out = new Map<string, Record<string, number | null>>();
  if (assessmentIds.length === 0) return out;
  const rows = await db
    .select({
      assessmentId: maturityFinalLevels.assessmentId,
      dimensionKey: maturityFinalLevels.dimensionKey,
      level: maturityFinalLevels.level,
    })
    .from(maturityFinalLevels)
    .where(
      and(
        eq(maturityFinalLevels.workspaceId, workspaceId),
        inArray(maturityFinalLevels.assessmentId, assessmentIds),
      ),
    );
  for (const row of rows) {
    const levels = out.get(row.assessmentId) ?? {};
    levels[row.dimensionKey] = row.level;
    out.set(row.assessmentId, levels);
  }
  return out;
}

/** Only an open assessment can be removed: a final one is part of the trend that executives read. */
export async function removeAssessment(
  db: DbOrTx,
  { workspaceId, id }: { workspaceId: string; id: string },
): Promise<{ title: string }> {
  const { row } = await loadAssessment(db, workspaceId, id, true);
  if (row.status === "final")
    throw new RuleError(`“${row.title}” is final and part of the maturity trend: it cannot be removed.`);
  await db.delete(maturityAssessments).where(thisAssessment(workspaceId, id));
  return { title: row.title };
}

// ---------------------------------------------------------------------------
// Scoring, targets, finalising
// ---------------------------------------------------------------------------

/**
 * Saves dimensions of the caller's own sheet (the assessor is always the
 * caller). Every entry is checked against the assessment's model version
 * first, and nothing is stored unless all pass.
 */
export async function saveScores(
  db: DbOrTx,
  input: { workspaceId: string; assessmentId: string; assessorId: string; scores: ScoreInput[] },
): Promise<{ saved: number }> {
  const { row, model } = await loadAssessment(db, input.workspaceId, input.assessmentId, true);
  requireOpen(row, "change scores");
  const issues: Issue[] = [];
  const seen = new Set<string>();
  input.scores.forEach((score, i) => {
    const dimension = dimensionIssue(model, score.dimensionKey);
    if (dimension) issues.push({ path: `scores[${i}].dimensionKey`, message: dimension });
    else if (seen.has(score.dimensionKey))
      issues.push({ path: `scores[${i}].dimensionKey`, message: `"${score.dimensionKey}" is given twice` });
    seen.add(score.dimensionKey);
    const level = score.level === null ? null : levelIssue(model, score.level);
    if (level) issues.push({ path: `scores[${i}].level`, message: level });
  });
  if (issues.length > 0) refuse("The scores were not saved", issues);
  if (input.scores.length === 0) return { saved: 0 };
  await db
    .insert(maturityScores)
    .values(
      input.scores.map((score) => ({
        workspaceId: input.workspaceId,
        assessmentId: input.assessmentId,
        assessorId: input.assessorId,
        ...score,
      })),
    )
    .onConflictDoUpdate({
      target: [
        maturityScores.workspaceId,
        maturityScores.assessmentId,
        maturityScores.assessorId,
        maturityScores.dimensionKey,
      ],
      set: {
        level: sql`excluded.level`,
        confidence: sql`excluded.confidence`,
        notes: sql`excluded.notes`,
        evidenceText: sql`excluded.evidence_text`,
        evidenceLinks: sql`excluded.evidence_links`,
        updatedAt: sql`now()`,
      },
    });
  return { saved: input.scores.length };
}

/** Sets or (targetLevel null) clears a dimension's target. Targets are plans, so a final assessment takes them too. */
export async function setTarget(
  db: DbOrTx,
  input: {
    workspaceId: string;
    assessmentId: string;
    userId: string;
    dimensionKey: string;
    targetLevel: number | null;
    targetDate: string | null;
  },
): Promise<void> {
  const { model } = await loadAssessment(db, input.workspaceId, input.assessmentId);
  const issues: Issue[] = [];
  const dimension = dimensionIssue(model, input.dimensionKey);
  if (dimension) issues.push({ path: "dimensionKey", message: dimension });
  const level = input.targetLevel === null ? null : levelIssue(model, input.targetLevel);
  if (level) issues.push({ path: "targetLevel", message: level });
  if (issues.length > 0) refuse("The target was not saved", issues);
  const where = and(
    eq(maturityTargets.workspaceId, input.workspaceId),
    eq(maturityTargets.assessmentId, input.assessmentId),
    eq(maturityTargets.dimensionKey, input.dimensionKey),
  );
  if (input.targetLevel === null) {
    await db.delete(maturityTargets).where(where);
    return;
  }
  await db
    .insert(maturityTargets)
    .values({
      workspaceId: input.workspaceId,
      assessmentId: input.assessmentId,
      dimensionKey: input.dimensionKey,
      targetLevel: input.targetLevel,
      targetDate: input.targetDate,
      updatedBy: input.userId,
    })
    .onConflictDoUpdate({
      target: [maturityTargets.workspaceId, maturityTargets.assessmentId, maturityTargets.dimensionKey],
      set: {
        targetLevel: input.targetLevel,
        targetDate: input.targetDate,
        updatedBy: input.userId,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * Fixes the assessment: per dimension the consensus, or the reviewer's
 * override (a level, or null to leave the dimension unscored), and a note.
 * Needs at least one scored dimension, so that a final assessment has an index.
 */
export async function finaliseAssessment(
  db: DbOrTx,
  input: {
    workspaceId: string;
    assessmentId: string;
    userId: string;
    overrides: Record<string, number | null>;
    note: string;
  },
): Promise<{ title: string; levels: Record<string, number | null>; index: number | null }> {
  const { row, model } = await loadAssessment(db, input.workspaceId, input.assessmentId, true);
  requireOpen(row, "finalise it again");
  const issues: Issue[] = [];
  for (const [key, level] of Object.entries(input.overrides)) {
    const dimension = dimensionIssue(model, key);
    if (dimension) issues.push({ path: `overrides.${key}`, message: dimension });
    else if (level !== null) {
      const bad = levelIssue(model, level);
      if (bad) issues.push({ path: `overrides.${key}`, message: bad });
    }
  }
  if (issues.length > 0) refuse("The assessment was not finalised", issues);

  const { consensus } = await consensusOf(db, input.workspaceId, input.assessmentId, model);
  const rows = model.dimensions.map((d) => {
    const consensusLevel = consensus.levels[d.key] ?? null;
    const level = d.key in input.overrides ? (input.overrides[d.key] ?? null) : consensusLevel;
    return { dimensionKey: d.key, level, consensusLevel };
  });
  if (rows.every((r) => r.level === null))
    throw new RuleError(
      "Nothing to finalise: no dimension has a score. Score at least one dimension, or give the reviewer's level.",
    );
  await db
    .insert(maturityFinalLevels)
    .values(rows.map((r) => ({ workspaceId: input.workspaceId, assessmentId: input.assessmentId, ...r })));
  await db
    .update(maturityAssessments)
    .set({ status: "final", finalisedBy: input.userId, finalisedAt: sql`now()`, finalNote: input.note })
    .where(thisAssessment(input.workspaceId, input.assessmentId));
  const levels = Object.fromEntries(rows.map((r) => [r.dimensionKey, r.level]));
  return { title: row.title, levels, index: maturityIndex(model, levels).index };
}

interface SheetRow {
  assessorId: string;
  assessorName: string | null;
  dimensionKey: string;
  level: number | null;
  confidence: Confidence | null;
  notes: string;
  evidenceText: string;
  evidenceLinks: string[];
  updatedAt: Date;
}

async function consensusOf(db: DbOrTx, workspaceId: string, assessmentId: string, model: MaturityModel) {
  const scores: SheetRow[] = await db
    .select({
      assessorId: maturityScores.assessorId,
      assessorName: users.name,
      dimensionKey: maturityScores.dimensionKey,
      level: maturityScores.level,
      confidence: maturityScores.confidence,
      notes: maturityScores.notes,
      evidenceText: maturityScores.evidenceText,
      evidenceLinks: maturityScores.evidenceLinks,
      updatedAt: maturityScores.updatedAt,
    })
    .from(maturityScores)
    .leftJoin(users, eq(users.id, maturityScores.assessorId))
    .where(and(eq(maturityScores.workspaceId, workspaceId), eq(maturityScores.assessmentId, assessmentId)))
    .orderBy(asc(users.name), asc(maturityScores.assessorId));
  const sheets = new Map<string, Record<string, SheetRow>>();
  for (const score of scores) {
    // Stored scores were checked against this model version when saved.
    if (!model.dimensions.some((d) => d.key === score.dimensionKey)) continue;
    const sheet = sheets.get(score.assessorId) ?? {};
    sheet[score.dimensionKey] = score;
    sheets.set(score.assessorId, sheet);
  }
  const consensus = assessmentConsensus(model, [...sheets.values()] as AssessorSheet[]);
  return { sheets, consensus };
}

// ---------------------------------------------------------------------------
// Reading an assessment
// ---------------------------------------------------------------------------

export interface AttachmentInfo {
  id: string;
  dimensionKey: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedBy: { id: string; name: string } | null;
  createdAt: Date;
}

export interface AssessmentView {
  id: string;
  title: string;
  assessedOn: string;
  status: MaturityStatus;
  model: ModelRef & { definition: MaturityModel };
  createdBy: string | null;
  finalisedBy: { id: string; name: string } | null;
  finalisedAt: Date | null;
  finalNote: string;
  assessors: {
    id: string;
    name: string;
    scores: Record<string, Omit<SheetRow, "assessorId" | "assessorName" | "dimensionKey">>;
  }[];
  dimensions: {
    key: string;
    name: string;
    consensus: Consensus | null;
    /** Set once final. */
    final: { level: number | null; consensusLevel: number | null; overridden: boolean } | null;
    target: { level: number; date: string | null } | null;
    attachments: AttachmentInfo[];
  }[];
  /** The levels the index and gaps use: the final levels, or the consensus while open. */
  levels: Record<string, number | null>;
  index: MaturityIndex;
  gaps: Gap[];
}

export async function getAssessment(
  db: DbOrTx,
  { workspaceId, id, today = todayUtc() }: { workspaceId: string; id: string; today?: string },
): Promise<AssessmentView> {
  const { row, model } = await loadAssessment(db, workspaceId, id);
  const { sheets, consensus } = await consensusOf(db, workspaceId, id, model);
  const [finals, targets, attachments, finaliser] = await Promise.all([
    db
      .select()
      .from(maturityFinalLevels)
      .where(and(eq(maturityFinalLevels.workspaceId, workspaceId), eq(maturityFinalLevels.assessmentId, id))),
    assessmentTargets(db, workspaceId, id),
    listAttachments(db, workspaceId, id),
    row.finalisedBy
      ? db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.finalisedBy))
      : Promise.resolve([]),
  ]);
  const finalByKey = new Map(finals.map((f) => [f.dimensionKey, f]));
  const levels: Record<string, number | null> =
    row.status === "final"
      ? Object.fromEntries(model.dimensions.map((d) => [d.key, finalByKey.get(d.key)?.level ?? null]))
      : consensus.levels;

  return {
    id: row.id,
    title: row.title,
    assessedOn: row.assessedOn,
    status: row.status,
    model: { modelId: row.modelId, version: row.modelVersion, definition: model },
    createdBy: row.createdBy,
    finalisedBy: finaliser[0] ?? null,
    finalisedAt: row.finalisedAt,
    finalNote: row.finalNote,
    assessors: [...sheets.entries()].map(([assessorId, sheet]) => {
      const first = Object.values(sheet)[0];
      return {
        id: assessorId,
        name: first?.assessorName ?? "Former member",
        scores: Object.fromEntries(
          Object.entries(sheet).map(
            ([key, { assessorId: _a, assessorName: _n, dimensionKey: _d, ...score }]) => [key, score],
          ),
        ),
      };
    }),
    dimensions: model.dimensions.map((d) => {
      const final = finalByKey.get(d.key);
      const target = targets[d.key];
      return {
        key: d.key,
        name: d.name,
        consensus: consensus.dimensions[d.key] ?? null,
        final: final
          ? {
              level: final.level,
              consensusLevel: final.consensusLevel,
              overridden: final.level !== final.consensusLevel,
            }
          : null,
        target: target ? { level: target.target, date: target.targetDate } : null,
        attachments: attachments.filter((a) => a.dimensionKey === d.key),
      };
    }),
    levels,
    index: maturityIndex(model, levels),
    gaps: gaps(model, targetsWithCurrent(model, targets, levels), today),
  };
}

/** Targets by dimension key (only the dimensions of the model). */
export async function assessmentTargets(
  db: DbOrTx,
  workspaceId: string,
  assessmentId: string,
): Promise<Record<string, { target: number; targetDate: string | null }>> {
  const rows = await db
    .select({
      dimensionKey: maturityTargets.dimensionKey,
      target: maturityTargets.targetLevel,
      targetDate: maturityTargets.targetDate,
    })
    .from(maturityTargets)
    .where(and(eq(maturityTargets.workspaceId, workspaceId), eq(maturityTargets.assessmentId, assessmentId)));
  return Object.fromEntries(
    rows.map((r) => [r.dimensionKey, { target: r.target, targetDate: r.targetDate }]),
  );
}

/** The input gaps() takes: every dimension with its current level and target. */
export function targetsWithCurrent(
  model: MaturityModel,
  targets: Record<string, { target: number; targetDate: string | null }>,
  levels: Record<string, number | null>,
) {
  return Object.fromEntries(
    model.dimensions.map((d) => [
      d.key,
      {
        current: levels[d.key] ?? null,
        target: targets[d.key]?.target ?? null,
        targetDate: targets[d.key]?.targetDate ?? null,
      },
    ]),
  );
}

// ---------------------------------------------------------------------------
// Attachments: evidence files stored in the database
// ---------------------------------------------------------------------------

export async function addAttachment(
  db: DbOrTx,
  input: {
    workspaceId: string;
    assessmentId: string;
    userId: string;
    dimensionKey: string;
    fileName: string;
    data: Buffer;
  },
): Promise<AttachmentInfo> {
  // Locked like a score: evidence cannot slip in while the assessment is being finalised.
  const { row, model } = await loadAssessment(db, input.workspaceId, input.assessmentId, true);
  requireOpen(row, "add evidence");
  const issues: Issue[] = [];
  const dimension = dimensionIssue(model, input.dimensionKey);
  if (dimension) issues.push({ path: "dimensionKey", message: dimension });
  const type = attachmentType(input.fileName);
  if ("issue" in type) issues.push({ path: "fileName", message: type.issue });
  if (input.data.length === 0) issues.push({ path: "data", message: "the file is empty" });
  const mismatch = attachmentContentIssue(input.fileName, input.data);
  if (mismatch) issues.push({ path: "data", message: mismatch });
  if (input.data.length > MAX_ATTACHMENT_BYTES)
    issues.push({
      path: "data",
      message: `the file is ${(input.data.length / 1024 / 1024).toFixed(1)} MB; evidence files can be at most 5 MB`,
    });
  if (issues.length > 0 || "issue" in type) refuse("The file was not attached", issues);
  const [saved] = await db
    .insert(maturityAttachments)
    .values({
      workspaceId: input.workspaceId,
      assessmentId: input.assessmentId,
      dimensionKey: input.dimensionKey,
      uploadedBy: input.userId,
      fileName: input.fileName,
      contentType: type.contentType,
      size: input.data.length,
      data: input.data,
    })
    .returning({ id: maturityAttachments.id, createdAt: maturityAttachments.createdAt });
  const [uploader] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.id, input.userId));
  return {
    id: saved!.id,
    dimensionKey: input.dimensionKey,
    fileName: input.fileName,
    contentType: type.contentType,
    size: input.data.length,
    uploadedBy: uploader ?? null,
    createdAt: saved!.createdAt,
  };
}

async function listAttachments(
  db: DbOrTx,
  workspaceId: string,
  assessmentId: string,
): Promise<AttachmentInfo[]> {
  const rows = await db
    .select({
      id: maturityAttachments.id,
      dimensionKey: maturityAttachments.dimensionKey,
      fileName: maturityAttachments.fileName,
      contentType: maturityAttachments.contentType,
      size: maturityAttachments.size,
      uploaderId: users.id,
      uploaderName: users.name,
      createdAt: maturityAttachments.createdAt,
    })
    .from(maturityAttachments)
    .leftJoin(users, eq(users.id, maturityAttachments.uploadedBy))
    .where(
      and(
        eq(maturityAttachments.workspaceId, workspaceId),
        eq(maturityAttachments.assessmentId, assessmentId),
      ),
    )
    .orderBy(asc(maturityAttachments.createdAt));
  return rows.map(({ uploaderId, uploaderName, ...row }) => ({
    ...row,
    uploadedBy: uploaderId && uploaderName ? { id: uploaderId, name: uploaderName } : null,
  }));
}

/** One file with its bytes, for download. */
export async function getAttachment(
  db: DbOrTx,
  { workspaceId, id }: { workspaceId: string; id: string },
): Promise<{ fileName: string; contentType: string; size: number; data: Buffer }> {
  const [row] = await db
    .select({
      fileName: maturityAttachments.fileName,
      contentType: maturityAttachments.contentType,
      size: maturityAttachments.size,
      data: maturityAttachments.data,
    })
    .from(maturityAttachments)
    .where(and(eq(maturityAttachments.workspaceId, workspaceId), eq(maturityAttachments.id, id)));
  if (!row) throw new NotFoundError("That evidence file does not exist.");
  return row;
}

/** Evidence of an open assessment can be taken away again; a final one keeps what it was judged on. */
export async function removeAttachment(
  db: DbOrTx,
  { workspaceId, id }: { workspaceId: string; id: string },
): Promise<{ fileName: string }> {
  const [file] = await db
    .select({ assessmentId: maturityAttachments.assessmentId, fileName: maturityAttachments.fileName })
    .from(maturityAttachments)
    .where(and(eq(maturityAttachments.workspaceId, workspaceId), eq(maturityAttachments.id, id)));
  if (!file) throw new NotFoundError("That evidence file does not exist.");
  const { row } = await loadAssessment(db, workspaceId, file.assessmentId, true);
  requireOpen(row, "remove evidence");
  await db
    .delete(maturityAttachments)
    .where(and(eq(maturityAttachments.workspaceId, workspaceId), eq(maturityAttachments.id, id)));
  return { fileName: file.fileName };
}

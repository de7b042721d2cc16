import "server-only";
import { z } from "zod";
import { initiativeLinkKinds, initiativeStatuses } from "~/db/enums";
import {
  addAttachment,
  createAssessment,
  finaliseAssessment,
  getAssessment,
  listAssessments,
  MAX_ATTACHMENT_BYTES,
  removeAssessment,
  removeAttachment,
  saveScores,
  setTarget,
} from "~/server/maturity/assessments";
import { indicatorsByDimension, workspaceIndicators } from "~/server/maturity/indicator-data";
import {
  createInitiative,
  listInitiatives,
  removeInitiative,
  updateInitiative,
} from "~/server/maturity/initiatives";
import { builtInModel, MAX_LEVELS, ZModelKey, ZModelName } from "~/server/maturity/model";
import { buildScorecard } from "~/server/maturity/scorecard";
import { confidences } from "~/server/maturity/scoring";
import {
  copyIntoCustomModel,
  getModelVersion,
  listModels,
  listModelVersions,
  saveModelVersion,
} from "~/server/maturity/store";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";

// Maturity (issue 7): models, assessments with each assessor's sheet and
// evidence, initiatives, indicators from the workspace's data and the
// executive scorecard. Everyone in the workspace reads; editors and admins
// assess; only admins edit models and remove assessments. Rules live in
// server/maturity/; these procedures validate the shape of the input.

const id = (what: string) => z.uuid(`That is not ${what} id`);
const day = (what: string) => z.iso.date(`Give ${what} as YYYY-MM-DD`);
const level = z
  .number()
  .int("A level is a whole number")
  .min(1, "Levels start at 1")
  .max(MAX_LEVELS, `A model has at most ${MAX_LEVELS} levels`);
const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} has at most ${max.toLocaleString("en")} characters`);

/** modelId null (or left out): the built-in model. */
const ZModelRef = z.object({
  modelId: id("a model").nullable().default(null),
  version: z.number().int().positive().optional(),
});

export const ZCopyModelInput = z.object({
  from: ZModelRef.default({ modelId: null }),
  name: ZModelName,
});
export const ZSaveModelVersionInput = z.object({ modelId: id("a model"), definition: z.unknown() });

export const ZCreateAssessmentInput = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Give the assessment a title")
    .max(200, "A title has at most 200 characters"),
  assessedOn: day("the assessment date"),
  modelId: id("a model").nullable().default(null),
  modelVersion: z.number().int().positive().optional(),
});

const ZAssessmentId = z.object({ id: id("an assessment") });

const ZLink = z
  .url({ protocol: /^https?$/, error: "Evidence links are web addresses starting with http:// or https://" })
  .max(2000, "A link has at most 2,000 characters");

export const ZScoreInput = z.object({
  dimensionKey: ZModelKey,
  level: level.nullable(),
  confidence: z
    .enum(confidences, `Confidence is one of ${confidences.join(", ")}`)
    .nullable()
    .default(null),
  notes: text(5000, "A note").default(""),
  evidenceText: text(5000, "The evidence").default(""),
  evidenceLinks: z.array(ZLink).max(20, "At most 20 links per dimension").default([]),
});
export const ZSaveScoresInput = z.object({
  assessmentId: id("an assessment"),
  scores: z.array(ZScoreInput).min(1, "Give at least one score").max(50),
});

export const ZSetTargetInput = z.object({
  assessmentId: id("an assessment"),
  dimensionKey: ZModelKey,
  targetLevel: level.nullable(),
  targetDate: day("the target date").nullable().default(null),
});

export const ZFinaliseInput = z.object({
  assessmentId: id("an assessment"),
  /** The reviewer's level where it differs from the consensus; null leaves the dimension unscored. */
  overrides: z.record(ZModelKey, level.nullable()).default({}),
  note: text(5000, "The reviewer's note").default(""),
});

// base64 of 5 MB, plus padding: a larger upload is refused before it is decoded.
const MAX_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;
export const ZUploadAttachmentInput = z.object({
  assessmentId: id("an assessment"),
  dimensionKey: ZModelKey,
  fileName: z
    .string()
    .trim()
    .min(1, "The file needs a name")
    .max(255, "A file name has at most 255 characters"),
  base64: z
    .string()
    .max(MAX_BASE64, "Evidence files can be at most 5 MB")
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "The file must be sent as base64"),
});
const ZAttachmentId = z.object({ id: id("an evidence file") });

const statuses = initiativeStatuses;
export const ZInitiativeData = z.object({
  dimensionKey: ZModelKey,
  title: z
    .string()
    .trim()
    .min(1, "Give the initiative a title")
    .max(200, "A title has at most 200 characters"),
  description: text(5000, "A description").default(""),
  ownerId: id("a member").nullable().default(null),
  ownerName: text(120, "An owner's name")
    .nullable()
    .default(null)
    .transform((name) => name || null),
  status: z.enum(statuses, `The status is one of ${statuses.join(", ")}`).default("planned"),
  dueDate: day("the due date").nullable().default(null),
  links: z
    .array(z.object({ kind: z.enum(initiativeLinkKinds), targetId: z.uuid("That is not an id") }))
    .max(50, "At most 50 segments and journeys per initiative")
    .default([]),
});
const ZInitiativeId = z.object({ id: id("an initiative") });

export const ZIndicatorsInput = z.object({
  /** Shows the indicators beside this assessment's levels, in its model. */
  assessmentId: id("an assessment").optional(),
  /** Recompute now rather than use figures up to an hour old. */
  refresh: z.boolean().default(false),
});

const modelRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read").query(({ ctx }) => listModels(ctx.db, ctx.workspaceId)),

  get: workspaceProcedure("workspace:read")
    .input(ZModelRef)
    .query(({ ctx, input }) =>
      getModelVersion(ctx.db, {
        workspaceId: ctx.workspaceId,
        modelId: input.modelId,
        version: input.version,
      }),
    ),

  /** A custom model's saved versions, newest first. */
  versions: workspaceProcedure("workspace:read")
    .input(z.object({ modelId: id("a model") }))
    .query(({ ctx, input }) =>
      listModelVersions(ctx.db, { workspaceId: ctx.workspaceId, modelId: input.modelId }),
    ),

  copy: workspaceProcedure("settings:manage")
    .input(ZCopyModelInput)
    .mutation(async ({ ctx, input }) => {
      const copy = await copyIntoCustomModel(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        from: input.from,
        name: input.name,
      });
      ctx.audit({
        summary: `copied a maturity model into “${copy.name}”`,
        details: { modelId: copy.modelId },
      });
      return copy;
    }),

  saveVersion: workspaceProcedure("settings:manage")
    .input(ZSaveModelVersionInput)
    .mutation(async ({ ctx, input }) => {
      const saved = await saveModelVersion(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        modelId: input.modelId,
        definition: input.definition,
      });
      ctx.audit({
        summary: `saved version ${saved.version} of the maturity model “${saved.name}”`,
        details: { modelId: saved.modelId, version: saved.version },
      });
      return saved;
    }),
});

const assessmentRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read").query(({ ctx }) => listAssessments(ctx.db, ctx.workspaceId)),

  get: workspaceProcedure("workspace:read")
    .input(ZAssessmentId)
    .query(({ ctx, input }) => getAssessment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id })),

  create: workspaceProcedure("content:write")
    .input(ZCreateAssessmentInput)
    .mutation(async ({ ctx, input }) => {
      const created = await createAssessment(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `started the maturity assessment “${input.title}”`,
        details: { assessmentId: created.id },
      });
      return created;
    }),

  /** The caller's own sheet: there is no way to name another assessor. */
  saveScores: workspaceProcedure("content:write")
    .input(ZSaveScoresInput)
    .mutation(async ({ ctx, input }) => {
      const saved = await saveScores(ctx.db, {
        workspaceId: ctx.workspaceId,
        assessmentId: input.assessmentId,
        assessorId: ctx.session.user.id,
        scores: input.scores,
      });
      ctx.audit({
        summary: `scored ${input.scores.map((s) => s.dimensionKey).join(", ")} in a maturity assessment`,
        details: { assessmentId: input.assessmentId },
      });
      return saved;
    }),

  setTarget: workspaceProcedure("content:write")
    .input(ZSetTargetInput)
    .mutation(async ({ ctx, input }) => {
      await setTarget(ctx.db, { ...input, workspaceId: ctx.workspaceId, userId: ctx.session.user.id });
      ctx.audit({
        summary:
          input.targetLevel === null
            ? `cleared the target of ${input.dimensionKey}`
            : `set the target of ${input.dimensionKey} to level ${input.targetLevel}${input.targetDate ? ` by ${input.targetDate}` : ""}`,
        details: { assessmentId: input.assessmentId },
      });
      return { ok: true };
    }),

  finalise: workspaceProcedure("content:write")
    .input(ZFinaliseInput)
    .mutation(async ({ ctx, input }) => {
      const result = await finaliseAssessment(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `finalised the maturity assessment “${result.title}” (index ${result.index ?? "–"})`,
        details: { assessmentId: input.assessmentId, levels: result.levels },
      });
      return result;
    }),

  remove: workspaceProcedure("settings:manage")
    .input(ZAssessmentId)
    .mutation(async ({ ctx, input }) => {
      const { title } = await removeAssessment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `removed the open maturity assessment “${title}”`,
        details: { assessmentId: input.id },
      });
      return { id: input.id };
    }),
});

const attachmentRouter = createTRPCRouter({
  upload: workspaceProcedure("content:write")
    .input(ZUploadAttachmentInput)
    .mutation(async ({ ctx, input }) => {
      const file = await addAttachment(ctx.db, {
        workspaceId: ctx.workspaceId,
        assessmentId: input.assessmentId,
        userId: ctx.session.user.id,
        dimensionKey: input.dimensionKey,
        fileName: input.fileName,
        data: Buffer.from(input.base64, "base64"),
      });
      ctx.audit({
        summary: `attached “${file.fileName}” as evidence for ${file.dimensionKey}`,
        details: { assessmentId: input.assessmentId, attachmentId: file.id, size: file.size },
      });
      return file;
    }),

  remove: workspaceProcedure("content:write")
    .input(ZAttachmentId)
    .mutation(async ({ ctx, input }) => {
      const { fileName } = await removeAttachment(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `removed the evidence file “${fileName}”`,
        details: { attachmentId: input.id },
      });
      return { id: input.id };
    }),
});

const initiativeRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read")
    .input(z.object({ dimensionKey: ZModelKey.optional() }))
    .query(({ ctx, input }) =>
      listInitiatives(ctx.db, { workspaceId: ctx.workspaceId, dimensionKey: input.dimensionKey }),
    ),

  create: workspaceProcedure("content:write")
    .input(ZInitiativeData)
    .mutation(async ({ ctx, input }) => {
      const created = await createInitiative(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `added the initiative “${input.title}” for ${input.dimensionKey}`,
        details: { initiativeId: created.id },
      });
      return created;
    }),

  update: workspaceProcedure("content:write")
    .input(ZInitiativeId.extend({ data: ZInitiativeData }))
    .mutation(async ({ ctx, input }) => {
      await updateInitiative(ctx.db, { workspaceId: ctx.workspaceId, id: input.id, data: input.data });
      ctx.audit({
        summary: `changed the initiative “${input.data.title}” (${input.data.status})`,
        details: { initiativeId: input.id },
      });
      return { id: input.id };
    }),

  remove: workspaceProcedure("content:write")
    .input(ZInitiativeId)
    .mutation(async ({ ctx, input }) => {
      const { title } = await removeInitiative(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `removed the initiative “${title}”`,
        details: { initiativeId: input.id },
      });
      return { id: input.id };
    }),
});

export const maturityRouter = createTRPCRouter({
  model: modelRouter,
  assessment: assessmentRouter,
  attachment: attachmentRouter,
  initiative: initiativeRouter,

  /** Evidence from data beside the self-scores of an assessment (or the built-in model without one). */
  indicators: workspaceProcedure("workspace:read")
    .input(ZIndicatorsInput)
    .query(async ({ ctx, input }) => {
      const assessment = input.assessmentId
        ? await getAssessment(ctx.db, { workspaceId: ctx.workspaceId, id: input.assessmentId })
        : null;
      const snapshot = await workspaceIndicators(ctx.db, {
        workspaceId: ctx.workspaceId,
        refresh: input.refresh,
      });
      return indicatorsByDimension(
        assessment?.model.definition ?? builtInModel,
        snapshot,
        assessment?.levels,
      );
    }),

  scorecard: workspaceProcedure("workspace:read").query(({ ctx }) =>
    buildScorecard(ctx.db, { workspaceId: ctx.workspaceId, userId: ctx.session.user.id }),
  ),
});

import "server-only";
import { z } from "zod";
import { MAX_ATTACHMENT_BYTES } from "~/server/maturity/assessments";
import { day, id, text, ZReviewerNote } from "~/server/maturity/form-inputs";
import { MAX_LEVELS, ZModelKey, ZModelName } from "~/server/maturity/model";
import { confidences } from "~/server/maturity/scoring";

// The inputs of the maturity procedures: their shapes and the messages a
// form shows for each field. Rules live in server/maturity/; the shapes the
// browser's forms check with too are in server/maturity/form-inputs.ts.

export { day, id, statuses, text, ZInitiativeData } from "~/server/maturity/form-inputs";

export const level = z
  .number()
  .int("A level is a whole number")
  .min(1, "Levels start at 1")
  .max(MAX_LEVELS, `A model has at most ${MAX_LEVELS} levels`);

/** modelId null (or left out): the built-in model. */
export const ZModelRef = z.object({
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

export const ZAssessmentId = z.object({ id: id("an assessment") });

export const ZLink = z
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
  note: ZReviewerNote,
});

// base64 of 5 MB, plus padding: a larger upload is refused before it is decoded.
export const MAX_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;
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
export const ZAttachmentId = z.object({ id: id("an evidence file") });

export const ZInitiativeId = z.object({ id: id("an initiative") });

export const ZIndicatorsInput = z.object({
  /** Shows the indicators beside this assessment's levels, in its model. */
  assessmentId: id("an assessment").optional(),
  /** Recompute now rather than use figures up to an hour old. */
  refresh: z.boolean().default(false),
});

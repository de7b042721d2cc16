import { z } from "zod";
import { initiativeLinkKinds, initiativeStatuses, maturityStatuses } from "~/db/enums";
import type {
  addAttachment,
  createAssessment,
  finaliseAssessment,
  getAssessment,
  listAssessments,
  saveScores,
} from "~/server/maturity/assessments";
import type { indicatorsByDimension } from "~/server/maturity/indicator-data";
import type { IndicatorUnit } from "~/server/maturity/indicators";
import type { listInitiatives } from "~/server/maturity/initiatives";
import { ZImpactMetric } from "~/server/journeys/impact/outputs";
import { ZMaturityModel } from "~/server/maturity/model";
import type { buildScorecard } from "~/server/maturity/scorecard";
import { confidences, type Agreement } from "~/server/maturity/scoring";
import type { getModelVersion, listModels, listModelVersions } from "~/server/maturity/store";
import { describes, ZInstant, ZNamedRef, type Resolved } from "~/server/output-schemas";

// What the maturity procedures return. Models are checked again on the way out
// (ZMaturityModel): only models that passed it on the way in are stored.

/** YYYY-MM-DD. */
const day = z.string();
const level = z.number();
/** 0 to 100; null when nothing is scored. */
const index = z.number().nullable();
/** Levels by dimension key; null where a dimension is not scored. */
const ZLevels = z.record(z.string(), level.nullable());

export const ZModelRef = z.object({ modelId: z.string().nullable(), version: z.number() });

export const ZModelSummary = ZModelRef.extend({
  key: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  levels: z.number(),
  dimensions: z.number(),
  createdAt: ZInstant.nullable(),
});
export const ZModelSummaries = describes<Resolved<typeof listModels>>()(z.array(ZModelSummary));

export const ZModelVersion = describes<Resolved<typeof getModelVersion>>()(
  z.object({ ref: ZModelRef, model: ZMaturityModel }),
);

export const ZModelVersions = describes<Resolved<typeof listModelVersions>>()(
  z.array(
    ZModelSummary.pick({ version: true, name: true, levels: true, dimensions: true }).extend({
      createdAt: ZInstant,
      createdBy: z.string().nullable(),
    }),
  ),
);

const ZAssessmentHead = z.object({
  id: z.string(),
  title: z.string(),
  assessedOn: day,
  status: z.enum(maturityStatuses),
  finalisedAt: ZInstant.nullable(),
});

export const ZAssessmentList = describes<Resolved<typeof listAssessments>>()(
  z.array(
    ZAssessmentHead.extend({
      modelId: z.string().nullable(),
      modelVersion: z.number(),
      modelName: z.string(),
      assessors: z.number(),
      index,
    }),
  ),
);

export const ZAttachment = describes<Resolved<typeof addAttachment>>()(
  z.object({
    id: z.string(),
    dimensionKey: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number(),
    uploadedBy: ZNamedRef.nullable(),
    createdAt: ZInstant,
  }),
);

/** One assessor's score of one dimension. */
const ZSheetScore = z.object({
  level: level.nullable(),
  confidence: z.enum(confidences).nullable(),
  notes: z.string(),
  evidenceText: z.string(),
  evidenceLinks: z.array(z.string()),
  updatedAt: ZInstant,
});

const agreements = ["agree", "close", "disagree"] as const;

const ZGap = z.object({
  dimensionKey: z.string(),
  name: z.string(),
  current: level,
  target: level,
  gap: z.number(),
  targetDate: day.nullable(),
  overdue: z.boolean(),
});

export const ZAssessment = describes<Resolved<typeof getAssessment>>()(
  ZAssessmentHead.extend({
    model: ZModelRef.extend({ definition: ZMaturityModel }),
    createdBy: z.string().nullable(),
    finalisedBy: ZNamedRef.nullable(),
    finalNote: z.string(),
    assessors: z.array(ZNamedRef.extend({ scores: z.record(z.string(), ZSheetScore) })),
    dimensions: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        consensus: z
          .object({
            level,
            tied: z.boolean(),
            spread: z.number(),
            agreement: describes<Agreement>()(z.enum(agreements)),
            weightedMean: z.number(),
            assessors: z.number(),
          })
          .nullable(),
        final: z
          .object({ level: level.nullable(), consensusLevel: level.nullable(), overridden: z.boolean() })
          .nullable(),
        target: z.object({ level, date: day.nullable() }).nullable(),
        attachments: z.array(ZAttachment),
      }),
    ),
    levels: ZLevels,
    index: z.object({ index, scored: z.array(z.string()), missing: z.array(z.string()) }),
    gaps: z.array(ZGap),
  }),
);

export const ZCreatedAssessment = describes<Resolved<typeof createAssessment>>()(
  z.object({ id: z.string(), model: ZModelRef }),
);
export const ZSavedScores = describes<Resolved<typeof saveScores>>()(z.object({ saved: z.number() }));
export const ZDone = z.object({ ok: z.boolean() });
export const ZFinalisedAssessment = describes<Resolved<typeof finaliseAssessment>>()(
  z.object({ title: z.string(), levels: ZLevels, index }),
);

const ZInitiative = z.object({
  id: z.string(),
  dimensionKey: z.string(),
  title: z.string(),
  description: z.string(),
  /** A member, or a name typed in (id null). */
  owner: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  status: z.enum(initiativeStatuses),
  dueDate: day.nullable(),
  links: z.array(z.object({ kind: z.enum(initiativeLinkKinds), targetId: z.string(), name: z.string() })),
  createdAt: ZInstant,
  updatedAt: ZInstant,
});
export const ZInitiatives = describes<Resolved<typeof listInitiatives>>()(z.array(ZInitiative));

const indicatorUnits = ["percent", "days"] as const;

/** An indicator's reading; something that never happened is infinitely long ago (Infinity days). */
const reading = z.union([z.number(), z.literal(Infinity)]);

export const ZIndicators = describes<ReturnType<typeof indicatorsByDimension>>()(
  z.object({
    asOf: z.string(),
    dimensions: z.array(
      z.object({
        dimensionKey: z.string(),
        name: z.string(),
        indicators: z.array(
          z.object({
            key: z.string(),
            name: z.string(),
            definition: z.string(),
            unit: describes<IndicatorUnit>()(z.enum(indicatorUnits)),
            thresholds: z.array(z.number().nullable()).readonly(),
            value: z.number().nullable(),
            level: level.nullable(),
            note: z.string().nullable(),
          }),
        ),
        suggested: z
          .object({
            level,
            limitedBy: z.array(z.string()),
            readings: z.array(z.object({ key: z.string(), value: reading, level })),
          })
          .nullable(),
        selfScore: level.nullable(),
        disagreement: z.string().nullable(),
      }),
    ),
  }),
);

const ZAssessmentPoint = z.object({ assessedOn: day, assessmentId: z.string() });

export const ZScorecard = describes<Resolved<typeof buildScorecard>>()(
  z.object({
    workspace: ZNamedRef,
    current: z
      .object({
        id: z.string(),
        title: z.string(),
        assessedOn: day,
        modelName: z.string(),
        modelVersion: z.number(),
      })
      .nullable(),
    previous: z.object({ id: z.string(), title: z.string(), assessedOn: day }).nullable(),
    levels: z.array(z.object({ level, name: z.string() })),
    index: z.object({ current: index, previous: index, delta: z.number().nullable() }),
    dimensions: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        current: level.nullable(),
        currentName: z.string().nullable(),
        target: level.nullable(),
        targetDate: day.nullable(),
        previous: level.nullable(),
        delta: z.number().nullable(),
      }),
    ),
    sameDimensions: z.boolean(),
    trend: z.array(
      z.object({ key: z.string(), name: z.string(), points: z.array(ZAssessmentPoint.extend({ level })) }),
    ),
    indexTrend: z.array(ZAssessmentPoint.extend({ index })),
    topGaps: z.array(
      ZGap.extend({
        initiatives: z.array(
          ZInitiative.pick({ id: true, title: true, status: true, dueDate: true, owner: true }),
        ),
      }),
    ),
    valueTrend: z.array(
      z.object({
        fittedAt: z.string(),
        calibrationEnd: day,
        customers: z.number(),
        predictedValue: z.number(),
      }),
    ),
    journeyLift: z.array(
      z.object({
        journeyId: z.string(),
        name: z.string(),
        customers: z.number(),
        conversion: ZImpactMetric.nullable(),
        revenue: ZImpactMetric.nullable(),
        clvChange: ZImpactMetric.nullable(),
        provenLift: z.boolean(),
        provenValueLift: z.boolean(),
      }),
    ),
    businessUnits: z.object({
      dimensions: z.array(z.object({ key: z.string(), name: z.string() })),
      rows: z.array(
        z.object({
          workspaceId: z.string(),
          name: z.string(),
          assessedOn: day.nullable(),
          modelName: z.string().nullable(),
          index,
          levels: ZLevels,
        }),
      ),
    }),
  }),
);

import { z } from "zod";
import { describes, ZChannel, ZInstant, ZNamedRef, type Resolved } from "~/server/output-schemas";
import type { journeyFigures } from "./journeys";
import type { dashboardSummary } from "./summary";

// What dashboard.summary (./summary.ts) and dashboard.journeys (./journeys.ts) return.

const ZCustomerFigures = z.object({
  customers: z.number(),
  activeCustomers: z.number(),
  profiles: z.number(),
  mergedProfiles: z.number(),
  identifiedCustomers: z.number(),
});

const ZEventActivity = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), events: z.number() })),
  total: z.number(),
  channels: z.array(z.object({ channel: ZChannel, count: z.number(), share: z.number() })),
});

const ZValueFigure = z.object({
  fittedAt: ZInstant.nullable(),
  calibrationEnd: z.string(),
  horizonWeeks: z.number(),
  customers: z.number(),
  predictedValue: z.number(),
  atRiskValue: z.number(),
  atRiskShare: z.number().nullable(),
});

const ZSegmentFigure = z.object({
  id: z.string(),
  name: z.string(),
  members: z.number(),
  membersBefore: z.number().nullable(),
  since: z.string().nullable(),
  change: z.number().nullable(),
  refreshedAt: ZInstant.nullable(),
});

const ZStageReach = z.object({ name: z.string(), reached: z.number() });

export const ZJourneyFigures = describes<Resolved<typeof journeyFigures>>()(
  z.object({
    window: z.object({ from: ZInstant, to: ZInstant }),
    published: z.number(),
    journeys: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        segment: ZNamedRef,
        version: z.number(),
        members: z.number(),
        computed: z.boolean(),
        conversion: z
          .object({ firstStage: ZStageReach, lastStage: ZStageReach, rate: z.number().nullable() })
          .nullable(),
      }),
    ),
  }),
);

const ZMaturityFigure = z.object({
  assessment: z.object({ id: z.string(), title: z.string(), assessedOn: z.string() }).nullable(),
  index: z.number().nullable(),
  previousIndex: z.number().nullable(),
  targetIndex: z.number().nullable(),
  openGaps: z.number(),
});

export const ZDashboardSummary = describes<Resolved<typeof dashboardSummary>>()(
  z.object({
    customers: ZCustomerFigures,
    activity: ZEventActivity,
    value: ZValueFigure.nullable(),
    segments: z.array(ZSegmentFigure),
    maturity: ZMaturityFigure,
    empty: z.boolean(),
  }),
);

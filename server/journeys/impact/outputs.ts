import { z } from "zod";
import { journeyRunStatuses } from "~/db/enums";
import { describes, ZInstant, type Resolved } from "~/server/output-schemas";
import type { journeyImpact } from "./impact";

// What journey.impact returns.

const ZInterval = z.object({ difference: z.number(), low: z.number(), high: z.number() });

export const ZImpactMetric = z.object({
  key: z.enum(["conversion", "purchases", "revenue", "clvChange", "pAliveChange"]),
  kind: z.enum(["proportion", "mean"]),
  treatment: z.object({ n: z.number(), value: z.number() }),
  holdout: z.object({ n: z.number(), value: z.number() }),
  interval: ZInterval.nullable(),
  significant: z.enum(["higher", "lower"]).nullable(),
  incremental: z
    .object({ customers: z.number(), total: z.number(), low: z.number(), high: z.number() })
    .nullable(),
  entrantsNeeded: z.number().nullable(),
});

export const ZJourneyImpact = describes<Resolved<typeof journeyImpact>>()(
  z.object({
    windowDays: z.number(),
    measuredAt: ZInstant,
    run: z
      .object({ status: z.enum(journeyRunStatuses), holdoutPercent: z.number(), startedAt: ZInstant })
      .nullable(),
    goal: z.object({ event: z.string(), channel: z.string().nullable() }).nullable(),
    counted: z.object({ treatment: z.number(), holdout: z.number() }),
    waiting: z.number(),
    comparisons: z.array(
      z.object({
        branchNodeId: z.string().nullable(),
        variant: z.string().nullable(),
        againstVariant: z.string().nullable(),
        metrics: z.array(ZImpactMetric),
      }),
    ),
  }),
);

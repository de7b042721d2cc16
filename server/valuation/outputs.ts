import { z } from "zod";
import { valueFitStatuses, valueSchedules } from "~/db/enums";
import { describes, ZRfmGroup, type Resolved } from "~/server/output-schemas";
import type { getCustomerValue, getOverview, getPortfolio } from "./fits";
import type { setSchedule } from "./schedule";

// What the customer-value procedures return (the shapes of ./types.ts). Days
// and instants are ISO strings here, as the fits store them.

const ZSchedule = z.enum(valueSchedules);

/** The model parameters as the page shows them; a fit stores more (iterations, groups). */
const ZBgNbd = z.object({
  r: z.number(),
  alpha: z.number(),
  a: z.number(),
  b: z.number(),
  logLikelihood: z.number(),
  converged: z.boolean(),
});
const ZGammaGamma = z.object({
  p: z.number(),
  q: z.number(),
  gamma: z.number(),
  logLikelihood: z.number(),
  converged: z.boolean(),
});

const ZValueFitSummary = z.object({
  id: z.string(),
  status: z.enum(valueFitStatuses),
  jobId: z.string().nullable(),
  progress: z
    .object({ done: z.number(), total: z.number().nullable(), message: z.string().nullable() })
    .nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  settings: z.object({ calibrationEnd: z.string(), horizonWeeks: z.number(), discountRate: z.number() }),
  dataStart: z.string().nullable(),
  dataEnd: z.string().nullable(),
  customers: z.number(),
  repeatCustomers: z.number(),
  bgnbd: ZBgNbd.nullable(),
  gammaGamma: ZGammaGamma.nullable(),
  timings: z
    .object({ summaryMs: z.number(), fitMs: z.number(), scoreMs: z.number(), storeMs: z.number() })
    .nullable(),
});

const ZValueDiagnostics = z.object({
  tracking: z.array(
    z.object({
      week: z.number(),
      date: z.string(),
      actual: z.number(),
      predicted: z.number(),
      holdout: z.boolean(),
    }),
  ),
  frequency: z.array(z.object({ x: z.string(), actual: z.number(), predicted: z.number() })),
  aliveHeatmap: z.object({
    frequencies: z.array(z.number()),
    recencies: z.array(z.number()),
    T: z.number(),
    values: z.array(z.array(z.number().nullable())),
  }),
});

export const ZValueScheduleState = describes<Resolved<typeof setSchedule>>()(
  z.object({ schedule: ZSchedule, nextRunAt: z.string().nullable() }),
);

export const ZValueOverview = describes<Resolved<typeof getOverview>>()(
  ZValueScheduleState.extend({
    latest: ZValueFitSummary.nullable(),
    current: ZValueFitSummary.extend({ diagnostics: ZValueDiagnostics }).nullable(),
  }),
);

const shares = { customerShare: z.number(), pastRevenueShare: z.number(), predictedValueShare: z.number() };

export const ZValuePortfolio = describes<Resolved<typeof getPortfolio>>()(
  z.object({
    fitId: z.string().nullable(),
    previousFitId: z.string().nullable(),
    rows: z.array(
      z.object({
        group: ZRfmGroup,
        customers: z.number(),
        pastRevenue: z.number(),
        predictedValue: z.number(),
        ...shares,
        previous: z.object(shares).nullable(),
      }),
    ),
    movement: z.array(z.object({ from: ZRfmGroup, to: ZRfmGroup, customers: z.number() })),
  }),
);

export const ZCustomerValue = describes<Resolved<typeof getCustomerValue>>()(
  z
    .object({
      fitId: z.string(),
      fittedAt: z.string(),
      horizonWeeks: z.number(),
      x: z.number(),
      tx: z.number(),
      T: z.number(),
      averageSpend: z.number().nullable(),
      pAlive: z.number(),
      expectedPurchases90d: z.number(),
      clv: z.number().nullable(),
      expectedSpend: z.number().nullable(),
      rfm: z.object({ recency: z.number(), frequency: z.number(), monetary: z.number(), group: ZRfmGroup }),
    })
    .nullable(),
);

export const ZStartedFit = z.object({ fitId: z.string(), jobId: z.string() });

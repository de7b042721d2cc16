import { z } from "zod";
import { valueFitPurposes, valueFitStatuses, valueModelChoices, valueSchedules } from "~/db/enums";
import { describes, ZRfmGroup, type Resolved } from "~/server/output-schemas";
import type { getCustomerValue, getOverview, getPortfolio } from "./fits";
import type { setSchedule } from "./schedule";

// What the customer-value procedures return (the shapes of ./types.ts). Days
// and instants are ISO strings here, as the fits store them.

const ZSchedule = z.enum(valueSchedules);

const ZPurchaseModelId = z.enum(["bgnbd", "mbgnbd", "pnbd"]);
const ZParams = z.array(z.object({ name: z.string(), value: z.number() }));

/** The model parameters as the page shows them; a fit stores more (iterations, groups). */
const ZPurchaseEstimate = z.object({
  model: ZPurchaseModelId,
  name: z.string(),
  params: ZParams,
  logLikelihood: z.number(),
  converged: z.boolean(),
  fitMs: z.number().nullable(),
});

const ZModelComparison = z.object({
  calibrationEnd: z.string(),
  holdoutEnd: z.string(),
  calibrationWeeks: z.number(),
  holdoutWeeks: z.number(),
  customers: z.number(),
  actualHoldout: z.number(),
  chosen: ZPurchaseModelId,
  rule: z.string(),
  evaluations: z.array(
    z.object({
      model: ZPurchaseModelId,
      name: z.string(),
      params: ZParams,
      logLikelihood: z.number(),
      aic: z.number(),
      bic: z.number(),
      trackingError: z.number().nullable(),
      holdoutMae: z.number(),
      predictedHoldout: z.number(),
      converged: z.boolean(),
      fitMs: z.number(),
    }),
  ),
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
  purpose: z.enum(valueFitPurposes),
  modelChoice: z.enum(valueModelChoices),
  purchaseModel: ZPurchaseEstimate.nullable(),
  oneTimeBuyersModel: ZPurchaseEstimate.nullable(),
  choiceReason: z.string().nullable(),
  comparison: ZModelComparison.nullable(),
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
  frequency: z.array(z.object({ x: z.string(), actual: z.number(), predicted: z.number().nullable() })),
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
    check: ZValueFitSummary.extend({ diagnostics: ZValueDiagnostics }).nullable(),
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
      calibrationEnd: z.string(),
      horizonWeeks: z.number(),
      purchaseModel: z.string().nullable(),
      tooNew: z.boolean(),
      minimumAgeDays: z.number(),
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

import "server-only";
import { z } from "zod";
import { valueModelChoices } from "~/db/enums";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { getCustomerValue, getOverview, getPortfolio, startFit } from "~/server/valuation/fits";
import { setSchedule } from "~/server/valuation/schedule";
import type { ValueSchedule } from "~/server/valuation/types";
import {
  ZCustomerValue,
  ZStartedFit,
  ZValueOverview,
  ZValuePortfolio,
  ZValueScheduleState,
} from "~/server/valuation/outputs";

// Customer value: fits of the purchase models (BG/NBD, MBG/NBD, Pareto/NBD) and Gamma-Gamma over the workspace's
// purchases (server/valuation/), their diagnostics, the RFM portfolio and one
// customer's figures. Fits run as jobs; startFit only queues one.

export const valueSchedules = ["off", "daily", "weekly"] as const satisfies readonly ValueSchedule[];

export const ZValueCustomerInput = z.object({ customerId: z.uuid("That is not a customer id") });
export const ZStartValueFitInput = z.object({
  /** Given: a holdout check with this calibration end; omitted: a live fit on all purchases. */
  calibrationEnd: z.iso.date("Give the calibration end as YYYY-MM-DD").optional(),
  model: z
    .enum(valueModelChoices, `The model is one of ${valueModelChoices.join(", ")}`)
    .default("auto"),
  horizonWeeks: z
    .number()
    .int("The horizon is a whole number of weeks")
    .min(1, "The horizon is at least 1 week")
    .max(520, "The horizon is at most 520 weeks (10 years)")
    .default(52),
  discountRate: z
    .number()
    .min(0, "The discount rate cannot be negative")
    .max(1, "The discount rate is at most 1 (100 % a year)")
    .default(0.1),
});
export const ZSetValueScheduleInput = z.object({
  schedule: z.enum(valueSchedules, `The schedule is one of ${valueSchedules.join(", ")}`),
});

export type TStartValueFitInput = z.infer<typeof ZStartValueFitInput>;
export type TSetValueScheduleInput = z.infer<typeof ZSetValueScheduleInput>;

export const valueRouter = createTRPCRouter({
  overview: workspaceProcedure("workspace:read")
    .output(ZValueOverview)
    .query(({ ctx }) => getOverview({ db: ctx.db, workspaceId: ctx.workspaceId })),

  portfolio: workspaceProcedure("workspace:read")
    .input(z.object({ segmentId: z.uuid("That is not a segment id").optional() }))
    .output(ZValuePortfolio)
    .query(({ ctx, input }) =>
      getPortfolio({ db: ctx.db, workspaceId: ctx.workspaceId, segmentId: input.segmentId }),
    ),

  customer: workspaceProcedure("workspace:read")
    .input(ZValueCustomerInput)
    .output(ZCustomerValue)
    .query(({ ctx, input }) =>
      getCustomerValue({ db: ctx.db, workspaceId: ctx.workspaceId, customerId: input.customerId }),
    ),

  startFit: workspaceProcedure("content:write")
    .input(ZStartValueFitInput)
    .output(ZStartedFit)
    .mutation(async ({ ctx, input }) => {
      const { fitId, jobId, calibrationEnd, purpose } = await startFit({
        db: ctx.db,
        workspaceId: ctx.workspaceId,
        calibrationEnd: input.calibrationEnd,
        model: input.model,
        horizonWeeks: input.horizonWeeks,
        discountRate: input.discountRate,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `started a customer-value ${purpose === "live" ? "fit" : "holdout check"} (calibration end ${calibrationEnd}, model ${input.model}, ${input.horizonWeeks} weeks, ${input.discountRate * 100} % a year)`,
        details: { fitId, jobId },
      });
      return { fitId, jobId };
    }),

  setSchedule: workspaceProcedure("content:write")
    .input(ZSetValueScheduleInput)
    .output(ZValueScheduleState)
    .mutation(async ({ ctx, input }) => {
      const result = await setSchedule({
        db: ctx.db,
        workspaceId: ctx.workspaceId,
        schedule: input.schedule,
      });
      ctx.audit({
        summary:
          input.schedule === "off"
            ? "turned off scheduled customer-value fits"
            : `scheduled customer-value fits ${input.schedule}`,
      });
      return result;
    }),
});

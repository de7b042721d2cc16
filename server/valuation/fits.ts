import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { customers, customerValues, jobs, valueFits, valueFitSchedules } from "~/db/schema";
import { ConflictError, RuleError } from "~/server/errors";
import { enqueueJob } from "~/server/jobs/jobs";
import { formatDay, parseDay, purchaseModels, rfmGroups, type RfmGroup } from "~/server/value";
import { MIN_SCORED_AGE_DAYS, purchaseEstimateOf, today } from "./model";
import { latestPurchaseDay } from "./summary";
import type {
  CustomerValue,
  PortfolioRow,
  PurchaseEstimate,
  PurchaseEstimateSummary,
  ValueFitPurpose,
  ValueModelChoice,
  ValueFitSummary,
  ValueOverview,
  ValuePortfolio,
  ValueSchedule,
} from "./types";

// Fits of a workspace: starting one (a value_fits row and the job that runs
// it, ./job.ts), and what the value pages read: the latest and current fit,
// the portfolio by RFM group, one customer's figures.

export const VALUE_FIT_JOB_KIND = "value.fit";
export const DEFAULT_HORIZON_WEEKS = 52;
export const DEFAULT_DISCOUNT_RATE = 0.1;

export interface StartFitInput {
  db: DbOrTx;
  workspaceId: string;
  /**
   * YYYY-MM-DD: a holdout check with this calibration end, which must be before the latest
   * purchase. Without it, a live fit to the day of the latest purchase.
   */
  calibrationEnd?: string;
  /** The purchase model; "auto" (default) takes the comparison's choice. */
  model?: ValueModelChoice;
  horizonWeeks?: number;
  discountRate?: number;
  /** null for the schedule. */
  userId: string | null;
  now?: Date;
}

/** Whether the workspace has a succeeded live value fit, as an SQL condition: value figures exist only then. */
export function valueFitExists(workspaceId: string) {
  return sql`exists (select 1 from value_fits f where f.workspace_id = ${workspaceId}::uuid and f.status = 'succeeded' and f.purpose = 'live')`;
}

/**
 * Queues a live fit, or a holdout check when a calibration end is given. Refuses a
 * calibration end after today or not before the latest purchase, a workspace without
 * purchases, and a second fit while one is queued or running (CONFLICT).
 */
export async function startFit(
  input: StartFitInput,
): Promise<{ fitId: string; jobId: string; calibrationEnd: string; purpose: ValueFitPurpose }> {
  const { db, workspaceId } = input;
  const todayDay = today(input.now);
  const latest = await latestPurchaseDay(db, workspaceId);
  if (latest === null) {
    throw new RuleError(
      "There are no purchases in this workspace yet: the models need purchase events (track events with an amount).",
    );
  }
  let endDay: number;
  const purpose: ValueFitPurpose = input.calibrationEnd === undefined ? "live" : "holdout";
  if (input.calibrationEnd !== undefined) {
    const day = parseDay(input.calibrationEnd);
    if (day === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(input.calibrationEnd)) {
      throw new RuleError(`“${input.calibrationEnd}” is not a date: give it as YYYY-MM-DD.`);
    }
    if (day > todayDay) {
      throw new RuleError(
        `The calibration end (${input.calibrationEnd}) is in the future: choose a day up to today (${formatDay(todayDay)}).`,
      );
    }
    if (day >= latest) {
      throw new RuleError(
        `A holdout check compares the models with the purchases after its calibration end, and there are none after ${input.calibrationEnd} (the latest is on ${formatDay(latest)}): choose an earlier day, or leave it empty for a live fit.`,
      );
    }
    endDay = day;
  } else {
    endDay = Math.min(latest, todayDay);
  }

  await failStoppedFits(db, workspaceId);
  if (await activeFit(db, workspaceId)) throw alreadyRunning();

  const fitId = randomUUID();
  const job = await enqueueJob(db, {
    workspaceId,
    kind: VALUE_FIT_JOB_KIND,
    payload: { fitId },
    createdBy: input.userId,
  });
  try {
    await db.insert(valueFits).values({
      workspaceId,
      id: fitId,
      jobId: job.id,
      calibrationEnd: formatDay(endDay),
      purpose,
      modelChoice: input.model ?? "auto",
      horizonWeeks: input.horizonWeeks ?? DEFAULT_HORIZON_WEEKS,
      discountRate: input.discountRate ?? DEFAULT_DISCOUNT_RATE,
      createdBy: input.userId,
    });
  } catch (error) {
    // Another fit was queued between the check and the insert (value_fits_active_key).
    if ((error as { code?: string }).code === "23505") throw alreadyRunning();
    throw error;
  }
  return { fitId, jobId: job.id, calibrationEnd: formatDay(endDay), purpose };
}

function alreadyRunning() {
  return new ConflictError("A fit of this workspace is already queued or running: wait for it to finish.");
}

async function activeFit(db: DbOrTx, workspaceId: string) {
  const [row] = await db
    .select({ id: valueFits.id })
    .from(valueFits)
    .where(and(eq(valueFits.workspaceId, workspaceId), sql`${valueFits.status} in ('queued', 'running')`));
  return row;
}

/**
 * Fits whose job ended without them (failed, cancelled, or gone) are failed,
 * with the job's error, so that they no longer block the next fit.
 */
export async function failStoppedFits(db: DbOrTx, workspaceId: string) {
  await db.execute(sql`
    update value_fits f set status = 'failed', finished_at = now(),
      error = coalesce(
        f.error,
        (select j.error from jobs j where j.workspace_id = f.workspace_id and j.id = f.job_id),
        'The fit stopped before it finished.')
    where f.workspace_id = ${workspaceId} and f.status in ('queued', 'running')
      and not exists (
        select 1 from jobs j where j.workspace_id = f.workspace_id and j.id = f.job_id
          and j.status in ('queued', 'running', 'paused'))`);
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

const fitColumns = {
  id: valueFits.id,
  status: valueFits.status,
  purpose: valueFits.purpose,
  modelChoice: valueFits.modelChoice,
  jobId: valueFits.jobId,
  calibrationEnd: valueFits.calibrationEnd,
  horizonWeeks: valueFits.horizonWeeks,
  discountRate: valueFits.discountRate,
  dataStart: valueFits.dataStart,
  dataEnd: valueFits.dataEnd,
  customers: valueFits.customers,
  repeatCustomers: valueFits.repeatCustomers,
  models: valueFits.models,
  timings: valueFits.timings,
  error: valueFits.error,
  createdAt: valueFits.createdAt,
  finishedAt: valueFits.finishedAt,
  previousFitId: valueFits.previousFitId,
  jobStatus: jobs.status,
  jobProgress: jobs.progress,
  jobError: jobs.error,
};

type FitRow = Awaited<ReturnType<typeof selectFits>>[number];

/** The newest fit; with a purpose, the newest succeeded fit of that purpose. */
function selectFits(db: DbOrTx, workspaceId: string, succeeded?: ValueFitPurpose) {
  return db
    .select(fitColumns)
    .from(valueFits)
    .leftJoin(jobs, and(eq(jobs.workspaceId, valueFits.workspaceId), eq(jobs.id, valueFits.jobId)))
    .where(
      and(
        eq(valueFits.workspaceId, workspaceId),
        succeeded ? and(eq(valueFits.status, "succeeded"), eq(valueFits.purpose, succeeded)) : undefined,
      ),
    )
    .orderBy(desc(valueFits.createdAt), desc(valueFits.id))
    .limit(1);
}

function toSummary(row: FitRow): ValueFitSummary {
  // A fit whose job ended without it (e.g. cancelled) reads as failed even before failStoppedFits ran.
  const stopped =
    (row.status === "queued" || row.status === "running") &&
    (row.jobStatus === null || row.jobStatus === "failed" || row.jobStatus === "cancelled");
  const progress = (row.jobProgress ?? null) as { done?: number; total?: number; message?: string } | null;
  const models = row.models;
  const purchase = models && (models.purchase || models.bgnbd) ? purchaseEstimateOf(models) : null;
  const gammaGamma = models?.gammaGamma;
  return {
    id: row.id,
    status: stopped ? "failed" : row.status,
    jobId: row.jobId,
    progress: progress
      ? { done: progress.done ?? 0, total: progress.total ?? null, message: progress.message ?? null }
      : null,
    error: row.error ?? (stopped ? (row.jobError ?? "The fit stopped before it finished.") : null),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    settings: {
      calibrationEnd: row.calibrationEnd,
      horizonWeeks: row.horizonWeeks,
      discountRate: row.discountRate,
    },
    dataStart: row.dataStart,
    dataEnd: row.dataEnd,
    customers: row.customers,
    repeatCustomers: row.repeatCustomers,
    purpose: row.purpose,
    modelChoice: row.modelChoice,
    purchaseModel: purchase && estimateSummary(purchase, models?.purchase ? purchase.fitMs : null),
    oneTimeBuyersModel: models?.oneTimeBuyers
      ? estimateSummary(models.oneTimeBuyers, models.oneTimeBuyers.fitMs)
      : null,
    choiceReason: models?.choiceReason ?? null,
    comparison: models?.comparison ?? null,
    gammaGamma: gammaGamma
      ? {
          p: gammaGamma.p,
          q: gammaGamma.q,
          gamma: gammaGamma.gamma,
          logLikelihood: gammaGamma.logLikelihood,
          converged: gammaGamma.converged,
        }
      : null,
    timings: row.timings ?? null,
  };
}

function estimateSummary(estimate: PurchaseEstimate, fitMs: number | null): PurchaseEstimateSummary {
  const model = purchaseModels[estimate.model];
  return {
    model: estimate.model,
    name: model.name,
    params: model.parameterNames.map((name) => ({ name, value: estimate.params[name]! })),
    logLikelihood: estimate.logLikelihood,
    converged: estimate.converged,
    fitMs,
  };
}

export async function getSchedule(db: DbOrTx, workspaceId: string) {
  const [row] = await db
    .select({ schedule: valueFitSchedules.schedule, nextRunAt: valueFitSchedules.nextRunAt })
    .from(valueFitSchedules)
    .where(eq(valueFitSchedules.workspaceId, workspaceId));
  return {
    schedule: (row?.schedule ?? "off") as ValueSchedule,
    nextRunAt: row?.schedule && row.schedule !== "off" ? (row.nextRunAt?.toISOString() ?? null) : null,
  };
}

export async function getOverview({
  db,
  workspaceId,
}: {
  db: DbOrTx;
  workspaceId: string;
}): Promise<ValueOverview> {
  const [[latest], [current], [check], schedule] = await Promise.all([
    selectFits(db, workspaceId),
    selectFits(db, workspaceId, "live"),
    selectFits(db, workspaceId, "holdout"),
    getSchedule(db, workspaceId),
  ]);
  const withDiagnostics = async (fit: FitRow | undefined) => {
    if (!fit) return null;
    const [row] = await db
      .select({ diagnostics: valueFits.diagnostics })
      .from(valueFits)
      .where(and(eq(valueFits.workspaceId, workspaceId), eq(valueFits.id, fit.id)));
    return row?.diagnostics ? { ...toSummary(fit), diagnostics: row.diagnostics } : null;
  };
  return {
    latest: latest ? toSummary(latest) : null,
    current: await withDiagnostics(current),
    check: await withDiagnostics(check),
    ...schedule,
  };
}

async function portfolioOfFit(db: DbOrTx, workspaceId: string, fitId: string) {
  const [row] = await db
    .select({ portfolio: valueFits.portfolio })
    .from(valueFits)
    .where(
      and(eq(valueFits.workspaceId, workspaceId), eq(valueFits.id, fitId), eq(valueFits.status, "succeeded")),
    );
  return row?.portfolio ?? null;
}

function shares(rows: { group: string; customers: number; pastRevenue: number; predictedValue: number }[]) {
  const total = { customers: 0, pastRevenue: 0, predictedValue: 0 };
  for (const row of rows) {
    total.customers += row.customers;
    total.pastRevenue += row.pastRevenue;
    total.predictedValue += row.predictedValue;
  }
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
  return new Map(
    rows.map((row) => [
      row.group,
      {
        customerShare: share(row.customers, total.customers),
        pastRevenueShare: share(row.pastRevenue, total.pastRevenue),
        predictedValueShare: share(row.predictedValue, total.predictedValue),
      },
    ]),
  );
}

export async function getPortfolio({
  db,
  workspaceId,
  segmentId,
}: {
  db: DbOrTx;
  workspaceId: string;
  /** The portfolio of this segment's members only, computed now from their value rows. */
  segmentId?: string;
}): Promise<ValuePortfolio> {
  const [current] = await selectFits(db, workspaceId, "live");
  if (current && segmentId) return segmentPortfolio(db, { workspaceId, segmentId, fitId: current.id });
  const portfolio = current ? await portfolioOfFit(db, workspaceId, current.id) : null;
  if (!current || !portfolio) return { fitId: null, previousFitId: null, rows: [], movement: [] };
  const previous = current.previousFitId
    ? await portfolioOfFit(db, workspaceId, current.previousFitId)
    : null;
  const now = shares(portfolio.rows);
  const then = previous ? shares(previous.rows) : null;
  const rows: PortfolioRow[] = portfolio.rows.map((row) => ({
    ...row,
    ...now.get(row.group)!,
    previous: then
      ? (then.get(row.group) ?? { customerShare: 0, pastRevenueShare: 0, predictedValueShare: 0 })
      : null,
  }));
  return {
    fitId: current.id,
    previousFitId: previous ? current.previousFitId : null,
    rows,
    movement: previous ? portfolio.movement : [],
  };
}

/**
 * A segment's members by RFM group, from the value rows the latest fit wrote.
 * The previous fit kept only each customer's group, so the movement table is
 * there but not the previous shares of revenue and value.
 */
async function segmentPortfolio(
  db: DbOrTx,
  input: { workspaceId: string; segmentId: string; fitId: string },
): Promise<ValuePortfolio> {
  const ws = sql`${input.workspaceId}::uuid`;
  const members = sql`from segment_members sm
    join customer_values cv on cv.workspace_id = sm.workspace_id and cv.customer_id = sm.customer_id
    where sm.workspace_id = ${ws} and sm.segment_id = ${input.segmentId}::uuid`;
  const [groups, moves] = await Promise.all([
    db.execute<{ group: RfmGroup; customers: number; past_revenue: number; predicted_value: number }>(sql`
      select cv.rfm_group as "group", count(*)::int as customers, coalesce(sum(cv.past_revenue), 0)::float8 as past_revenue,
        coalesce(sum(cv.clv), 0)::float8 as predicted_value
      ${members} group by cv.rfm_group`),
    db.execute<{ from: RfmGroup; to: RfmGroup; customers: number }>(sql`
      select cv.previous_rfm_group as "from", cv.rfm_group as "to", count(*)::int as customers
      ${members} and cv.previous_rfm_group is not null group by 1, 2`),
  ]);
  const rows = rfmGroups
    .map((group) => groups.rows.find((row) => row.group === group))
    .filter((row) => row !== undefined)
    .map((row) => ({
      group: row.group,
      customers: row.customers,
      pastRevenue: row.past_revenue,
      predictedValue: row.predicted_value,
    }));
  const now = shares(rows);
  return {
    fitId: input.fitId,
    previousFitId: null,
    rows: rows.map((row) => ({ ...row, ...now.get(row.group)!, previous: null })),
    movement: moves.rows,
  };
}

/** The profile that stands for this one now (itself unless merged, following merges of merges). */
async function standingProfile(db: DbOrTx, workspaceId: string, customerId: string) {
  const result = await db.execute<{ id: string }>(sql`
    with recursive chain (id, merged_into, hops) as (
      select id, merged_into, 0 from ${customers} where workspace_id = ${workspaceId} and id = ${customerId}
      union all
      select c.id, c.merged_into, chain.hops + 1 from ${customers} c
      join chain on c.workspace_id = ${workspaceId} and c.id = chain.merged_into
      where chain.hops < 20
    )
    select id from chain where merged_into is null limit 1`);
  return result.rows[0]?.id ?? null;
}

/**
 * One customer's figures from the fit that last reached them; null before any fit
 * succeeded, and for a customer without a purchase up to the calibration end. A merged
 * profile answers with the profile it was merged into.
 */
export async function getCustomerValue({
  db,
  workspaceId,
  customerId,
}: {
  db: DbOrTx;
  workspaceId: string;
  customerId: string;
}): Promise<CustomerValue | null> {
  const [[succeeded], id] = await Promise.all([
    selectFits(db, workspaceId, "live"),
    standingProfile(db, workspaceId, customerId),
  ]);
  if (!succeeded || !id) return null;
  const [row] = await db
    .select({
      fitId: customerValues.fitId,
      fittedAt: sql<string>`coalesce(${valueFits.finishedAt}, ${valueFits.createdAt})`.mapWith(
        (v: string | Date) => new Date(v).toISOString(),
      ),
      calibrationEnd: valueFits.calibrationEnd,
      horizonWeeks: valueFits.horizonWeeks,
      models: valueFits.models,
      tooNew: customerValues.tooNew,
      x: customerValues.x,
      tx: customerValues.tx,
      T: customerValues.T,
      averageSpend: customerValues.averageSpend,
      pAlive: customerValues.pAlive,
      expectedPurchases90d: customerValues.expectedPurchases90d,
      clv: customerValues.clv,
      expectedSpend: customerValues.expectedSpend,
      recency: customerValues.rfmRecency,
      frequency: customerValues.rfmFrequency,
      monetary: customerValues.rfmMonetary,
      group: customerValues.rfmGroup,
    })
    .from(customerValues)
    .innerJoin(
      valueFits,
      and(eq(valueFits.workspaceId, customerValues.workspaceId), eq(valueFits.id, customerValues.fitId)),
    )
    .where(and(eq(customerValues.workspaceId, workspaceId), eq(customerValues.customerId, id)));
  if (!row) return null;
  const { recency, frequency, monetary, group, models, ...rest } = row;
  // The model that scored this customer: one-time buyers may have their own (server/value/scoring-rules.ts).
  const estimate =
    models && (models.purchase || models.bgnbd)
      ? row.x === 0 && models.oneTimeBuyers
        ? models.oneTimeBuyers
        : purchaseEstimateOf(models)
      : null;
  return {
    ...rest,
    purchaseModel: estimate ? purchaseModels[estimate.model].name : null,
    minimumAgeDays: MIN_SCORED_AGE_DAYS,
    rfm: { recency, frequency, monetary, group },
  };
}

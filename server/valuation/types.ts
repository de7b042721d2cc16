// The value feature's shapes, shared by the tRPC router (server/routers/value.ts) and the UI.

export type RfmGroup = import("~/server/value").RfmGroup;

export interface FitSettings {
  /** YYYY-MM-DD; null = today (the latest data). */
  calibrationEnd: string | null;
  horizonWeeks: number;
  discountRate: number;
}

export interface ValueFitSummary {
  /** uuid */
  id: string;
  status: "queued" | "running" | "succeeded" | "failed";
  /** The jobs row that runs it (progress comes from there). */
  jobId: string | null;
  progress: { done: number; total: number | null; message: string | null } | null;
  error: string | null;
  /** ISO */
  createdAt: string;
  finishedAt: string | null;
  /** The resolved calibration end date. */
  settings: FitSettings & { calibrationEnd: string };
  /** First purchase day in the data, YYYY-MM-DD. */
  dataStart: string | null;
  /** Last purchase day used. */
  dataEnd: string | null;
  /** Customers with at least one purchase up to calibrationEnd. */
  customers: number;
  repeatCustomers: number;
  bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number; converged: boolean } | null;
  /** null when too few repeat customers. */
  gammaGamma: { p: number; q: number; gamma: number; logLikelihood: number; converged: boolean } | null;
  timings: { summaryMs: number; fitMs: number; scoreMs: number; storeMs: number } | null;
}

export interface ValueDiagnostics {
  /** Weekly cumulative repeat purchases since the first purchase day, actual vs model; holdout weeks are those after calibrationEnd (may be none). */
  tracking: { week: number; date: string; actual: number; predicted: number; holdout: boolean }[];
  /** Customers by calibration frequency x = 0..6 and "7+": actual count vs model-expected count (from P(X(T_i)=x) summed over customers). */
  frequency: { x: string; actual: number; predicted: number }[];
  /** P(alive) by recency (t_x, columns) and frequency (x, rows), for a customer of the median age T; values 0..1. */
  aliveHeatmap: { frequencies: number[]; recencies: number[]; T: number; values: (number | null)[][] };
}

export interface PortfolioRow {
  group: RfmGroup;
  /** Shares are 0..1. */
  customers: number;
  customerShare: number;
  pastRevenue: number;
  pastRevenueShare: number;
  /** Sum of CLV over the horizon. */
  predictedValue: number;
  predictedValueShare: number;
  /** The same shares at the previous succeeded fit. */
  previous: { customerShare: number; pastRevenueShare: number; predictedValueShare: number } | null;
}

export interface CustomerValue {
  fitId: string;
  fittedAt: string;
  horizonWeeks: number;
  /** x, tx and T in weeks (x in repeat purchase days). */
  x: number;
  tx: number;
  T: number;
  averageSpend: number | null;
  pAlive: number;
  expectedPurchases90d: number;
  clv: number | null;
  expectedSpend: number | null;
  rfm: { recency: number; frequency: number; monetary: number; group: RfmGroup };
}

export type ValueSchedule = "off" | "daily" | "weekly";

export interface ValueOverview {
  /** Newest fit of any status. */
  latest: ValueFitSummary | null;
  /** Newest succeeded fit. */
  current: (ValueFitSummary & { diagnostics: ValueDiagnostics }) | null;
  schedule: ValueSchedule;
  nextRunAt: string | null;
}

export interface ValuePortfolio {
  fitId: string | null;
  previousFitId: string | null;
  rows: PortfolioRow[];
  /** Customers present in both fits, by (previous group, current group); from === to counts those who stayed. */
  movement: { from: RfmGroup; to: RfmGroup; customers: number }[];
}

// ---------------------------------------------------------------------------
// What a fit stores (value_fits' jsonb columns); the router shapes them into the above.
// ---------------------------------------------------------------------------

export type BgNbdEstimate = NonNullable<ValueFitSummary["bgnbd"]> & { iterations: number; groups: number };
export type GammaGammaEstimate = NonNullable<ValueFitSummary["gammaGamma"]> & {
  iterations: number;
  customers: number;
};

export interface ValueFitModels {
  bgnbd: BgNbdEstimate | null;
  gammaGamma: GammaGammaEstimate | null;
}

export type ValueFitTimings = NonNullable<ValueFitSummary["timings"]>;

export interface ValueFitPortfolio {
  rows: { group: RfmGroup; customers: number; pastRevenue: number; predictedValue: number }[];
  /** Customers in this fit and the previous one, by (group then, group now). */
  movement: ValuePortfolio["movement"];
}

// The value feature's shapes, shared by the tRPC router (server/routers/value.ts) and the UI.

export type RfmGroup = import("~/server/value").RfmGroup;
export type PurchaseModelId = import("~/server/value").PurchaseModelId;
export type ValueFitPurpose = import("~/db/enums").ValueFitPurpose;
export type ValueModelChoice = import("~/db/enums").ValueModelChoice;

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
  /** live: scores every customer on all data; holdout: a validation that scores no one. */
  purpose: ValueFitPurpose;
  /** The model asked for ("auto": the comparison's choice). */
  modelChoice: ValueModelChoice;
  /** The purchase model that scored the customers (a holdout check: the one it would use). */
  purchaseModel: PurchaseEstimateSummary | null;
  /** The model that scored the one-time buyers, when not purchaseModel (BG/NBD cannot write them off). */
  oneTimeBuyersModel: PurchaseEstimateSummary | null;
  /** Why this model: the rule, the editor's choice, or why no comparison could be made. */
  choiceReason: string | null;
  comparison: ValueModelComparison | null;
  /** null when too few repeat customers. */
  gammaGamma: { p: number; q: number; gamma: number; logLikelihood: number; converged: boolean } | null;
  timings: { summaryMs: number; fitMs: number; scoreMs: number; storeMs: number } | null;
}

export interface PurchaseEstimateSummary {
  model: PurchaseModelId;
  /** "BG/NBD", "MBG/NBD", "Pareto/NBD". */
  name: string;
  params: { name: string; value: number }[];
  logLikelihood: number;
  converged: boolean;
  /** Wall time of the fit; null for fits stored without it. */
  fitMs: number | null;
}

/** The purchase models fitted on a calibration window and measured on the holdout after it. */
export interface ValueModelComparison {
  /** YYYY-MM-DD */
  calibrationEnd: string;
  holdoutEnd: string;
  calibrationWeeks: number;
  holdoutWeeks: number;
  /** Customers first seen by the calibration end. */
  customers: number;
  /** Their repeat purchase days in the holdout. */
  actualHoldout: number;
  chosen: PurchaseModelId;
  rule: string;
  evaluations: {
    model: PurchaseModelId;
    name: string;
    params: { name: string; value: number }[];
    logLikelihood: number;
    aic: number;
    bic: number;
    /** Mean absolute % error of the cumulative repeat purchases over the holdout weeks; null without any. */
    trackingError: number | null;
    holdoutMae: number;
    predictedHoldout: number;
    converged: boolean;
    fitMs: number;
  }[];
}

export interface ValueDiagnostics {
  /** Weekly cumulative repeat purchases since the first purchase day, actual vs model; holdout weeks are those after calibrationEnd (may be none). */
  tracking: { week: number; date: string; actual: number; predicted: number; holdout: boolean }[];
  /** Customers by calibration frequency x = 0..6 and "7+": actual count vs model-expected count (from P(X(T_i)=x) summed over customers; null for a model without that distribution). */
  frequency: { x: string; actual: number; predicted: number | null }[];
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
  /** The fit's calibration end (YYYY-MM-DD): the figures use purchases up to it. */
  calibrationEnd: string;
  horizonWeeks: number;
  /** The purchase model behind pAlive and expectedPurchases90d (MBG/NBD for a one-time buyer under BG/NBD). */
  purchaseModel: string | null;
  /** First seen too shortly before the calibration end: no expected spend or CLV. */
  tooNew: boolean;
  /** The minimum age in days a customer needs to be valued. */
  minimumAgeDays: number;
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
  /** Newest succeeded live fit: the one the customers' scores come from. */
  current: (ValueFitSummary & { diagnostics: ValueDiagnostics }) | null;
  /** Newest succeeded holdout check. */
  check: (ValueFitSummary & { diagnostics: ValueDiagnostics }) | null;
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

/** What older fits stored; read as the purchase model when `purchase` is missing. */
export interface BgNbdEstimate {
  r: number;
  alpha: number;
  a: number;
  b: number;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  groups: number;
}

export interface PurchaseEstimate {
  model: PurchaseModelId;
  /** The estimates by parameter name (r, alpha, a, b or r, alpha, s, beta). */
  params: Record<string, number>;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  groups: number;
  fitMs: number;
}

export type GammaGammaEstimate = NonNullable<ValueFitSummary["gammaGamma"]> & {
  iterations: number;
  customers: number;
};

export interface ValueFitModels {
  /** Missing in fits stored before model choice, which used BG/NBD (`bgnbd`). */
  purchase?: PurchaseEstimate;
  oneTimeBuyers?: PurchaseEstimate | null;
  bgnbd?: BgNbdEstimate | null;
  gammaGamma: GammaGammaEstimate | null;
  comparison?: ValueModelComparison | null;
  choiceReason?: string;
}

export type ValueFitTimings = NonNullable<ValueFitSummary["timings"]>;

export interface ValueFitPortfolio {
  rows: { group: RfmGroup; customers: number; pastRevenue: number; predictedValue: number }[];
  /** Customers in this fit and the previous one, by (group then, group now). */
  movement: ValuePortfolio["movement"];
}

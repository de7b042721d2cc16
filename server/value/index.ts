// Customer-value models: transaction summaries, RFM, the purchase models (BG/NBD, MBG/NBD,
// Pareto/NBD) and their comparison on a holdout, Gamma-Gamma and CLV.
// Plain functions without UI or database dependencies; docs/value-models.md explains them.

export * from "./summary";
export * from "./history-groups";
export * from "./rfm";
export * from "./purchase-model";
export * from "./bgnbd";
export * from "./mbgnbd";
export * from "./pareto-nbd";
export * from "./model-choice";
export * from "./gamma-gamma";
export * from "./clv";
export * from "./scoring-rules";
export * from "./holdout";
export { hyp2f1, logGamma, digamma, logBeta, logSumExp, logAddExp } from "./special-functions";
export { minimizeBfgs, minimizeWithRestarts, type MinimizeResult } from "./optimize";

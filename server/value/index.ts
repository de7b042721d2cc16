// Customer-value models: transaction summaries, RFM, BG/NBD, Gamma-Gamma and CLV.
// Plain functions without UI or database dependencies; docs/value-models.md explains them.

export * from "./summary";
export * from "./history-groups";
export * from "./rfm";
export * from "./bgnbd";
export * from "./gamma-gamma";
export * from "./clv";
export * from "./holdout";
export { hyp2f1, logGamma, digamma, logBeta, logSumExp, logAddExp } from "./special-functions";
export { minimizeBfgs, minimizeWithRestarts, type MinimizeResult } from "./optimize";

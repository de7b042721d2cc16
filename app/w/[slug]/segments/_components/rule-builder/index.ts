export { RuleBuilder, type RuleBuilderProps } from "./rule-builder";
export { describeRule, describeCondition } from "./describe";
export { emptyRule, defaultCondition } from "./defaults";

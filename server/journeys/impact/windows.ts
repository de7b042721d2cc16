// The windows the Impact tab measures over, in days from each customer's entry (shared with the page).

export const IMPACT_WINDOWS = [7, 30, 90] as const;
export type ImpactWindow = (typeof IMPACT_WINDOWS)[number];
export const DEFAULT_IMPACT_WINDOW: ImpactWindow = 30;

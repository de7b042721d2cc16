// Client-safe limits of the journey analytics, shared by the router's check
// and the browser's window picker so both refuse the same windows.

/** The longest window the analytics read: three years of a large segment's events is already a heavy read. */
export const MAX_ANALYTICS_YEARS = 3;

import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/root";

/** What dashboard.summary answers, as the dashboard's parts receive it. */
export type DashboardSummary = inferRouterOutputs<AppRouter>["dashboard"]["summary"];

/** What dashboard.journeys answers. */
export type DashboardJourneys = inferRouterOutputs<AppRouter>["dashboard"]["journeys"];

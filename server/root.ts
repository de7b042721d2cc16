import "server-only";
import { auditRouter } from "~/server/routers/audit";
import { consentRouter } from "~/server/routers/consent";
import { customerRouter } from "~/server/routers/customer";
import { dashboardRouter } from "~/server/routers/dashboard";
import { destinationRouter } from "~/server/routers/destination";
import { importRouter } from "~/server/routers/import";
import { invitationRouter } from "~/server/routers/invitation";
import { journeyRouter } from "~/server/routers/journey";
import { maturityRouter } from "~/server/routers/maturity";
import { memberRouter } from "~/server/routers/member";
import { readKeyRouter } from "~/server/routers/readKey";
import { segmentRouter } from "~/server/routers/segment";
import { valueRouter } from "~/server/routers/value";
import { workspaceRouter } from "~/server/routers/workspace";
import { writeKeyRouter } from "~/server/routers/writeKey";
import { createCallerFactory, createTRPCRouter } from "~/server/trpc";

export const appRouter = createTRPCRouter({
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
  audit: auditRouter,
  customer: customerRouter,
  dashboard: dashboardRouter,
  writeKey: writeKeyRouter,
  readKey: readKeyRouter,
  import: importRouter,
  value: valueRouter,
  segment: segmentRouter,
  journey: journeyRouter,
  maturity: maturityRouter,
  destination: destinationRouter,
  consent: consentRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

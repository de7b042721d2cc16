import { auditRouter } from "~/server/routers/audit";
import { invitationRouter } from "~/server/routers/invitation";
import { memberRouter } from "~/server/routers/member";
import { workspaceRouter } from "~/server/routers/workspace";
import { createCallerFactory, createTRPCRouter } from "~/server/trpc";

export const appRouter = createTRPCRouter({
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

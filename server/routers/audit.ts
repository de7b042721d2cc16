import "server-only";
import { z } from "zod";
import { listAuditEvents } from "~/server/audit/audit";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import { ZAuditPage } from "~/server/audit/outputs";

export const ZListAuditInput = z.object({
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const auditRouter = createTRPCRouter({
  list: workspaceProcedure("audit:read")
    .input(ZListAuditInput)
    .output(ZAuditPage)
    .query(({ ctx, input }) => listAuditEvents({ db: ctx.db, ...input, workspaceId: ctx.workspaceId })),
});

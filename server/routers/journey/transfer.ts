import "server-only";
import { exportJourney, importJourney } from "~/server/journeys/transfer";
import { workspaceProcedure } from "~/server/trpc";
import { ZExportJourneyInput, ZImportJourneyInput, quoted } from "./inputs";

// A journey as a JSON file, out and in.

export const transferProcedures = {
  exportJson: workspaceProcedure("workspace:read")
    .input(ZExportJourneyInput)
    .query(({ ctx, input }) => exportJourney(ctx.db, { workspaceId: ctx.workspaceId, id: input.id })),

  importJson: workspaceProcedure("content:write")
    .input(ZImportJourneyInput)
    .mutation(async ({ ctx, input }) => {
      const imported = await importJourney(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        segmentId: input.segmentId,
        file: input.file,
      });
      ctx.audit({
        summary: `imported the journey ${quoted(imported.name)} from a file`,
        // Not the whole file: the journey itself holds the design now.
        details: {
          journeyId: imported.id,
          segmentId: input.segmentId,
          input: { segmentId: input.segmentId },
        },
      });
      return imported;
    }),
};

import "server-only";
import { exportJourney, importJourney } from "~/server/journeys/transfer";
import { can } from "~/server/permissions";
import { workspaceProcedure } from "~/server/trpc";
import { ZExportJourneyInput, ZImportJourneyInput, quoted } from "./inputs";
import { ZImportedJourney, ZJourneyFile } from "./outputs";

// A journey as a JSON file, out and in.

export const transferProcedures = {
  exportJson: workspaceProcedure("workspace:read")
    .input(ZExportJourneyInput)
    .output(ZJourneyFile)
    .query(({ ctx, input }) =>
      exportJourney(ctx.db, {
        workspaceId: ctx.workspaceId,
        id: input.id,
        publishedOnly: !can(ctx.role, "drafts:read"),
      }),
    ),

  importJson: workspaceProcedure("content:write")
    .input(ZImportJourneyInput)
    .output(ZImportedJourney)
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

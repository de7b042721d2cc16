import "server-only";
import {
  diffJourney,
  getVersion,
  listVersions,
  publishJourney,
  restoreVersion,
} from "~/server/journeys/versions";
import { can } from "~/server/permissions";
import { workspaceProcedure } from "~/server/trpc";
import {
  ZPublishJourneyInput,
  ZListJourneyVersionsInput,
  ZGetJourneyVersionInput,
  ZDiffJourneyInput,
  ZRestoreJourneyInput,
  quoted,
} from "./inputs";
import { ZJourneyDiff, ZPublishedVersion, ZSavedJourney, ZVersion, ZVersionList } from "./outputs";

// Published versions: publish the draft, read, compare and restore them.

export const versionProcedures = {
  publish: workspaceProcedure("content:write")
    .input(ZPublishJourneyInput)
    .output(ZPublishedVersion)
    .mutation(async ({ ctx, input }) => {
      const published = await publishJourney(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `published version ${published.version} of the journey ${quoted(published.name)}`,
        details: { journeyId: input.id, version: published.version },
      });
      return { version: published.version, publishedAt: published.publishedAt };
    }),

  versions: workspaceProcedure("workspace:read")
    .input(ZListJourneyVersionsInput)
    .output(ZVersionList)
    .query(({ ctx, input }) => listVersions(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id })),

  version: workspaceProcedure("workspace:read")
    .input(ZGetJourneyVersionInput)
    .output(ZVersion)
    .query(({ ctx, input }) =>
      getVersion(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id, version: input.version }),
    ),

  diff: workspaceProcedure("workspace:read")
    .input(ZDiffJourneyInput)
    .output(ZJourneyDiff)
    .query(({ ctx, input }) =>
      diffJourney(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        publishedOnly: !can(ctx.role, "drafts:read"),
      }),
    ),

  restore: workspaceProcedure("content:write")
    .input(ZRestoreJourneyInput)
    .output(ZSavedJourney)
    .mutation(async ({ ctx, input }) => {
      const restored = await restoreVersion(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        journeyId: input.id,
        version: input.version,
        revision: input.revision,
      });
      ctx.audit({
        summary: `restored version ${input.version} of the journey ${quoted(restored.name)} into its draft`,
        details: { journeyId: input.id, version: input.version, revision: restored.revision },
      });
      return { id: input.id, revision: restored.revision, updatedAt: restored.updatedAt };
    }),
};

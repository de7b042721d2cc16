import "server-only";
import {
  copyJourney,
  createJourney,
  getJourney,
  listJourneys,
  removeJourney,
  updateJourney,
} from "~/server/journeys/store";
import { can } from "~/server/permissions";
import { workspaceProcedure } from "~/server/trpc";
import {
  ZListJourneysInput,
  ZGetJourneyInput,
  ZCreateJourneyInput,
  ZUpdateJourneyInput,
  ZRemoveJourneyInput,
  ZCopyJourneyInput,
  quoted,
} from "./inputs";
import { ZIdResult } from "~/server/output-schemas";
import { ZJourneyForEditing, ZJourneyList, ZJourneyRevision, ZSavedJourney } from "./outputs";

// The journeys of a workspace and their drafts: list, read, create, save, copy, remove.

export const designProcedures = {
  list: workspaceProcedure("workspace:read")
    .input(ZListJourneysInput)
    .output(ZJourneyList)
    .query(({ ctx, input }) =>
      listJourneys(ctx.db, {
        workspaceId: ctx.workspaceId,
        segmentId: input.segmentId,
        publishedOnly: !can(ctx.role, "drafts:read"),
      }),
    ),

  get: workspaceProcedure("workspace:read")
    .input(ZGetJourneyInput)
    .output(ZJourneyForEditing)
    .query(async ({ ctx, input }) => ({
      ...(await getJourney(ctx.db, {
        workspaceId: ctx.workspaceId,
        id: input.id,
        publishedOnly: !can(ctx.role, "drafts:read"),
      })),
      canEdit: can(ctx.role, "content:write"),
    })),

  create: workspaceProcedure("content:write")
    .input(ZCreateJourneyInput)
    .output(ZJourneyRevision)
    .mutation(async ({ ctx, input }) => {
      const created = await createJourney(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `created the journey ${quoted(input.name)}`,
        details: {
          journeyId: created.id,
          // Not a starting design: the journey itself holds it.
          input: { segmentId: input.segmentId, name: input.name, description: input.description },
        },
      });
      return created;
    }),

  update: workspaceProcedure("content:write")
    .input(ZUpdateJourneyInput)
    .output(ZSavedJourney)
    .mutation(async ({ ctx, input }) => {
      const saved = await updateJourney(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      const what = Object.keys(input.data).filter(
        (key) => input.data[key as keyof typeof input.data] !== undefined,
      );
      ctx.audit({
        summary: `changed the journey ${quoted(saved.name)}${what.length > 0 ? ` (${what.join(", ")})` : ""}`,
        // The design can be large: the entry records the revision, the versions keep the designs.
        details: { journeyId: input.id, revision: saved.revision, input: { id: input.id, fields: what } },
      });
      return { id: input.id, revision: saved.revision, updatedAt: saved.updatedAt };
    }),

  remove: workspaceProcedure("content:write")
    .input(ZRemoveJourneyInput)
    .output(ZIdResult)
    .mutation(async ({ ctx, input }) => {
      const { name } = await removeJourney(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      ctx.audit({
        summary: `deleted the journey ${quoted(name)}`,
        details: { journeyId: input.id },
      });
      return { id: input.id };
    }),

  copy: workspaceProcedure("content:write")
    .input(ZCopyJourneyInput)
    .output(ZJourneyRevision)
    .mutation(async ({ ctx, input }) => {
      const copied = await copyJourney(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `copied the journey ${quoted(copied.sourceName)} as ${quoted(input.name)}`,
        details: { journeyId: copied.id, sourceJourneyId: input.id, segmentId: input.segmentId },
      });
      return { id: copied.id, revision: copied.revision };
    }),
};

import "server-only";
import { z } from "zod";
import { journeyAnalytics } from "~/server/journeys/analytics";
import { MAX_ANALYTICS_YEARS } from "~/server/journeys/analytics-window";
import { addComment, listComments, MAX_COMMENT_LENGTH, resolveComment } from "~/server/journeys/comments";
import {
  copyJourney,
  createJourney,
  getJourney,
  listJourneys,
  readDraft,
  removeJourney,
  updateJourney,
  ZJourneyDescription,
  ZJourneyName,
} from "~/server/journeys/store";
import { exportJourney, importJourney } from "~/server/journeys/transfer";
import {
  diffJourney,
  getVersion,
  listVersions,
  publishJourney,
  restoreVersion,
} from "~/server/journeys/versions";
import { can } from "~/server/permissions";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";

// Journeys: a design per segment (server/journeys/). Designs arrive as unknown
// and are validated by parseDesign, whose errors name the path of each bad
// field (error.data.inputIssues). Saves name the revision they started from
// and are refused with CONFLICT when someone else saved in between.

const journeyId = z.uuid("That is not a journey id");
const segmentId = z.uuid("That is not a segment id");
const version = z.number().int().positive("Versions are numbered from 1");
const revision = z.number().int().positive("That is not a revision of this journey");

const ZJourneyId = z.object({ id: journeyId });

export const ZListJourneysInput = z.object({ segmentId: segmentId.optional() });
export const ZGetJourneyInput = ZJourneyId;
export const ZCreateJourneyInput = z.object({
  segmentId,
  name: ZJourneyName,
  description: ZJourneyDescription,
  /** A starting design (a template); the default stages without one. */
  design: z.unknown().optional(),
});
export const ZUpdateJourneyInput = ZJourneyId.extend({
  revision,
  data: z.object({
    name: ZJourneyName.optional(),
    description: z.string().trim().max(2000, "A description has at most 2,000 characters").optional(),
    design: z.unknown().optional(),
  }),
});
export const ZRemoveJourneyInput = ZJourneyId;
export const ZCopyJourneyInput = ZJourneyId.extend({ segmentId, name: ZJourneyName });
export const ZPublishJourneyInput = ZJourneyId.extend({
  note: z.string().trim().max(2000, "A note has at most 2,000 characters").optional(),
  /** The revision the publisher has seen; publishing is refused if the draft changed since. */
  revision: revision.optional(),
});
export const ZListJourneyVersionsInput = ZJourneyId;
export const ZGetJourneyVersionInput = ZJourneyId.extend({ version });
export const ZDiffJourneyInput = ZJourneyId.extend({
  from: version,
  to: z.union([version, z.literal("draft")]),
});
export const ZRestoreJourneyInput = ZJourneyId.extend({ version, revision: revision.optional() });
export const ZListJourneyCommentsInput = ZJourneyId;
export const ZAddJourneyCommentInput = ZJourneyId.extend({
  target: z.discriminatedUnion(
    "kind",
    [
      z.object({ kind: z.literal("journey") }),
      z.object({
        kind: z.enum(["stage", "touchpoint"]),
        id: z
          .string("Say which stage or touchpoint the comment is about")
          .min(1, "Say which stage or touchpoint the comment is about"),
      }),
    ],
    { error: () => "A comment is about the journey, a stage or a touchpoint" },
  ),
  body: z
    .string()
    .trim()
    .min(1, "Write a comment first")
    .max(MAX_COMMENT_LENGTH, `A comment has at most ${MAX_COMMENT_LENGTH.toLocaleString("en")} characters`),
});
export const ZResolveJourneyCommentInput = z.object({
  commentId: z.uuid("That is not a comment id"),
  /** false opens a resolved comment again. */
  resolved: z.boolean().default(true),
});
export const ZExportJourneyInput = ZJourneyId;
export const ZImportJourneyInput = z.object({ segmentId, file: z.unknown() });

const isoDate = (which: string) =>
  z.union(
    [z.iso.date(), z.iso.datetime({ offset: true })],
    `The window's ${which} must be an ISO date (YYYY-MM-DD) or date-time`,
  );
export const ZJourneyAnalyticsInput = ZJourneyId.extend({
  /** The window is [from, to): `to` is the first moment not counted. */
  from: isoDate("start"),
  to: isoDate("end"),
  /** The design to measure: the draft or a published version. */
  source: z.union([z.literal("draft"), version], 'The design to measure is "draft" or a version number'),
}).superRefine((input, ctx) => {
  const from = new Date(input.from);
  const to = new Date(input.to);
  const longest = new Date(from);
  longest.setUTCFullYear(longest.getUTCFullYear() + MAX_ANALYTICS_YEARS);
  if (to <= from) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "The window must end after it starts" });
  } else if (to > longest) {
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: `The window can be at most ${MAX_ANALYTICS_YEARS} years long`,
    });
  }
});

export type TCreateJourneyInput = z.infer<typeof ZCreateJourneyInput>;
export type TUpdateJourneyInput = z.infer<typeof ZUpdateJourneyInput>;

const quoted = (name: string) => `“${name}”`;

export const journeyRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read")
    .input(ZListJourneysInput)
    .query(({ ctx, input }) =>
      listJourneys(ctx.db, { workspaceId: ctx.workspaceId, segmentId: input.segmentId }),
    ),

  get: workspaceProcedure("workspace:read")
    .input(ZGetJourneyInput)
    .query(async ({ ctx, input }) => ({
      ...(await getJourney(ctx.db, { workspaceId: ctx.workspaceId, id: input.id })),
      canEdit: can(ctx.role, "content:write"),
    })),

  create: workspaceProcedure("content:write")
    .input(ZCreateJourneyInput)
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

  publish: workspaceProcedure("content:write")
    .input(ZPublishJourneyInput)
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
    .query(({ ctx, input }) => listVersions(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id })),

  version: workspaceProcedure("workspace:read")
    .input(ZGetJourneyVersionInput)
    .query(({ ctx, input }) =>
      getVersion(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id, version: input.version }),
    ),

  diff: workspaceProcedure("workspace:read")
    .input(ZDiffJourneyInput)
    .query(({ ctx, input }) => diffJourney(ctx.db, { ...input, workspaceId: ctx.workspaceId })),

  restore: workspaceProcedure("content:write")
    .input(ZRestoreJourneyInput)
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

  comments: workspaceProcedure("workspace:read")
    .input(ZListJourneyCommentsInput)
    .query(({ ctx, input }) => listComments(ctx.db, { workspaceId: ctx.workspaceId, journeyId: input.id })),

  addComment: workspaceProcedure("content:write")
    .input(ZAddJourneyCommentInput)
    .mutation(async ({ ctx, input }) => {
      const comment = await addComment(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        journeyId: input.id,
        target: input.target,
        body: input.body,
      });
      ctx.audit({
        summary: `commented on ${input.target.kind === "journey" ? "a journey" : `${input.target.kind} ${quoted(comment.targetLabel)}`}`,
        details: { journeyId: input.id, commentId: comment.id },
      });
      return { id: comment.id, createdAt: comment.createdAt };
    }),

  resolveComment: workspaceProcedure("content:write")
    .input(ZResolveJourneyCommentInput)
    .mutation(async ({ ctx, input }) => {
      const comment = await resolveComment(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        id: input.commentId,
        resolved: input.resolved,
      });
      ctx.audit({
        summary: input.resolved ? "resolved a comment on a journey" : "reopened a comment on a journey",
        details: { journeyId: comment.journeyId, commentId: comment.id },
      });
      return { id: comment.id, resolvedAt: comment.resolvedAt };
    }),

  analytics: workspaceProcedure("workspace:read")
    .input(ZJourneyAnalyticsInput)
    .query(async ({ ctx, input }) => {
      const journey = await readDraft(ctx.db, { workspaceId: ctx.workspaceId, id: input.id });
      const design =
        input.source === "draft"
          ? journey.draft
          : (
              await getVersion(ctx.db, {
                workspaceId: ctx.workspaceId,
                journeyId: input.id,
                version: input.source,
              })
            ).design;
      return journeyAnalytics(ctx.db, {
        workspaceId: ctx.workspaceId,
        segmentId: journey.segmentId,
        design,
        from: new Date(input.from),
        to: new Date(input.to),
      });
    }),

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
});

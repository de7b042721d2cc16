import "server-only";
import { z } from "zod";
import { MAX_ANALYTICS_YEARS } from "~/server/journeys/analytics-window";
import { MAX_COMMENT_LENGTH } from "~/server/journeys/comments";
import { ZJourneyDescription, ZJourneyName } from "~/server/journeys/store";

// The inputs of the journey procedures, with the messages a form shows.

export const journeyId = z.uuid("That is not a journey id");
export const segmentId = z.uuid("That is not a segment id");
export const version = z.number().int().positive("Versions are numbered from 1");
export const revision = z.number().int().positive("That is not a revision of this journey");

export const ZJourneyId = z.object({ id: journeyId });

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

export const isoDate = (which: string) =>
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

/** A journey's name as the audit log quotes it. */
export const quoted = (name: string) => `“${name}”`;

import { z } from "zod";
import { journeyCommentTargets } from "~/db/enums";
import type { journeyAnalytics } from "~/server/journeys/analytics";
import type { TouchpointSends } from "~/server/journeys/run/sends";
import type { listComments } from "~/server/journeys/comments";
import { ZJourneyDesign } from "~/server/journeys/design";
import type { ChangedItem, ChangeKind } from "~/server/journeys/diff";
import type { createJourney, getJourney, listJourneys } from "~/server/journeys/store";
import type { exportJourney, importJourney } from "~/server/journeys/transfer";
import type { diffJourney, getVersion, listVersions } from "~/server/journeys/versions";
import {
  describes,
  ZChannel,
  ZIdResult,
  ZInstant,
  ZNamedRef,
  ZPersonRef,
  type Resolved,
} from "~/server/output-schemas";

// What the journey procedures return. Designs are checked again on the way out
// (ZJourneyDesign): only designs that passed it on the way in are stored.

const revision = z.number();
const version = z.number();

/** A journey's draft after a change: the revision the next save names. */
export const ZJourneyRevision = describes<Resolved<typeof createJourney>>()(ZIdResult.extend({ revision }));
export const ZSavedJourney = ZJourneyRevision.extend({ updatedAt: ZInstant });
export const ZImportedJourney = describes<Resolved<typeof importJourney>>()(
  ZJourneyRevision.extend({ name: z.string() }),
);

const ZJourneyHead = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  owner: ZPersonRef.nullable(),
  publishedVersion: version.nullable(),
  hasUnpublishedChanges: z.boolean(),
  draftUpdatedAt: ZInstant,
  updatedAt: ZInstant,
});

export const ZJourneyList = describes<Resolved<typeof listJourneys>>()(
  z.array(
    ZJourneyHead.extend({
      status: z.enum(["draft", "published"]),
      segment: ZNamedRef,
      stageCount: z.number(),
      touchpointCount: z.number(),
    }),
  ),
);

export const ZJourney = describes<Resolved<typeof getJourney>>()(
  ZJourneyHead.extend({
    segment: ZNamedRef.extend({ memberCount: z.number() }),
    draft: ZJourneyDesign,
    revision,
    draftUpdatedBy: z.string().nullable(),
    createdAt: ZInstant,
  }),
);

/** What the designer opens: the journey, and whether the caller may change it. */
export const ZJourneyForEditing = ZJourney.extend({ canEdit: z.boolean() });

export const ZPublishedVersion = z.object({ version, publishedAt: ZInstant });

const ZVersionSummary = ZPublishedVersion.extend({
  note: z.string(),
  publishedBy: ZPersonRef.omit({ id: true }).nullable(),
});
export const ZVersionList = describes<Resolved<typeof listVersions>>()(z.array(ZVersionSummary));
export const ZVersion = describes<Resolved<typeof getVersion>>()(
  ZVersionSummary.extend({ design: ZJourneyDesign }),
);

const changeKinds = ["added", "removed", "changed", "moved"] as const;
const changedItems = ["journey", "stage", "touchpoint", "branch", "exit", "arrow"] as const;

export const ZJourneyDiff = describes<Resolved<typeof diffJourney>>()(
  z.object({
    from: version,
    to: z.union([version, z.literal("draft")]),
    changes: z.array(
      z.object({
        kind: describes<ChangeKind>()(z.enum(changeKinds)),
        item: describes<ChangedItem>()(z.enum(changedItems)),
        id: z.string(),
        label: z.string(),
        field: z.string().optional(),
        before: z.string().optional(),
        after: z.string().optional(),
        stageName: z.string().optional(),
      }),
    ),
  }),
);

export const ZJourneyComments = describes<Resolved<typeof listComments>>()(
  z.array(
    z.object({
      id: z.string(),
      body: z.string(),
      author: ZPersonRef.nullable(),
      createdAt: ZInstant,
      resolvedAt: ZInstant.nullable(),
      resolvedBy: z.string().nullable(),
      /** What the comment is about; label null and exists false once it is gone from the draft. */
      target: z.object({
        kind: z.enum(journeyCommentTargets),
        id: z.string().nullable(),
        label: z.string().nullable(),
        exists: z.boolean(),
      }),
    }),
  ),
);

export const ZNewComment = z.object({ id: z.string(), createdAt: ZInstant });
export const ZCommentResolution = z.object({ id: z.string(), resolvedAt: ZInstant.nullable() });

const count = z.number();
const share = z.number().nullable();

export const ZJourneyAnalytics = describes<Resolved<typeof journeyAnalytics>>()(
  z.object({
    window: z.object({ from: ZInstant, to: ZInstant }),
    members: count,
    membersWithEvents: count,
    stages: z.array(
      z.object({ stageId: z.string(), reached: count.nullable(), performedGoal: count.nullable() }),
    ),
    steps: z.array(
      z.object({
        fromStageId: z.string(),
        toStageId: z.string(),
        reached: count.nullable(),
        converted: count.nullable(),
        conversion: share,
        dropOff: share,
        medianHours: z.number().nullable(),
      }),
    ),
    touchpoints: z.array(
      z.object({
        touchpointId: z.string(),
        stageId: z.string(),
        channel: ZChannel,
        action: z
          .object({
            measure: z.enum(["action", "delivery"]),
            event: z.string(),
            acted: count,
            onDesignedChannel: count,
            onOtherChannels: count,
            byChannel: z.partialRecord(ZChannel, count),
            reachedStage: count.nullable(),
            deliveries: z.array(z.object({ event: z.string(), members: count })),
          })
          .nullable(),
      }),
    ),
    paths: z.object({
      top: z.array(
        z.object({
          stages: z.array(z.object({ stageId: z.string(), channel: ZChannel })),
          members: count,
          share: z.number(),
          followsDesign: z.boolean(),
        }),
      ),
      distinct: count,
      noStage: count,
    }),
  }),
);

export const ZTouchpointSends = describes<TouchpointSends>()(
  z.object({
    touchpointId: z.string(),
    variant: z.string().nullable(),
    sent: count,
    queued: count,
    failed: count,
    customers: count,
    reacted: count,
    converted: count,
  }),
);

/** The funnel over the segment's behaviour, and what the journey itself sent (null when it never ran). */
export const ZJourneyAnalyticsWithSends = ZJourneyAnalytics.extend({
  sends: z.array(ZTouchpointSends).nullable(),
});

export const ZJourneyFile = describes<Resolved<typeof exportJourney>>()(
  z.object({
    format: z.literal("centric.journey"),
    formatVersion: z.literal(1),
    name: z.string(),
    description: z.string(),
    segment: z.object({ name: z.string() }),
    design: ZJourneyDesign,
    exportedAt: z.string(),
  }),
);

import { z } from "zod";
import { jobStatuses, segmentChanges, segmentSchedules } from "~/db/enums";
import { ZCustomerRef } from "~/server/customers/outputs";
import {
  describes,
  orUndefined,
  ZChannel,
  ZInstant,
  ZNamedRef,
  ZPersonRef,
  ZRfmGroup,
  type Resolved,
} from "~/server/output-schemas";
import type { previewRule } from "./preview";
import { ZSegmentRule } from "./rules";
import type {
  createSegment,
  getSegment,
  listChanges,
  listSegments,
  sizeHistory,
  updateSegment,
} from "./store";
import type { segmentTemplates } from "./templates";

// What the segment procedures return. Rules are checked again on the way out
// (ZSegmentRule): only rules that passed it on the way in are stored.

const ZSchedule = z.enum(segmentSchedules);

export const ZSegmentTemplates = describes<typeof segmentTemplates>()(
  z
    .array(z.object({ key: z.string(), name: z.string(), description: z.string(), rule: ZSegmentRule }))
    .readonly(),
);

const ZSegmentHead = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  schedule: ZSchedule,
  memberCount: z.number(),
  refreshedAt: ZInstant.nullable(),
  updatedAt: ZInstant,
  owner: ZPersonRef.nullable(),
});

export const ZSegmentList = describes<Resolved<typeof listSegments>>()(
  z.array(ZSegmentHead.extend({ refreshing: z.boolean() })),
);

const ZSegmentStats = z.object({
  channelMix: z.array(z.object({ channel: ZChannel, events: z.number(), share: z.number() })),
  value: z
    .object({
      scored: z.number(),
      totalClv: z.number(),
      meanClv: z.number().nullable(),
      meanPAlive: z.number().nullable(),
      pastRevenue: z.number(),
      groups: z.array(z.object({ group: ZRfmGroup, customers: z.number() })),
    })
    .nullable(),
  purchases: z.number(),
  spend: z.number(),
});

const ZSegmentJob = z.object({
  jobId: z.string(),
  status: z.enum(jobStatuses),
  progress: z.object({
    done: orUndefined(z.number()),
    total: orUndefined(z.number()),
    message: orUndefined(z.string()),
  }),
  error: z.string().nullable(),
});

export const ZSegment = describes<Resolved<typeof getSegment>>()(
  ZSegmentHead.extend({
    rule: ZSegmentRule,
    nextRefreshAt: ZInstant.nullable(),
    stats: ZSegmentStats.nullable(),
    createdAt: ZInstant,
    /** The refresh running or last run, from its job. */
    refresh: ZSegmentJob.nullable(),
    /** The reconstruction of the size history running or last run, from its job. */
    history: ZSegmentJob.nullable(),
    /** The segments and journeys that name this one. */
    usedBy: z.array(ZNamedRef),
  }),
);

const ZPreviewCount = z.object({
  count: z.number(),
  total: z.number(),
  percent: z.number(),
  sample: z.array(ZCustomerRef),
  ms: z.number(),
  valueFitMissing: z.boolean(),
});

export const ZSegmentPreview = describes<Resolved<typeof previewRule>>()(
  z.union([
    /** From a sample of a large workspace. */
    ZPreviewCount.extend({
      estimate: z.object({ sampled: z.number(), matched: z.number(), margin: z.number() }),
    }),
    ZPreviewCount.extend({ estimate: z.null() }),
  ]),
);

export const ZSizeHistory = describes<Resolved<typeof sizeHistory>>()(
  z.array(
    z.object({
      day: z.string(),
      size: z.number(),
      entered: z.number(),
      left: z.number(),
      /** Reconstructed from the events history rather than recorded by a refresh. */
      reconstructed: z.boolean(),
    }),
  ),
);

export const ZMembershipChanges = describes<Resolved<typeof listChanges>>()(
  z.object({
    items: z.array(
      ZCustomerRef.omit({ id: true }).extend({
        id: z.number(),
        customerId: z.string(),
        change: z.enum(segmentChanges),
        at: ZInstant,
        cause: z.string(),
      }),
    ),
    nextCursor: orUndefined(z.number()),
  }),
);

export const ZCreatedSegment = describes<Resolved<typeof createSegment>>()(
  z.object({ id: z.string(), jobId: z.string() }),
);

/** A saved segment and the refresh its new rule queued, if it changed. */
export const ZUpdatedSegment = describes<Pick<Resolved<typeof updateSegment>, "id" | "jobId">>()(
  z.object({ id: z.string(), jobId: z.string().nullable() }),
);

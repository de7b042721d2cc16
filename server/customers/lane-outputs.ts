import { z } from "zod";
import { enrollmentStates, eventTypes } from "~/db/enums";
import { describes, ZChannel, ZInstant, type Resolved } from "~/server/output-schemas";
import type { customerLanes } from "./lanes";
import type { customerMemberships } from "./memberships";

// What the customer page's lanes and memberships procedures return.

const ZLaneEvent = z.object({
  id: z.number(),
  type: z.enum(eventTypes),
  event: z.string().nullable(),
  channel: ZChannel,
  timestamp: ZInstant,
  amount: z.number().nullable(),
  summary: z.string(),
});

const ZLaneBucket = z.object({
  channel: ZChannel,
  start: ZInstant,
  end: ZInstant,
  events: z.number(),
  purchases: z.number(),
  amount: z.number(),
  identifies: z.number(),
});

export const ZCustomerLanes = describes<Resolved<typeof customerLanes>>()(
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("events"), from: ZInstant, to: ZInstant, events: z.array(ZLaneEvent) }),
    z.object({
      kind: z.literal("buckets"),
      from: ZInstant,
      to: ZInstant,
      widthMs: z.number(),
      buckets: z.array(ZLaneBucket),
    }),
  ]),
);

export const ZCustomerMemberships = describes<Resolved<typeof customerMemberships>>()(
  z.object({
    segments: z.array(
      z.object({ id: z.string(), name: z.string(), memberCount: z.number(), since: ZInstant }),
    ),
    journeys: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        segmentId: z.string(),
        version: z.number().nullable(),
        stageCount: z.number(),
        measuredStages: z.number(),
        current: z
          .object({
            stageId: z.string(),
            name: z.string(),
            position: z.number(),
            channel: ZChannel.nullable(),
            reachedStages: z.number(),
          })
          .nullable(),
      }),
    ),
    running: z.array(
      z.object({
        journeyId: z.string(),
        name: z.string(),
        version: z.number(),
        state: z.enum(enrollmentStates),
        step: z.string(),
        since: ZInstant,
        enteredAt: ZInstant,
        endedAt: ZInstant.nullable(),
        endReason: z.string().nullable(),
      }),
    ),
    window: z.object({ from: ZInstant, to: ZInstant }),
  }),
);

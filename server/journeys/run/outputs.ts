import { z } from "zod";
import { journeyRunStatuses } from "~/db/enums";
import { describes, ZChannel, ZInstant, type Resolved } from "~/server/output-schemas";
import type { goLive, pauseRun, stopRun } from "./control";
import type { dryRun } from "./dry-run";
import type { runState } from "./state";

// What the run procedures return.

const ZMessageCounts = z.object({
  touchpointId: z.string(),
  variant: z.string().nullable(),
  queued: z.number(),
  sent: z.number(),
  dead: z.number(),
});

export const ZRunState = describes<Resolved<typeof runState>>()(
  z.object({
    run: z
      .object({
        id: z.string(),
        status: z.enum(journeyRunStatuses),
        version: z.number(),
        reentryDays: z.number().nullable(),
        exitOnSegmentLeave: z.boolean(),
        moveToNewVersion: z.boolean(),
        timezone: z.string(),
        startedAt: ZInstant,
        startedBy: z.string().nullable(),
        pausedAt: ZInstant.nullable(),
        stoppedAt: ZInstant.nullable(),
        holdoutPercent: z.number(),
        initial: z.object({ members: z.number(), enrolled: z.number(), done: z.boolean() }),
        /** Entrants per side of the holdout. */
        groups: z.object({ treatment: z.number(), holdout: z.number() }),
        enrollments: z.object({ active: z.number(), completed: z.number(), exited: z.number() }),
        atNodes: z.array(
          z.object({ nodeId: z.string(), count: z.number(), due: z.number(), nextDue: ZInstant }),
        ),
        endings: z.array(z.object({ reason: z.string(), count: z.number() })),
        variants: z.array(
          z.object({
            branchNodeId: z.string(),
            variant: z.string(),
            customers: z.number(),
            converted: z.number(),
          }),
        ),
      })
      .nullable(),
    messages: z.array(ZMessageCounts),
  }),
);

export const ZWentLive = describes<Resolved<typeof goLive>>()(
  z.object({ runId: z.string(), name: z.string(), version: z.number(), members: z.number() }),
);
export const ZRunChanged = describes<Resolved<typeof pauseRun>>()(z.object({ name: z.string() }));
export const ZRunStopped = describes<Resolved<typeof stopRun>>()(
  z.object({ name: z.string(), exited: z.number() }),
);

export const ZDryRun = describes<Resolved<typeof dryRun>>()(
  z.object({
    version: z.number(),
    from: ZInstant,
    to: ZInstant,
    entrants: z.number(),
    sampled: z.number(),
    touchpoints: z.array(
      z.object({
        touchpointId: z.string(),
        title: z.string(),
        channel: ZChannel,
        messages: z.number(),
        skipped: z.number(),
      }),
    ),
    customers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        enteredAt: ZInstant,
        timeZone: z.string(),
        holdout: z.boolean(),
        messages: z.array(
          z.object({
            touchpointId: z.string(),
            title: z.string(),
            channel: ZChannel,
            at: ZInstant,
            localTime: z.string(),
            afterEntryHours: z.number(),
            variant: z.string().nullable(),
            channelReason: z.string().nullable(),
            timingReason: z.string().nullable(),
          }),
        ),
        skipped: z.array(z.object({ touchpointId: z.string(), reason: z.string() })),
        ending: z.string().nullable(),
      }),
    ),
  }),
);

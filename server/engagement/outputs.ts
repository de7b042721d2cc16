import { z } from "zod";
import { describes, ZChannel, ZInstant, type Resolved } from "~/server/output-schemas";
import type { customerBestChoices } from "./customer";

// What the customer page's best-channel procedure returns.

export const ZCustomerBestChoices = describes<Resolved<typeof customerBestChoices>>()(
  z.object({
    preferred: z.object({ channel: ZChannel.nullable(), reason: z.string() }),
    reactions: z.array(
      z.object({
        channel: ZChannel,
        opens: z.number(),
        clicks: z.number(),
        visits: z.number(),
        purchases: z.number(),
        lastAt: ZInstant,
      }),
    ),
    reachable: z.array(z.object({ channel: ZChannel, allowed: z.boolean(), reason: z.string().nullable() })),
    bestHour: z.object({
      hours: z.object({ startHour: z.number(), endHour: z.number() }).nullable(),
      timeZone: z.string(),
      reason: z.string(),
    }),
    timeZoneKnown: z.boolean(),
  }),
);

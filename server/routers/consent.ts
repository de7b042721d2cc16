import "server-only";
import { z } from "zod";
import { consentStates } from "~/db/enums";
import {
  ZChannelConsents,
  ZConsentSet,
  ZSuppressionAdded,
  ZSuppressionRemoved,
  ZSuppressions,
} from "~/server/consent/outputs";
import {
  addSuppression,
  listConsent,
  listSuppressions,
  removeSuppression,
  requireCustomer,
  setConsent,
} from "~/server/consent/store";
import { ZChannelName } from "~/server/destinations/settings";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";

const ZCustomerId = z.uuid("customerId must be a customer id");
const ZAddress = z
  .string()
  .trim()
  .min(1, "an address is required")
  .max(320, "an address has at most 320 characters");

export const consentRouter = createTRPCRouter({
  /** The customer's subscription on every channel (the customer page's Consent card). */
  ofCustomer: workspaceProcedure("workspace:read")
    .input(z.object({ customerId: ZCustomerId }))
    .output(ZChannelConsents)
    .query(async ({ ctx, input }) => {
      await requireCustomer(ctx.db, ctx.workspaceId, input.customerId);
      return listConsent(ctx.db, ctx.workspaceId, input.customerId);
    }),

  /** Subscribes or unsubscribes the customer on a channel by hand. */
  set: workspaceProcedure("content:write")
    .input(
      z.object({
        customerId: ZCustomerId,
        channel: ZChannelName,
        state: z.enum(consentStates, { error: () => "state must be subscribed or unsubscribed" }),
      }),
    )
    .output(ZConsentSet)
    .mutation(async ({ ctx, input }) => {
      const result = await setConsent(ctx.db, {
        workspaceId: ctx.workspaceId,
        customerId: input.customerId,
        channels: [input.channel],
        state: input.state,
        source: "manual",
        actorUserId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `${input.state === "unsubscribed" ? "unsubscribed" : "subscribed"} a customer ${input.state === "unsubscribed" ? "from" : "to"} ${input.channel}`,
        details: { customerId: result.customerId, channel: input.channel, state: input.state },
      });
      return result;
    }),

  suppressions: workspaceProcedure("settings:manage")
    .output(ZSuppressions)
    .query(({ ctx }) => listSuppressions(ctx.db, ctx.workspaceId)),

  addSuppression: workspaceProcedure("settings:manage")
    .input(
      z.object({
        channel: ZChannelName,
        address: ZAddress,
        reason: z.string().trim().min(1, "say why, e.g. “hard bounce” or “asked by phone”").max(500),
      }),
    )
    .output(ZSuppressionAdded)
    .mutation(async ({ ctx, input }) => {
      const added = await addSuppression(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `suppressed ${added.address} on ${added.channel}`,
        details: { reason: input.reason },
      });
      return added;
    }),

  removeSuppression: workspaceProcedure("settings:manage")
    .input(z.object({ channel: ZChannelName, address: ZAddress }))
    .output(ZSuppressionRemoved)
    .mutation(async ({ ctx, input }) => {
      const removed = await removeSuppression(ctx.db, { ...input, workspaceId: ctx.workspaceId });
      ctx.audit({ summary: `removed ${removed.address} on ${removed.channel} from the suppression list` });
      return removed;
    }),
});

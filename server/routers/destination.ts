import "server-only";
import { z } from "zod";
import { deliveryStatuses } from "~/db/enums";
import { listDeliveries, replayDelivery } from "~/server/destinations/deliveries";
import {
  ZCreatedDestination,
  ZDeliveryList,
  ZDestinations,
  ZRemovedDestination,
  ZReplayed,
  ZRoute,
  ZTestOutcome,
  ZUpdatedDestination,
} from "~/server/destinations/outputs";
import { ZChannelName, ZDestinationInput } from "~/server/destinations/settings";
import {
  createDestination,
  listDestinations,
  removeDestination,
  setRoute,
  updateDestination,
} from "~/server/destinations/store";
import { sendTestMessage } from "~/server/destinations/test-message";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";

const ZDestinationId = z.uuid("destinationId must be a destination id");

export const ZListDeliveriesInput = z.object({
  status: z.enum(deliveryStatuses).optional(),
  outboxOnly: z.boolean().default(false),
  /** The last delivery of the page before: newest first, keyset. */
  cursor: z.object({ createdAt: z.date(), id: z.uuid() }).nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const destinationRouter = createTRPCRouter({
  list: workspaceProcedure("settings:manage")
    .output(ZDestinations)
    .query(({ ctx }) => listDestinations(ctx.db, ctx.workspaceId)),

  create: workspaceProcedure("settings:manage")
    .input(z.object({ destination: ZDestinationInput }))
    .output(ZCreatedDestination)
    .mutation(async ({ ctx, input }) => {
      const created = await createDestination(ctx.db, {
        workspaceId: ctx.workspaceId,
        userId: ctx.session.user.id,
        input: input.destination,
      });
      // The credential stays out of the log (the audit input is redacted of it too).
      ctx.audit({
        summary: `added the ${created.kind} destination “${created.name}”`,
        details: { destinationId: created.id },
      });
      return created;
    }),

  update: workspaceProcedure("settings:manage")
    .input(z.object({ destinationId: ZDestinationId, destination: ZDestinationInput }))
    .output(ZUpdatedDestination)
    .mutation(async ({ ctx, input }) => {
      const updated = await updateDestination(ctx.db, {
        workspaceId: ctx.workspaceId,
        destinationId: input.destinationId,
        input: input.destination,
      });
      ctx.audit({
        summary: `changed the destination “${updated.name}”`,
        details: { destinationId: updated.id },
      });
      return updated;
    }),

  remove: workspaceProcedure("settings:manage")
    .input(z.object({ destinationId: ZDestinationId }))
    .output(ZRemovedDestination)
    .mutation(async ({ ctx, input }) => {
      const removed = await removeDestination(ctx.db, {
        workspaceId: ctx.workspaceId,
        destinationId: input.destinationId,
      });
      ctx.audit({
        summary:
          `removed the destination “${removed.name}”` +
          (removed.deadLettered > 0 ? `; ${removed.deadLettered} queued messages were dead-lettered` : ""),
      });
      return removed;
    }),

  /** Which destination a channel's messages go to; null sends them to the outbox. */
  setRoute: workspaceProcedure("settings:manage")
    .input(z.object({ channel: ZChannelName, destinationId: ZDestinationId.nullable() }))
    .output(ZRoute)
    .mutation(async ({ ctx, input }) => {
      const route = await setRoute(ctx.db, {
        workspaceId: ctx.workspaceId,
        channel: input.channel,
        destinationId: input.destinationId,
      });
      ctx.audit({ summary: `sent ${input.channel} messages to ${route.destinationName ?? "the outbox"}` });
      return route;
    }),

  /** Sends a sample message to the admin through the destination, and says what happened. */
  sendTest: workspaceProcedure("settings:manage")
    .input(z.object({ destinationId: ZDestinationId }))
    .output(ZTestOutcome)
    .mutation(async ({ ctx, input }) => {
      const outcome = await sendTestMessage(ctx.db, {
        workspaceId: ctx.workspaceId,
        destinationId: input.destinationId,
        user: ctx.session.user,
      });
      ctx.audit({
        summary: `sent a test message (${outcome.status})`,
        details: { destinationId: input.destinationId, deliveryId: outcome.id },
      });
      return outcome;
    }),

  /** Messages and their outcomes, newest first: the Outbox page and the failures to replay. */
  deliveries: workspaceProcedure("workspace:read")
    .input(ZListDeliveriesInput)
    .output(ZDeliveryList)
    .query(({ ctx, input: { cursor, ...filter } }) =>
      listDeliveries(ctx.db, { ...filter, before: cursor ?? undefined, workspaceId: ctx.workspaceId }),
    ),

  /** A dead-lettered message queued again. */
  replay: workspaceProcedure("settings:manage")
    .input(z.object({ deliveryId: z.uuid("deliveryId must be a delivery id") }))
    .output(ZReplayed)
    .mutation(async ({ ctx, input }) => {
      const replayed = await replayDelivery(ctx.db, {
        workspaceId: ctx.workspaceId,
        deliveryId: input.deliveryId,
      });
      ctx.audit({
        summary: `queued the message “${replayed.subject}” again`,
        details: { deliveryId: replayed.id },
      });
      return replayed;
    }),
});

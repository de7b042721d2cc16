import "server-only";
import { z } from "zod";
import { channels, eventTypes, rfmGroups } from "~/db/enums";
import { CUSTOMER_PAGE_SIZE, listCustomers } from "~/server/customers/list";
import { customerSorts } from "~/server/customers/list-sorts";
import { getCustomer, getEvent, listTimeline, TIMELINE_PAGE_SIZE } from "~/server/customers/queries";
import { listEventNames } from "~/server/customers/event-names";
import { customerLanes } from "~/server/customers/lanes";
import { ZCustomerLanes, ZCustomerMemberships } from "~/server/customers/lane-outputs";
import { customerMemberships } from "~/server/customers/memberships";
import { customerBestChoices } from "~/server/engagement/customer";
import { ZCustomerBestChoices } from "~/server/engagement/outputs";
import { mergeProfiles, undoMerge } from "~/server/identity/merge";
import { createTRPCRouter, workspaceProcedure } from "~/server/trpc";
import {
  ZCustomer,
  ZCustomerPage,
  ZEvent,
  ZEventNames,
  ZMergeResult,
  ZTimelinePage,
  ZUndoMergeResult,
} from "~/server/customers/outputs";

const ZChannel = z.enum(channels, `Channel must be one of ${channels.join(", ")}`);
const ZEventType = z.enum(eventTypes);
const ZCursor = z.string().max(1000).optional();

export const ZListCustomersInput = z.object({
  search: z.string().trim().max(200, "Search for at most 200 characters").optional(),
  channel: ZChannel.optional(),
  lastSeenWithinDays: z.number().int().min(1).max(36500).optional(),
  lastSeenBefore: z.date().optional(),
  minSpend: z.number().min(0, "Minimum spend cannot be negative").optional(),
  rfmGroup: z.enum(rfmGroups, "That is not an RFM group").optional(),
  minClv: z.number().min(0, "Minimum value cannot be negative").optional(),
  segmentId: z.uuid("That is not a segment id").optional(),
  sort: z.enum(customerSorts).default("lastSeen"),
  cursor: ZCursor,
  limit: z.number().int().min(1).max(100).default(CUSTOMER_PAGE_SIZE),
});

export const ZGetCustomerInput = z.object({ id: z.uuid("That is not a customer id") });

export const ZListTimelineInput = z
  .object({
    customerId: z.uuid("That is not a customer id"),
    channels: z.array(ZChannel).max(channels.length).optional(),
    types: z.array(ZEventType).max(eventTypes.length).optional(),
    events: z.array(z.string().max(200)).max(50).optional(),
    from: z.date().optional(),
    to: z.date().optional(),
    cursor: ZCursor,
    limit: z.number().int().min(1).max(200).default(TIMELINE_PAGE_SIZE),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    message: "The start of the date range must come before its end",
    path: ["to"],
  });

/** Ten years either way of now: wider than any history, narrow enough that the dates stay real. */
const LANE_LIMIT_MS = 10 * 365 * 24 * 3_600_000;

export const ZCustomerLanesInput = z
  .object({
    customerId: z.uuid("That is not a customer id"),
    from: z.date("The start must be a date"),
    to: z.date("The end must be a date"),
    maxBuckets: z.number().int().min(10).max(2000).default(300),
  })
  .refine((input) => input.from < input.to, {
    message: "The start of the time range must come before its end",
    path: ["to"],
  })
  .refine(
    (input) =>
      Math.abs(input.from.getTime() - Date.now()) < LANE_LIMIT_MS &&
      Math.abs(input.to.getTime() - Date.now()) < LANE_LIMIT_MS,
    { message: "The time range must lie within ten years of today", path: ["from"] },
  );

export const ZCustomerMembershipsInput = z.object({ customerId: z.uuid("That is not a customer id") });

export const ZGetEventInput = z.object({ id: z.number().int().positive("That is not an event id") });

export const ZMergeCustomersInput = z.object({
  survivorId: z.uuid("That is not a customer id"),
  mergedId: z.uuid("That is not a customer id"),
});
export const ZUndoMergeInput = z.object({ mergeId: z.number().int().positive("That is not a merge id") });

export type TListCustomersInput = z.infer<typeof ZListCustomersInput>;
export type TListTimelineInput = z.infer<typeof ZListTimelineInput>;

export const customerRouter = createTRPCRouter({
  list: workspaceProcedure("workspace:read")
    .input(ZListCustomersInput)
    .output(ZCustomerPage)
    .query(({ ctx, input }) => listCustomers({ db: ctx.db, ...input, workspaceId: ctx.workspaceId })),

  get: workspaceProcedure("workspace:read")
    .input(ZGetCustomerInput)
    .output(ZCustomer)
    .query(({ ctx, input }) => getCustomer({ db: ctx.db, workspaceId: ctx.workspaceId, id: input.id })),

  timeline: workspaceProcedure("workspace:read")
    .input(ZListTimelineInput)
    .output(ZTimelinePage)
    .query(({ ctx, input }) => listTimeline({ db: ctx.db, ...input, workspaceId: ctx.workspaceId })),

  /** One stretch of the customer's events for the channel lanes: event by event, or in buckets when dense. */
  lanes: workspaceProcedure("workspace:read")
    .input(ZCustomerLanesInput)
    .output(ZCustomerLanes)
    .query(({ ctx, input }) => customerLanes({ db: ctx.db, ...input, workspaceId: ctx.workspaceId })),

  /** The segments the customer is in (since when) and the stage they reached in those segments' journeys. */
  memberships: workspaceProcedure("workspace:read")
    .input(ZCustomerMembershipsInput)
    .output(ZCustomerMemberships)
    .query(({ ctx, input }) =>
      customerMemberships(ctx.db, { workspaceId: ctx.workspaceId, customerId: input.customerId }),
    ),

  /** The customer's preferred channel, the channels that reach them and their best hour, each with its reason. */
  bestChoices: workspaceProcedure("workspace:read")
    .input(z.object({ customerId: z.uuid("That is not a customer id") }))
    .output(ZCustomerBestChoices)
    .query(({ ctx, input }) => customerBestChoices(ctx.db, ctx.workspaceId, input.customerId)),

  event: workspaceProcedure("workspace:read")
    .input(ZGetEventInput)
    .output(ZEvent)
    .query(({ ctx, input }) => getEvent({ db: ctx.db, workspaceId: ctx.workspaceId, id: input.id })),

  /** The event names the workspace has tracked and their channels: what event fields suggest. */
  eventNames: workspaceProcedure("workspace:read")
    .output(ZEventNames)
    .query(({ ctx }) => listEventNames(ctx.db, ctx.workspaceId)),

  /** Staff join two profiles that are the same person; the merged one's history moves to the survivor. */
  merge: workspaceProcedure("content:write")
    .input(ZMergeCustomersInput)
    .output(ZMergeResult)
    .mutation(async ({ ctx, input }) => {
      const { mergeId, survivor, merged } = await mergeProfiles(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        actorUserId: ctx.session.user.id,
      });
      const label = (p: { name: string | null; email: string | null; id: string }) =>
        p.name ?? p.email ?? p.id;
      ctx.audit({
        summary: `merged customer ${label(merged)} into ${label(survivor)}`,
        details: { mergeId },
      });
      return { mergeId, survivorId: survivor.id };
    }),

  /** Splits a merge again: the merged profile gets back what first joined it. */
  undoMerge: workspaceProcedure("content:write")
    .input(ZUndoMergeInput)
    .output(ZUndoMergeResult)
    .mutation(async ({ ctx, input }) => {
      const result = await undoMerge(ctx.db, {
        ...input,
        workspaceId: ctx.workspaceId,
        actorUserId: ctx.session.user.id,
      });
      ctx.audit({
        summary: `undid merge ${input.mergeId}: profile ${result.mergedId} is a customer of its own again`,
      });
      return result;
    }),
});

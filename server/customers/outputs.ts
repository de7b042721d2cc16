import { z } from "zod";
import { eventTypes, identityKinds } from "~/db/enums";
import type { undoMerge } from "~/server/identity/merge";
import {
  describes,
  orUndefined,
  ZChannel,
  ZFreeForm,
  ZInstant,
  ZRfmGroup,
  type Resolved,
} from "~/server/output-schemas";
import type { listEventNames } from "./event-names";
import type { listCustomers } from "./list";
import type { getCustomer, getEvent, listTimeline } from "./queries";

// What the customer procedures return: profiles, their identities, merges and events.

export const ZIdentityKind = z.enum(identityKinds);

/** A customer named in a list: the name and email may both be unknown. */
export const ZCustomerRef = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});

/** What a profile's figures say about its activity, kept up to date as events arrive. */
const activity = {
  phone: z.string().nullable(),
  eventCount: z.number(),
  purchaseCount: z.number(),
  totalSpend: z.number(),
  firstSeenAt: ZInstant.nullable(),
  lastSeenAt: ZInstant.nullable(),
};

export const ZCustomerRow = ZCustomerRef.extend({
  ...activity,
  channels: z.array(ZChannel),
  identifier: z.object({ kind: ZIdentityKind, value: z.string() }).nullable(),
  clv: z.number().nullable(),
  pAlive: z.number().nullable(),
  rfmGroup: ZRfmGroup.nullable(),
});

export const ZCustomerPage = describes<Resolved<typeof listCustomers>>()(
  z.object({
    customers: z.array(ZCustomerRow),
    nextCursor: orUndefined(z.string()),
    broadSearch: z.boolean(),
    searchLimit: z.number(),
  }),
);

const ZIdentity = z.object({
  kind: ZIdentityKind,
  value: z.string(),
  source: z.string(),
  firstSeenAt: ZInstant,
  profileId: z.string(),
  fromMergedProfile: z.boolean(),
});

const ZMergeRecord = z.object({
  id: z.number(),
  direction: z.enum(["mergedInto", "absorbed"]),
  otherProfile: ZCustomerRef,
  reason: z.string(),
  identityKind: ZIdentityKind.nullable(),
  identityValue: z.string().nullable(),
  messageId: z.string().nullable(),
  createdAt: ZInstant,
  undone: z.boolean(),
  undoneAt: ZInstant.nullable(),
  actorName: z.string().nullable(),
  undoneByName: z.string().nullable(),
});

/** A profile that was merged: the page moves on to the profile it joined. */
const ZMergedAway = z.object({ mergedInto: z.string() });

const ZCustomerDetail = z.object({
  mergedInto: z.null(),
  profile: ZCustomerRef.extend({ ...activity, traits: ZFreeForm, createdAt: ZInstant }),
  identities: z.array(ZIdentity),
  identityCount: z.number(),
  merges: z.array(ZMergeRecord),
  channelMix: z.array(z.object({ channel: ZChannel, count: z.number(), share: z.number() })),
  spend: z.object({
    purchases: z.number(),
    total: z.number(),
    averageOrder: z.number().nullable(),
    firstPurchaseAt: ZInstant.nullable(),
    lastPurchaseAt: ZInstant.nullable(),
  }),
  eventNames: z.array(z.object({ event: z.string(), count: z.number() })),
});

export const ZCustomer = describes<Resolved<typeof getCustomer>>()(z.union([ZMergedAway, ZCustomerDetail]));

const ZEventHead = z.object({
  id: z.number(),
  type: z.enum(eventTypes),
  event: z.string().nullable(),
  channel: ZChannel,
  timestamp: ZInstant,
  amount: z.number().nullable(),
});

export const ZTimelinePage = describes<Resolved<typeof listTimeline>>()(
  z.object({
    events: z.array(ZEventHead.extend({ summary: z.string() })),
    nextCursor: orUndefined(z.string()),
  }),
);

export const ZEvent = describes<Resolved<typeof getEvent>>()(
  ZEventHead.extend({
    customerId: z.string(),
    profileId: z.string(),
    messageId: z.string(),
    userId: z.string().nullable(),
    anonymousId: z.string().nullable(),
    properties: ZFreeForm,
    traits: ZFreeForm.nullable(),
    context: ZFreeForm,
    receivedAt: ZInstant,
    source: z.string(),
  }),
);

export const ZEventNames = describes<Resolved<typeof listEventNames>>()(
  z.array(z.object({ event: z.string(), channels: z.array(ZChannel) })),
);

export const ZMergeResult = z.object({ mergeId: z.number(), survivorId: z.string() });

export const ZUndoMergeResult = describes<Resolved<typeof undoMerge>>()(
  z.object({ mergedId: z.string(), survivorId: z.string() }),
);

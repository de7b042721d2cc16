import { z } from "zod";
import { deliveryStatuses, destinationKinds } from "~/db/enums";
import { describes, ZChannel, ZFreeForm, ZInstant, type Resolved } from "~/server/output-schemas";
import type { listDeliveries, replayDelivery } from "./deliveries";
import type {
  createDestination,
  listDestinations,
  removeDestination,
  setRoute,
  updateDestination,
} from "./store";
import { ZSmtpSettings, ZWebhookSettings } from "./settings";
import type { sendTestMessage } from "./test-message";

// What the destination procedures return. Credentials never leave the server:
// a destination says only whether one is set; a webhook's generated signing
// secret is in the answer to its creation, once.

const ZKind = z.enum(destinationKinds);
const ZStatus = z.enum(deliveryStatuses);
const ZHead = z.object({ id: z.string(), name: z.string(), kind: ZKind });

export const ZDestinations = describes<Resolved<typeof listDestinations>>()(
  z.array(
    ZHead.extend({
      settings: z.union([ZSmtpSettings, ZWebhookSettings, z.record(z.string(), z.never())]),
      hasSecret: z.boolean(),
      channels: z.array(ZChannel),
      createdAt: ZInstant,
      updatedAt: ZInstant,
    }),
  ),
);

export const ZCreatedDestination = describes<Resolved<typeof createDestination>>()(
  ZHead.extend({ generatedSecret: z.string().nullable() }),
);
export const ZUpdatedDestination = describes<Resolved<typeof updateDestination>>()(ZHead);
export const ZRemovedDestination = describes<Resolved<typeof removeDestination>>()(
  z.object({ name: z.string(), deadLettered: z.number() }),
);
export const ZRoute = describes<Resolved<typeof setRoute>>()(
  z.object({ channel: ZChannel, destinationName: z.string().nullable() }),
);
export const ZTestOutcome = describes<Resolved<typeof sendTestMessage>>()(
  z.object({ id: z.string(), status: ZStatus, error: z.string().nullable() }),
);

const ZSource = z.union([
  z.object({ kind: z.literal("test"), requestedBy: z.string() }),
  z.object({
    kind: z.literal("journey"),
    journeyId: z.string(),
    version: z.number(),
    touchpointId: z.string(),
    variant: z.string().nullable(),
  }),
]);

export const ZDeliveryList = describes<Resolved<typeof listDeliveries>>()(
  z.object({
    deliveries: z.array(
      z.object({
        id: z.string(),
        channel: ZChannel,
        destinationKind: ZKind,
        customerId: z.string().nullable(),
        message: z.object({
          source: ZSource,
          to: z.string().nullable(),
          subject: z.string(),
          text: z.string(),
          html: z.string(),
          link: z.string().nullable(),
          traits: ZFreeForm,
          unsubscribeUrl: z.string().nullable(),
        }),
        status: ZStatus,
        attempts: z.number(),
        lastError: z.string().nullable(),
        createdAt: ZInstant,
        sentAt: ZInstant.nullable(),
        nextAttemptAt: ZInstant,
      }),
    ),
    next: z.object({ createdAt: ZInstant, id: z.string() }).nullable(),
  }),
);

export const ZReplayed = describes<Resolved<typeof replayDelivery>>()(
  z.object({ id: z.string(), subject: z.string() }),
);

import "server-only";
import type { DbOrTx } from "~/db";
import type { Channel, DestinationKind } from "~/db/enums";
import { deliveries } from "~/db/schema";
import { renderMessage, TemplateError } from "~/server/destinations/render";
import type { DeliveryMessage } from "~/server/destinations/settings";
import { routeFor } from "~/server/destinations/store";
import type { CustomerProfile } from "./facts";
import type { PlannedSend } from "./step";

// A touchpoint's message for one customer: rendered from the touchpoint's title,
// content and link with the customer's traits and the triggering event, and
// stored in the delivery outbox in the step's own transaction. The app's
// Outbox is the message itself, so an Outbox delivery is sent when it is stored;
// SMTP and webhook deliveries are queued for the sender (server/destinations).

export interface SendContext {
  workspaceId: string;
  enrollmentId: string;
  journeyId: string;
  version: number;
  customer: CustomerProfile;
  unsubscribeUrl: (channel: Channel) => string | null;
}

type Route = { destinationId: string | null; kind: DestinationKind };

/** Routes by channel, looked up once per batch. */
export function routeCache(db: DbOrTx, workspaceId: string) {
  const routes = new Map<Channel, Promise<Route>>();
  return (channel: Channel) => {
    let route = routes.get(channel);
    if (!route) {
      route = routeFor(db, workspaceId, channel);
      routes.set(channel, route);
    }
    return route;
  };
}

export type BuiltMessage =
  { ok: true; values: typeof deliveries.$inferInsert; kind: DestinationKind } | { ok: false; error: string };

export async function buildDelivery(
  send: PlannedSend,
  context: SendContext,
  route: Route,
  now: Date,
): Promise<BuiltMessage> {
  const { touchpoint } = send;
  const { channel } = send;
  const unsubscribeUrl = context.unsubscribeUrl(channel);
  let rendered;
  try {
    rendered = await renderMessage({
      subject: touchpoint.title,
      content: touchpoint.content,
      link: touchpoint.link,
      customer: context.customer,
      event: send.triggerEvent
        ? { name: send.triggerEvent.event, properties: send.triggerEvent.properties }
        : null,
      unsubscribeUrl,
    });
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, error: error.message };
    throw error;
  }
  const message: DeliveryMessage = {
    source: {
      kind: "journey",
      journeyId: context.journeyId,
      version: context.version,
      touchpointId: touchpoint.id,
      variant: send.variant,
    },
    to: channel === "email" ? context.customer.email : context.customer.phone,
    ...rendered,
    traits: context.customer.traits,
    unsubscribeUrl,
  };
  const sentNow = route.kind === "outbox";
  return {
    ok: true,
    kind: route.kind,
    values: {
      workspaceId: context.workspaceId,
      destinationId: route.destinationId,
      destinationKind: route.kind,
      channel,
      customerId: context.customer.id,
      journeyId: context.journeyId,
      message,
      idempotencyKey: `journey:${context.enrollmentId}:${send.visit}`,
      status: sentNow ? "sent" : "queued",
      attempts: sentNow ? 1 : 0,
      sentAt: sentNow ? now : null,
      createdAt: now,
    },
  };
}

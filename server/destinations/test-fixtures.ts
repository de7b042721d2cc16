import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { deliveries } from "~/db/schema";
import { enqueueDelivery } from "./deliveries";
import type { DeliveryMessage } from "./settings";
import { createDestination } from "./store";

/** A message as a journey would queue it, for tests. */
export function sampleMessage(overrides: Partial<DeliveryMessage> = {}): DeliveryMessage {
  return {
    source: { kind: "journey", journeyId: "j1", version: 1, touchpointId: "welcome", variant: null },
    to: "ada@example.com",
    subject: "Welcome, Ada",
    text: "Hello Ada",
    html: "<p>Hello Ada</p>",
    link: null,
    traits: { first_name: "Ada" },
    unsubscribeUrl: null,
    ...overrides,
  };
}

/** An outbox destination and a dead-lettered delivery in the workspace. */
export async function makeDestinationFixture(db: DbOrTx, workspaceId: string, userId: string) {
  const outbox = await createDestination(db, {
    workspaceId,
    userId,
    input: { kind: "outbox", name: "Outbox", settings: {} },
  });
  const deadDeliveryId = (await enqueueDelivery(db, {
    workspaceId,
    channel: "email",
    customerId: null,
    message: sampleMessage(),
    idempotencyKey: "fixture-dead",
  }))!;
  await db
    .update(deliveries)
    .set({ status: "dead", attempts: 5, lastError: "SMTP refused" })
    .where(and(eq(deliveries.workspaceId, workspaceId), eq(deliveries.id, deadDeliveryId)));
  return { outboxId: outbox.id, deadDeliveryId };
}

import "server-only";
import crypto from "node:crypto";
import type { DbOrTx } from "~/db";
import { enqueueDelivery, processDueDeliveries } from "./deliveries";
import { renderMessage } from "./render";
import { loadSendingDestination } from "./store";

// "Send a test to me": a sample message rendered through the same template
// engine, addressed to the admin, queued and sent at once through the same
// path journeys use, so that its outcome (or the SMTP or HTTP error) is what a
// real message would meet.

const SAMPLE = {
  subject: "Test message from Centric to {{ customer.first_name | default: 'you' }}",
  content:
    "Hello {{ customer.first_name | default: 'there' }},\n\nThis is a test of the destination “{{ destination }}”. " +
    "If you can read it, journeys can reach customers through it.",
};

export async function sendTestMessage(
  db: DbOrTx,
  {
    workspaceId,
    destinationId,
    user,
  }: { workspaceId: string; destinationId: string; user: { id: string; email: string; name: string | null } },
) {
  const destination = await loadSendingDestination(db, workspaceId, destinationId);
  const rendered = await renderMessage({
    subject: SAMPLE.subject,
    content: SAMPLE.content.replace("{{ destination }}", destination.name.replace(/[{}%]/g, "")),
    link: null,
    customer: { id: user.id, name: user.name, email: user.email, phone: null, traits: {} },
  });
  const id = await enqueueDelivery(
    db,
    {
      workspaceId,
      channel: destination.kind === "smtp" ? "email" : "other",
      customerId: null,
      message: {
        source: { kind: "test", requestedBy: user.id },
        to: user.email,
        ...rendered,
        traits: { email: user.email, name: user.name },
        unsubscribeUrl: null,
      },
      idempotencyKey: `test-${crypto.randomUUID()}`,
    },
    destinationId,
  );
  const [outcome] = await processDueDeliveries(db, { ids: [id!], workspaceId, limit: 1 });
  return (
    outcome ?? {
      id: id!,
      status: "queued" as const,
      error: "The sender is busy; the test will be sent shortly.",
    }
  );
}

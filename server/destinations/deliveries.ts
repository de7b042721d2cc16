import "server-only";
import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { Channel, DeliveryStatus } from "~/db/enums";
import { deliveries } from "~/db/schema";
import { NotFoundError, RuleError } from "~/server/errors";
import type { DeliveryMessage } from "./settings";
import { PermanentSendError } from "./send-errors";
import { sendEmail } from "./smtp";
import { loadSendingDestination, OUTBOX, routeFor, type SendingDestination } from "./store";
import { postWebhook } from "./webhook";
import { writeJourneyEvents } from "~/server/journeys/run/timeline";

// The delivery outbox. A message is first committed as a queued row (with the
// step that decided to send it), then a sender claims due rows with FOR UPDATE
// SKIP LOCKED, sends them outside any transaction and records the outcome.
// Guarantees (docs/destinations.md): nothing decided is lost (the row exists
// before any send); the app's own outbox is exactly once (the row is the
// message); SMTP and webhooks are at least once, with the same idempotency key
// and Message-ID on every attempt so receivers can drop repeats.

/** How long a claimed delivery stays claimed: a sender that dies mid-send is retried after this. */
export const CLAIM_LEASE_MS = 5 * 60_000;
const SMTP_ATTEMPTS = 5;

/** Wait before attempt n+1 after n failed ones: 30 s, 1 min, 2 min … at most 1 h. */
export function backoffMs(failedAttempts: number) {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, failedAttempts - 1));
}

export interface EnqueueInput {
  workspaceId: string;
  channel: Channel;
  customerId: string | null;
  message: DeliveryMessage;
  /** Unique per workspace: enqueueing the same key twice stores one delivery. */
  idempotencyKey: string;
}

/** Queues a message for the channel's routed destination; returns its id, or null when the key was already queued. */
export async function enqueueDelivery(db: DbOrTx, input: EnqueueInput, destinationId?: string) {
  const route = destinationId
    ? { destinationId, kind: (await loadSendingDestination(db, input.workspaceId, destinationId)).kind }
    : await routeFor(db, input.workspaceId, input.channel);
  const [row] = await db
    .insert(deliveries)
    .values({
      workspaceId: input.workspaceId,
      destinationId: route.destinationId,
      destinationKind: route.kind,
      channel: input.channel,
      customerId: input.customerId,
      message: input.message,
      idempotencyKey: input.idempotencyKey,
    })
    .onConflictDoNothing({ target: [deliveries.workspaceId, deliveries.idempotencyKey] })
    .returning({ id: deliveries.id });
  return row?.id ?? null;
}

type Claimed = typeof deliveries.$inferSelect;

/** Claims up to `limit` due deliveries (of one workspace, or all), taking a lease on each. */
async function claimDue(
  db: DbOrTx,
  { limit, workspaceId, ids }: { limit: number; workspaceId?: string; ids?: string[] },
) {
  // The database's clock, not this process's: rows are stamped with it (and in microseconds).
  const filters: SQL[] = [sql`status = 'queued'`, sql`next_attempt_at <= clock_timestamp()`];
  if (workspaceId) filters.push(sql`workspace_id = ${workspaceId}`);
  if (ids?.length)
    filters.push(
      sql`id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
  const result = await db.execute<{ workspace_id: string; id: string }>(sql`
    update deliveries d set attempts = d.attempts + 1,
      next_attempt_at = clock_timestamp() + make_interval(secs => ${CLAIM_LEASE_MS / 1000})
    from (
      select workspace_id, id from deliveries
      where ${sql.join(filters, sql` and `)}
      order by next_attempt_at limit ${limit}
      for update skip locked
    ) due
    where d.workspace_id = due.workspace_id and d.id = due.id
    returning d.workspace_id, d.id`);
  if (result.rows.length === 0) return [];
  return db
    .select()
    .from(deliveries)
    .where(
      or(...result.rows.map((r) => and(eq(deliveries.workspaceId, r.workspace_id), eq(deliveries.id, r.id)))),
    );
}

async function send(delivery: Claimed, destination: SendingDestination) {
  if (destination.kind === "outbox") return;
  if (destination.kind === "smtp") return sendEmail(destination, delivery.message, delivery.idempotencyKey);
  await postWebhook(destination, {
    type: "message",
    deliveryId: delivery.id,
    idempotencyKey: delivery.idempotencyKey,
    workspaceId: delivery.workspaceId,
    channel: delivery.channel,
    customer: { id: delivery.customerId, traits: delivery.message.traits },
    source: delivery.message.source,
    message: {
      to: delivery.message.to,
      subject: delivery.message.subject,
      text: delivery.message.text,
      html: delivery.message.html,
      link: delivery.message.link,
      unsubscribeUrl: delivery.message.unsubscribeUrl,
    },
    createdAt: delivery.createdAt.toISOString(),
  });
}

const maxAttemptsOf = (destination: SendingDestination) =>
  destination.kind === "webhook"
    ? destination.settings.maxAttempts
    : destination.kind === "smtp"
      ? SMTP_ATTEMPTS
      : 1;

export interface DeliveryOutcome {
  id: string;
  status: DeliveryStatus;
  error: string | null;
}

/** Sends one claimed delivery and records what happened. */
async function deliverOne(db: DbOrTx, delivery: Claimed): Promise<DeliveryOutcome> {
  const where = and(eq(deliveries.workspaceId, delivery.workspaceId), eq(deliveries.id, delivery.id));
  let destination: SendingDestination | undefined;
  try {
    destination = delivery.destinationId
      ? await loadSendingDestination(db, delivery.workspaceId, delivery.destinationId)
      : OUTBOX;
    await send(delivery, destination);
    // The status and the timeline event together: a crash between them would leave a sent message with no Message Sent.
    await db.transaction(async (tx) => {
      await tx.update(deliveries).set({ status: "sent", sentAt: new Date(), lastError: null }).where(where);
      await recordOnTimeline(tx, delivery, "sent", null);
    });
    return { id: delivery.id, status: "sent", error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent =
      error instanceof PermanentSendError || error instanceof NotFoundError || error instanceof RuleError;
    const last = !destination || delivery.attempts >= maxAttemptsOf(destination);
    const status: DeliveryStatus = permanent || last ? "dead" : "queued";
    await db.transaction(async (tx) => {
      await tx
        .update(deliveries)
        .set({
          status,
          lastError: message.slice(0, 1000),
          nextAttemptAt: new Date(Date.now() + backoffMs(delivery.attempts)),
        })
        .where(where);
      if (status === "dead") await recordOnTimeline(tx, delivery, "dead", message);
    });
    return { id: delivery.id, status, error: message };
  }
}

/** A journey's message, once sent or given up on, is on its customer's timeline (Message Sent / Failed). */
async function recordOnTimeline(
  db: DbOrTx,
  delivery: Claimed,
  status: "sent" | "dead",
  error: string | null,
) {
  const { source } = delivery.message;
  if (source.kind !== "journey" || !delivery.customerId) return;
  await writeJourneyEvents(db, [
    {
      workspaceId: delivery.workspaceId,
      customerId: delivery.customerId,
      key: `${delivery.idempotencyKey}:${status}:${delivery.attempts}`,
      event: status === "sent" ? "Message Sent" : "Message Failed",
      channel: delivery.channel,
      properties: {
        journeyId: source.journeyId,
        version: source.version,
        touchpointId: source.touchpointId,
        variant: source.variant,
        destination: delivery.destinationKind,
        ...(error ? { error: error.slice(0, 300) } : {}),
      },
      at: new Date(),
    },
  ]);
}

/**
 * Sends what is due, `concurrency` at a time; returns the outcomes. Called by
 * the delivery loop, and directly for a test message so the admin sees its result.
 */
export async function processDueDeliveries(
  db: DbOrTx,
  options: { limit?: number; concurrency?: number; workspaceId?: string; ids?: string[] } = {},
): Promise<DeliveryOutcome[]> {
  const claimed = await claimDue(db, {
    limit: options.limit ?? 50,
    workspaceId: options.workspaceId,
    ids: options.ids,
  });
  const outcomes: DeliveryOutcome[] = [];
  const queue = [...claimed];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) outcomes.push(await deliverOne(db, next));
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, worker));
  return outcomes;
}

/** A dead-lettered delivery queued again, from a fresh count of attempts. */
export async function replayDelivery(
  db: DbOrTx,
  { workspaceId, deliveryId }: { workspaceId: string; deliveryId: string },
) {
  const [row] = await db
    .update(deliveries)
    .set({ status: "queued", attempts: 0, nextAttemptAt: new Date(), lastError: null })
    .where(
      and(
        eq(deliveries.workspaceId, workspaceId),
        eq(deliveries.id, deliveryId),
        eq(deliveries.status, "dead"),
      ),
    )
    .returning({ id: deliveries.id, subject: sql<string>`${deliveries.message}->>'subject'` });
  if (!row) throw new NotFoundError("There is no dead-lettered delivery with that id in this workspace.");
  return row;
}

export interface DeliveryListFilter {
  workspaceId: string;
  status?: DeliveryStatus;
  /** Only messages kept in the app's outbox. */
  outboxOnly?: boolean;
  /** Keyset: deliveries created before this one (createdAt, id). */
  before?: { createdAt: Date; id: string };
  limit?: number;
}

export async function listDeliveries(db: DbOrTx, filter: DeliveryListFilter) {
  const limit = filter.limit ?? 50;
  const conditions: (SQL | undefined)[] = [eq(deliveries.workspaceId, filter.workspaceId)];
  if (filter.status) conditions.push(eq(deliveries.status, filter.status));
  if (filter.outboxOnly) conditions.push(eq(deliveries.destinationKind, "outbox"));
  if (filter.before)
    conditions.push(
      or(
        lt(deliveries.createdAt, filter.before.createdAt),
        and(eq(deliveries.createdAt, filter.before.createdAt), lt(deliveries.id, filter.before.id)),
      ),
    );
  const rows = await db
    .select({
      id: deliveries.id,
      channel: deliveries.channel,
      destinationKind: deliveries.destinationKind,
      customerId: deliveries.customerId,
      message: deliveries.message,
      status: deliveries.status,
      attempts: deliveries.attempts,
      lastError: deliveries.lastError,
      createdAt: deliveries.createdAt,
      sentAt: deliveries.sentAt,
      nextAttemptAt: deliveries.nextAttemptAt,
    })
    .from(deliveries)
    .where(and(...conditions))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(limit + 1);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    deliveries: rows.slice(0, limit),
    next: last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

import "server-only";
import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { Channel, DestinationKind } from "~/db/enums";
import { deliveries, destinationRoutes, destinations } from "~/db/schema";
import { NotFoundError, RuleError } from "~/server/errors";
import { openSecret, sealSecret, secretBinding } from "./secret-box";
import type { DestinationInput, DestinationSettings, SmtpSettings, WebhookSettings } from "./settings";

// Destinations of a workspace and the channel routes to them. Credentials are
// sealed on the way in and never leave the server: lists say only whether one
// is set; a webhook's generated signing secret is shown once, when created.

export interface DestinationRow {
  id: string;
  name: string;
  kind: DestinationKind;
  settings: DestinationSettings;
  hasSecret: boolean;
  /** The channels routed here. */
  channels: Channel[];
  createdAt: Date;
  updatedAt: Date;
}

export async function listDestinations(db: DbOrTx, workspaceId: string): Promise<DestinationRow[]> {
  const rows = await db
    .select({
      id: destinations.id,
      name: destinations.name,
      kind: destinations.kind,
      settings: destinations.settings,
      hasSecret: sql<boolean>`${destinations.sealedSecret} is not null`,
      channels: sql<
        Channel[]
      >`coalesce(array_agg(${destinationRoutes.channel}::text order by ${destinationRoutes.channel}) filter (where ${destinationRoutes.channel} is not null), '{}'::text[])`,
      createdAt: destinations.createdAt,
      updatedAt: destinations.updatedAt,
    })
    .from(destinations)
    .leftJoin(
      destinationRoutes,
      and(
        eq(destinationRoutes.workspaceId, destinations.workspaceId),
        eq(destinationRoutes.destinationId, destinations.id),
      ),
    )
    .where(eq(destinations.workspaceId, workspaceId))
    .groupBy(destinations.workspaceId, destinations.id)
    .orderBy(asc(destinations.name));
  return rows;
}

const generatedSecret = () => crypto.randomBytes(24).toString("base64url");

/** Creates a destination; a webhook without a signing secret gets a generated one, returned here only. */
export async function createDestination(
  db: DbOrTx,
  { workspaceId, userId, input }: { workspaceId: string; userId: string; input: DestinationInput },
) {
  const id = crypto.randomUUID();
  let secret = "secret" in input ? input.secret : undefined;
  let generated: string | null = null;
  if (input.kind === "webhook" && !secret) secret = generated = generatedSecret();
  const [row] = await db
    .insert(destinations)
    .values({
      workspaceId,
      id,
      name: input.name,
      kind: input.kind,
      settings: input.settings,
      sealedSecret: secret ? sealSecret(secret, secretBinding(workspaceId, id)) : null,
      createdBy: userId,
    })
    .returning({ id: destinations.id, name: destinations.name, kind: destinations.kind });
  return { ...row!, generatedSecret: generated };
}

async function destinationKindOf(db: DbOrTx, workspaceId: string, destinationId: string) {
  const [row] = await db
    .select({ kind: destinations.kind, name: destinations.name })
    .from(destinations)
    .where(and(eq(destinations.workspaceId, workspaceId), eq(destinations.id, destinationId)));
  if (!row) throw new NotFoundError("There is no such destination in this workspace.");
  return row;
}

/** Changes name and settings; the credential changes only when a new one is given (an empty one removes an SMTP password). */
export async function updateDestination(
  db: DbOrTx,
  {
    workspaceId,
    destinationId,
    input,
  }: { workspaceId: string; destinationId: string; input: DestinationInput },
) {
  const current = await destinationKindOf(db, workspaceId, destinationId);
  if (current.kind !== input.kind)
    throw new RuleError(
      `A destination's kind cannot change (this one is ${current.kind}); add a new one instead.`,
    );
  const secret = "secret" in input ? input.secret : undefined;
  const sealed =
    secret === undefined
      ? {}
      : {
          sealedSecret: secret === "" ? null : sealSecret(secret, secretBinding(workspaceId, destinationId)),
        };
  const [row] = await db
    .update(destinations)
    .set({ name: input.name, settings: input.settings, ...sealed, updatedAt: new Date() })
    .where(and(eq(destinations.workspaceId, workspaceId), eq(destinations.id, destinationId)))
    .returning({ id: destinations.id, name: destinations.name, kind: destinations.kind });
  return row!;
}

/**
 * Removes a destination and its routes (those channels go to the outbox
 * again). Messages still queued for it are dead-lettered with the reason, in
 * the same transaction, so none is sent afterwards nor silently lost.
 */
export async function removeDestination(
  db: DbOrTx,
  { workspaceId, destinationId }: { workspaceId: string; destinationId: string },
) {
  const current = await destinationKindOf(db, workspaceId, destinationId);
  const dropped = await db
    .update(deliveries)
    .set({ status: "dead", lastError: `The destination “${current.name}” was removed before this was sent.` })
    .where(
      and(
        eq(deliveries.workspaceId, workspaceId),
        eq(deliveries.destinationId, destinationId),
        eq(deliveries.status, "queued"),
      ),
    )
    .returning({ id: deliveries.id });
  await db
    .delete(destinations)
    .where(and(eq(destinations.workspaceId, workspaceId), eq(destinations.id, destinationId)));
  return { name: current.name, deadLettered: dropped.length };
}

/** Routes a channel's messages to a destination, or back to the outbox (null). */
export async function setRoute(
  db: DbOrTx,
  {
    workspaceId,
    channel,
    destinationId,
  }: { workspaceId: string; channel: Channel; destinationId: string | null },
): Promise<{ channel: Channel; destinationName: string | null }> {
  if (destinationId === null) {
    await db
      .delete(destinationRoutes)
      .where(and(eq(destinationRoutes.workspaceId, workspaceId), eq(destinationRoutes.channel, channel)));
    return { channel, destinationName: null };
  }
  const { name, kind } = await destinationKindOf(db, workspaceId, destinationId);
  if (kind === "smtp" && channel !== "email")
    throw new RuleError(
      `An SMTP destination sends email; route the ${channel} channel to a webhook or the outbox.`,
    );
  await db
    .insert(destinationRoutes)
    .values({ workspaceId, channel, destinationId })
    .onConflictDoUpdate({
      target: [destinationRoutes.workspaceId, destinationRoutes.channel],
      set: { destinationId },
    });
  return { channel, destinationName: name };
}

/** A destination ready to send through: settings and the opened credential. */
export type SendingDestination =
  | { id: string | null; kind: "outbox"; name: string }
  | { id: string; kind: "smtp"; name: string; settings: SmtpSettings; password: string | null }
  | { id: string; kind: "webhook"; name: string; settings: WebhookSettings; signingSecret: string };

export const OUTBOX: SendingDestination = { id: null, kind: "outbox", name: "Outbox" };

export async function loadSendingDestination(
  db: DbOrTx,
  workspaceId: string,
  destinationId: string,
): Promise<SendingDestination> {
  const [row] = await db
    .select()
    .from(destinations)
    .where(and(eq(destinations.workspaceId, workspaceId), eq(destinations.id, destinationId)));
  if (!row) throw new NotFoundError("There is no such destination in this workspace.");
  const secret = row.sealedSecret ? openSecret(row.sealedSecret, secretBinding(workspaceId, row.id)) : null;
  if (row.kind === "smtp")
    return {
      id: row.id,
      kind: "smtp",
      name: row.name,
      settings: row.settings as SmtpSettings,
      password: secret,
    };
  if (row.kind === "webhook") {
    if (!secret)
      throw new RuleError(
        `The webhook “${row.name}” has no signing secret; set one in Settings → Destinations.`,
      );
    return {
      id: row.id,
      kind: "webhook",
      name: row.name,
      settings: row.settings as WebhookSettings,
      signingSecret: secret,
    };
  }
  return { id: row.id, kind: "outbox", name: row.name };
}

/** Where a channel's messages go: its routed destination, else the outbox. */
export async function routeFor(db: DbOrTx, workspaceId: string, channel: Channel) {
  const [route] = await db
    .select({ destinationId: destinationRoutes.destinationId, kind: destinations.kind })
    .from(destinationRoutes)
    .innerJoin(
      destinations,
      and(
        eq(destinations.workspaceId, destinationRoutes.workspaceId),
        eq(destinations.id, destinationRoutes.destinationId),
      ),
    )
    .where(and(eq(destinationRoutes.workspaceId, workspaceId), eq(destinationRoutes.channel, channel)));
  return route
    ? { destinationId: route.destinationId, kind: route.kind }
    : { destinationId: null, kind: "outbox" as const };
}

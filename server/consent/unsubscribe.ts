import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "~/db";
import type { Channel } from "~/db/enums";
import { customerConsents, workspaces } from "~/db/schema";
import { NotFoundError } from "~/server/errors";
import { resolveProfile } from "~/server/identity/merge";
import { setConsent } from "./store";
import { verifyUnsubscribeToken } from "./token";

// What the unsubscribe link (app/u/[token]) shows and does. The token is the
// authority: no sign-in. A forged or altered one is refused before the
// database is read, so a flood of made-up links costs an HMAC each.

export type UnsubscribeView =
  | { kind: "invalid" }
  | { kind: "gone" }
  | { kind: "ready" | "unsubscribed"; workspaceName: string; channel: Channel };

/** What the page says for a token: ask to confirm, or already unsubscribed. Reads only. */
export async function viewUnsubscribe(db: Database, token: string): Promise<UnsubscribeView> {
  const target = verifyUnsubscribeToken(token);
  if (!target) return { kind: "invalid" };
  const [workspace] = await db
    .select({ name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, target.workspaceId));
  const customerId = workspace ? await resolveProfile(db, target.workspaceId, target.customerId) : undefined;
  if (!workspace || !customerId) return { kind: "gone" };
  const [consent] = await db
    .select({ state: customerConsents.state })
    .from(customerConsents)
    .where(
      and(
        eq(customerConsents.workspaceId, target.workspaceId),
        eq(customerConsents.customerId, customerId),
        eq(customerConsents.channel, target.channel),
      ),
    );
  return {
    kind: consent?.state === "unsubscribed" ? "unsubscribed" : "ready",
    workspaceName: workspace.name,
    channel: target.channel,
  };
}

/** Unsubscribes the token's customer from its channel (again: nothing new is recorded). */
export async function unsubscribeWithToken(db: Database, token: string): Promise<UnsubscribeView> {
  const target = verifyUnsubscribeToken(token);
  if (!target) return { kind: "invalid" };
  try {
    return await db.transaction(async (tx) => {
      const [workspace] = await tx
        .select({ name: workspaces.name })
        .from(workspaces)
        .where(eq(workspaces.id, target.workspaceId));
      if (!workspace) return { kind: "gone" } as const;
      await setConsent(tx, {
        workspaceId: target.workspaceId,
        customerId: target.customerId,
        channels: [target.channel],
        state: "unsubscribed",
        source: "link",
        actorUserId: null,
      });
      return { kind: "unsubscribed", workspaceName: workspace.name, channel: target.channel } as const;
    });
  } catch (error) {
    // The customer was deleted since the message went out.
    if (error instanceof NotFoundError) return { kind: "gone" };
    throw error;
  }
}

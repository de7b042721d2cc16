import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { executePrepared } from "~/db/prepared";
import type { Channel, ConsentState } from "~/db/enums";
import type { NormalizedMessage } from "~/server/ingest/messages";
import { consentFromTraits } from "./traits";

// Subscriptions set by identify traits (./traits.ts), stored with the batch
// that carries them. Only identifies with a consent key do any work; a batch
// without one costs a set lookup per identify trait and no statement.

interface TraitConsent {
  customer_id: string;
  channel: Channel;
  state: ConsentState;
  at: string;
}

/** The subscription changes of a batch's stored identifies; `customerOf(i)` is message i's customer. */
export function traitConsents(
  messages: NormalizedMessage[],
  customerOf: (index: number) => string,
  stored: Set<string>,
): TraitConsent[] {
  // Per customer and channel, the latest message wins (by its own time, then batch order).
  const latest = new Map<string, TraitConsent>();
  messages.forEach((m, i) => {
    if (m.type !== "identify" || !stored.has(m.messageId)) return;
    const states = consentFromTraits(m.traits);
    if (!states) return;
    const customerId = customerOf(i);
    for (const [channel, state] of Object.entries(states) as [Channel, ConsentState][]) {
      const key = `${customerId}/${channel}`;
      const previous = latest.get(key);
      if (previous && new Date(previous.at) > m.timestamp) continue;
      latest.set(key, { customer_id: customerId, channel, state, at: m.timestamp.toISOString() });
    }
  });
  return [...latest.values()];
}

/**
 * Stores them, unless the customer's subscription was set later than the
 * identify happened (a link click after it, a late-arriving older message).
 */
export async function applyTraitConsents(tx: DbOrTx, workspaceId: string, changes: TraitConsent[]) {
  if (changes.length === 0) return;
  await executePrepared(
    tx,
    sql`
    insert into customer_consents (workspace_id, customer_id, channel, state, source, changed_at)
    select ${workspaceId}, r.customer_id, r.channel::channel, r.state::consent_state, 'trait', r.at
    from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as r (customer_id uuid, channel text, state text, at timestamptz)
    on conflict (workspace_id, customer_id, channel) do update
      set state = excluded.state, source = excluded.source, changed_at = excluded.changed_at, changed_by = null
      where customer_consents.changed_at <= excluded.changed_at`,
  );
}

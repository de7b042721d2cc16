import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import type { Channel } from "~/db/enums";
import { uuidArray } from "~/db/sql";
import { normaliseAddress } from "./addresses";

// Asked before every send: may this message go to this customer at this
// address? No when the customer unsubscribed from the channel (an "all
// channels" unsubscribe is stored per channel), or when the address is on the
// workspace's suppression list for the channel. Each answer is a probe of two
// primary keys, in one statement.

export type Reachability = { allowed: true } | { allowed: false; reason: string };

export interface ReachabilityQuery {
  workspaceId: string;
  customerId: string;
  channel: Channel;
  /** The recipient's address on the channel (email, phone); null when the destination needs none. */
  address: string | null;
}

type Row = {
  unsubscribed_by: string | null;
  unsubscribed_at: Date | string | null;
  suppressed_for: string | null;
};

const sourceWords: Record<string, string> = {
  link: "by the unsubscribe link",
  trait: "by an identify trait",
  manual: "by hand",
};

function answer(channel: Channel, row: Row | undefined): Reachability {
  if (row?.unsubscribed_by) {
    const at = row.unsubscribed_at ? new Date(row.unsubscribed_at).toISOString().slice(0, 10) : "";
    return {
      allowed: false,
      reason:
        `unsubscribed from ${channel} ${sourceWords[row.unsubscribed_by] ?? ""}${at ? ` on ${at}` : ""}`.trim(),
    };
  }
  if (row?.suppressed_for != null) {
    return {
      allowed: false,
      reason: `the address is on the suppression list for ${channel}: ${row.suppressed_for}`,
    };
  }
  return { allowed: true };
}

/** Whether a message on `channel` may go to the customer at `address`. */
export async function reachability(db: DbOrTx, query: ReachabilityQuery): Promise<Reachability> {
  const [result] = await reachabilityMany(db, {
    workspaceId: query.workspaceId,
    channel: query.channel,
    recipients: [{ customerId: query.customerId, address: query.address }],
  });
  return result!;
}

/** The same for many customers on one channel at once (a journey step's batch), in their order. */
export async function reachabilityMany(
  db: DbOrTx,
  query: {
    workspaceId: string;
    channel: Channel;
    recipients: { customerId: string; address: string | null }[];
  },
): Promise<Reachability[]> {
  const { workspaceId, channel, recipients } = query;
  if (recipients.length === 0) return [];
  // An address that is not one for the channel cannot be on the list; null keeps the position.
  const addresses = recipients.map((r) =>
    r.address === null ? null : (normaliseAddress(channel, r.address) ?? null),
  );
  const result = await db.execute<Row & { ord: number }>(sql`
    select r.ord::int as ord, c.source::text as unsubscribed_by, c.changed_at as unsubscribed_at, s.reason as suppressed_for
    from unnest(${uuidArray(recipients.map((r) => r.customerId))}, ${sql.param(addresses)}::text[])
      with ordinality as r (customer_id, address, ord)
    left join customer_consents c
      on c.workspace_id = ${workspaceId} and c.customer_id = r.customer_id
      and c.channel = ${channel}::channel and c.state = 'unsubscribed'
    left join suppressions s
      on s.workspace_id = ${workspaceId} and s.channel = ${channel}::channel and s.address = r.address`);
  const byOrder = new Map(result.rows.map((row) => [Number(row.ord), row]));
  return recipients.map((_, i) => answer(channel, byOrder.get(i + 1)));
}

/**
 * Everything reachability needs for a batch of customers, loaded in one
 * statement, as a synchronous check: for a caller that decides many customers'
 * steps at once on any channel (the journey runner). `addresses` are each
 * customer's addresses on any channel (email, phone); a check with an address
 * not given here is answered on the customer's subscription alone.
 */
export async function loadReachability(
  db: DbOrTx,
  workspaceId: string,
  recipients: { customerId: string; addresses: (string | null)[] }[],
) {
  const customerIds = [...new Set(recipients.map((r) => r.customerId))];
  // An address in every form it may be stored in: as an email, and as any other channel's.
  const addresses = [
    ...new Set(
      recipients.flatMap((r) =>
        r.addresses.flatMap((address) =>
          address === null ? [] : [normaliseAddress("email", address), normaliseAddress("mobile", address)],
        ),
      ),
    ),
  ].filter((address): address is string => address !== undefined);
  const result =
    customerIds.length === 0
      ? { rows: [] }
      : await db.execute<{
          kind: "u" | "s";
          key: string;
          channel: Channel;
          detail: string;
          at: Date | string;
        }>(sql`
          select 'u' as kind, customer_id::text as key, channel, source::text as detail, changed_at as at
          from customer_consents
          where workspace_id = ${workspaceId} and customer_id = any(${uuidArray(customerIds)}) and state = 'unsubscribed'
          union all
          select 's', address, channel, reason, created_at
          from suppressions
          where workspace_id = ${workspaceId} and channel = any(enum_range(null::channel))
            and address = any(${sql.param(addresses)}::text[])`);
  const unsubscribed = new Map<string, Row>();
  const suppressed = new Map<string, string>();
  for (const row of result.rows) {
    if (row.kind === "u") {
      unsubscribed.set(`${row.key}/${row.channel}`, {
        unsubscribed_by: row.detail,
        unsubscribed_at: row.at,
        suppressed_for: null,
      });
    } else suppressed.set(`${row.channel}/${row.key}`, row.detail);
  }
  return {
    check(customerId: string, channel: Channel, address: string | null): Reachability {
      const normalised = address === null ? undefined : normaliseAddress(channel, address);
      return answer(
        channel,
        unsubscribed.get(`${customerId}/${channel}`) ?? {
          unsubscribed_by: null,
          unsubscribed_at: null,
          suppressed_for:
            normalised === undefined ? null : (suppressed.get(`${channel}/${normalised}`) ?? null),
        },
      );
    },
  };
}

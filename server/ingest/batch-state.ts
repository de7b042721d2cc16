import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { executePrepared } from "~/db/prepared";
import { opaqueWorkspace, textArray, uuidArray } from "~/db/sql";
import { lockedProfilesQuery, lockFreeProfiles, takeIdentifierLocks } from "~/server/identity/locks";
import type { Identifier, NormalizedMessage } from "./messages";
import { identityKey, lookupIdentifiers, type KnownState } from "./resolve";

// What a batch may rely on while it is written: its identifiers locked, the
// stored profiles they resolve to locked (server/identity/locks.ts), and what
// the database holds about them read after those locks were taken.

/**
 * The batch needed a profile that another writer holds, and waiting for it
 * while holding others could deadlock: its transaction rolls back and starts
 * again, taking these profiles' locks along with the rest.
 */
export class ProfilesBusy extends Error {
  name = "ProfilesBusy";
  constructor(readonly profiles: string[]) {
    super(
      "The customers of this batch changed under concurrent requests too often; the batch was not stored.",
    );
  }
}

export interface BatchState {
  /** messageIds already stored. */
  storedIds: Set<string>;
  known: KnownState;
}

/**
 * Locks the batch's identifiers and the stored profiles they resolve to (and
 * `alsoLock`), then reads what the database holds about them. A profile the
 * identifiers reach only after the locks were taken (one created or merged
 * into meanwhile) is locked without waiting and the state read again; if
 * another writer holds it, ProfilesBusy.
 */
export async function lockAndLoadBatchState(
  tx: DbOrTx,
  workspaceId: string,
  messages: NormalizedMessage[],
  alsoLock: string[],
): Promise<BatchState> {
  const identifiers = dedupeIdentifiers(messages.flatMap(lookupIdentifiers));
  const locked = await lockIdentifiersAndProfiles(tx, workspaceId, identifiers, alsoLock);
  for (;;) {
    const state = await loadBatchState(tx, workspaceId, messages, identifiers);
    const unlocked = [...new Set(state.known.identities.values())].filter((id) => !locked.has(id));
    if (unlocked.length === 0) return state;
    const taken = await lockFreeProfiles(tx, workspaceId, unlocked, "for no key update");
    if (taken.size < unlocked.length) throw new ProfilesBusy([...locked, ...unlocked]);
    for (const id of taken) locked.add(id);
  }
}

/**
 * Takes the identifier locks, then the profile locks of the profiles the
 * identifiers resolve to as the statement began (and `alsoLock`), in one round
 * trip; returns the profiles locked. Also switches the transaction to generic plans.
 *
 * Why generic plans: the planner's statistics know the workspaces that existed
 * at the last ANALYZE. A workspace created since (or one that has grown fast)
 * is estimated at one row, so "workspace_id = $1 and message_id = any($2)"
 * is planned as a scan of the whole workspace on any workspace-leading index,
 * filtering message ids, whose cost grows with the workspace's events, instead
 * of 100 probes of the unique index.
 * A generic plan estimates a workspace at its average share of the table and
 * always picks the key lookups, which is what every statement here is.
 */
async function lockIdentifiersAndProfiles(
  tx: DbOrTx,
  workspaceId: string,
  identifiers: Identifier[],
  alsoLock: string[],
) {
  const identifierLocks = takeIdentifierLocks(
    workspaceId,
    identifiers.map((i) => i.value),
  );
  const profiles = sql`array(
    select customer_id from (${storedIdentities(workspaceId, identifiers)}) found
    union all select unnest(${uuidArray(alsoLock)}))`;
  // The lateral subquery reads the identifier locks' count, so it runs only once they are all taken.
  const profileLocks = lockedProfilesQuery(workspaceId, profiles, "for no key update", {
    where: sql`l.taken >= 0`,
  });
  const rows = await executePrepared<{ id: string }>(
    tx,
    sql`
    with identifier_locks as (
      select set_config('plan_cache_mode', 'force_generic_plan', true) as plan_mode, ${identifierLocks} as taken
    )
    select p.id from identifier_locks l cross join lateral (${profileLocks}) p`,
  );
  return new Set(rows.rows.map((row) => row.id));
}

/**
 * What the database already has for this batch, in one round trip: which
 * messageIds are stored, which profiles the identifiers resolve to, the
 * userIds of those profiles and the pairs of them a person split apart.
 */
async function loadBatchState(
  tx: DbOrTx,
  workspaceId: string,
  messages: NormalizedMessage[],
  wanted: Identifier[],
): Promise<BatchState> {
  const rows = await executePrepared<{
    tag: "stored" | "identity" | "user_id" | "split";
    a: string;
    b: string | null;
    c: string | null;
  }>(
    tx,
    sql`
    with found as (${storedIdentities(workspaceId, wanted)}), profiles as (
      select distinct customer_id as id from found
    )
    select 'stored' as tag, message_id as a, null as b, null as c
    from events where workspace_id = ${workspaceId} and message_id = any(${textArray(messages.map((m) => m.messageId))})
    union all
    select 'identity', customer_id::text, kind::text, value from found
    union all
    select 'user_id', i.customer_id::text, i.value, null
    from identities i join profiles p on i.customer_id = p.id
    where i.workspace_id = ${workspaceId} and i.kind = 'user_id'
    union all
    select 'split', m.survivor_id::text, m.merged_id::text, null
    from identity_merges m
    where m.workspace_id = ${workspaceId} and m.undone_at is not null
      and (m.survivor_id in (select id from profiles) or m.merged_id in (select id from profiles))`,
  );

  const storedIds = new Set<string>();
  const known: KnownState = { identities: new Map(), userIds: new Map(), splitPairs: new Set() };
  for (const { tag, a, b, c } of rows.rows) {
    if (tag === "stored") storedIds.add(a);
    else if (tag === "identity") known.identities.set(identityKey(b as Identifier["kind"], c!), a);
    else if (tag === "user_id") known.userIds.set(a, (known.userIds.get(a) ?? new Set()).add(b!));
    else known.splitPairs.add(`${a}|${b}`);
  }
  return { storedIds, known };
}

/** The stored identities of these identifiers: kind, value and the profile each resolves to. */
function storedIdentities(workspaceId: string, identifiers: Identifier[]) {
  return sql`
    select i.kind, i.value, i.customer_id
    from unnest(${textArray(identifiers.map((i) => i.kind))}::identity_kind[], ${textArray(identifiers.map((i) => i.value))})
      as w (kind, value)
    join identities i on i.workspace_id = ${opaqueWorkspace(workspaceId)} and i.kind = w.kind and i.value = w.value`;
}

function dedupeIdentifiers(list: Identifier[]) {
  const map = new Map(list.map((i) => [identityKey(i.kind, i.value), i]));
  return [...map.values()];
}

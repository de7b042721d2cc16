import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { executePrepared } from "~/db/prepared";
import { opaqueWorkspace, textArray, uuidArray } from "~/db/sql";

// How writers of identity data keep out of each other's way.
//
// Identifier locks (transaction advisory locks, one per identifier value)
// serialise whoever gives an identifier its first profile, so that one
// identifier never gets two.
//
// Profile locks (row locks on customers) guard a profile's history, its
// events and identifiers, so that nothing is written to a profile while it is
// merged away:
// - moving a profile's history away (a merge, a split) holds FOR UPDATE;
// - the tracking API holds FOR NO KEY UPDATE on every stored profile its batch
//   resolves to, from before it reads what they hold until it commits, so
//   batches that reach one person through different identifiers take turns;
// - an import adds events under FOR KEY SHARE, which only a merge conflicts
//   with, so imports and the tracking API's summaries do not wait for each other.
// A holder re-reads what it locked: a profile merged away before it got the
// lock has left its history to its survivor, and the writer goes there.
//
// Deadlocks: identifier locks come before profile locks; each statement takes
// its locks in key order; a writer that finds it needs more profiles takes them
// without waiting, or gives its locks back and starts again.

/** How many times a writer starts again after giving its locks back, before it fails. */
export const MAX_WRITE_ATTEMPTS = 20;

/** The advisory lock of an identifier: whoever creates or moves a profile for it holds this lock. */
export function identifierLockKey(workspaceId: string, value: string) {
  return `${workspaceId}:${value}`;
}

/** An SQL expression that takes these identifiers' locks, in a fixed order, and counts them. */
export function takeIdentifierLocks(workspaceId: string, values: string[]): SQL {
  const keys = [...new Set(values.map((value) => identifierLockKey(workspaceId, value)))];
  return sql`(select count(pg_advisory_xact_lock(h)) from (
    select distinct hashtextextended(k, 0) as h from unnest(${textArray(keys)}) as k order by 1) locks)`;
}

export type ProfileLock = "for update" | "for no key update" | "for key share";

/**
 * A query of the rows of the profiles in `ids` (an SQL uuid[] expression),
 * locked in id order; `where` narrows them further. Each id is a probe of the
 * primary key, taken in order by the nested loop.
 */
export function lockedProfilesQuery(
  workspaceId: string,
  ids: SQL,
  lock: ProfileLock,
  options: { where?: SQL; skipLocked?: boolean } = {},
): SQL {
  return sql`
    select c.id, c.merged_into
    from (select distinct id from unnest(${ids}) as t (id) order by id) t
    cross join lateral (
      select c.id, c.merged_into from customers c
      where c.workspace_id = ${opaqueWorkspace(workspaceId)} and c.id = t.id ${options.where ? sql`and ${options.where}` : sql``}
      ${sql.raw(lock)} ${options.skipLocked ? sql`skip locked` : sql``}
    ) c`;
}

/** Locks these profiles, waiting for whoever holds them; returns each with the profile it was merged into, if any. */
export async function lockProfiles(db: DbOrTx, workspaceId: string, ids: string[], lock: ProfileLock) {
  if (ids.length === 0) return new Map<string, string | null>();
  const rows = await executePrepared<{ id: string; merged_into: string | null }>(
    db,
    lockedProfilesQuery(workspaceId, uuidArray(ids), lock),
  );
  return new Map(rows.rows.map((row) => [row.id, row.merged_into]));
}

/** Locks those of these profiles that no one holds in a conflicting way, without waiting; returns the ids it locked. */
export async function lockFreeProfiles(db: DbOrTx, workspaceId: string, ids: string[], lock: ProfileLock) {
  if (ids.length === 0) return new Set<string>();
  const rows = await executePrepared<{ id: string }>(
    db,
    lockedProfilesQuery(workspaceId, uuidArray(ids), lock, { skipLocked: true }),
  );
  return new Set(rows.rows.map((row) => row.id));
}

import "server-only";
import { createHash } from "node:crypto";
import { and, desc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { profileReadKeys, users } from "~/db/schema";
import { ConflictError, NotFoundError } from "~/server/errors";
import { generateWriteKey, LAST_USED_RESOLUTION_MS } from "~/server/writekeys/writekeys";

// Read keys authenticate the profile API (GET /v1/profiles/{id}). A read key reads
// customers' traits, segments and value, so unlike a write key it is shown once and
// only its SHA-256 is kept. The key is `crk_<workspace id, 32 hex>_<secret, 32 base62>`:
// naming the workspace lets the lookup use (workspace_id, key_hash), one index probe
// and, on Citus, one shard. The two kinds of key cannot stand in for each other: a
// read key is not a well-formed write key, and write keys are not in this table.

const READ_KEY = /^crk_([0-9a-f]{32})_([0-9A-Za-z]{32})$/;
/** Characters of the secret shown in Settings to tell keys apart. */
const PREFIX_LENGTH = 6;

export function hashReadKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

function workspaceHex(workspaceId: string) {
  return workspaceId.replaceAll("-", "").toLowerCase();
}

function workspaceIdOf(hex: string) {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new key for a workspace: its text (shown once), what is stored of it, and the part Settings shows. */
export function generateReadKey(workspaceId: string) {
  const secret = generateWriteKey();
  const key = `crk_${workspaceHex(workspaceId)}_${secret}`;
  return { key, keyHash: hashReadKey(key), prefix: `crk_…${secret.slice(0, PREFIX_LENGTH)}` };
}

/** The workspace a well-formed read key names, or undefined for text that is not a read key. */
export function parseReadKey(key: string): { workspaceId: string } | undefined {
  const match = READ_KEY.exec(key);
  return match ? { workspaceId: workspaceIdOf(match[1]!) } : undefined;
}

export interface ReadKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  createdByName: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Pages whose browsers may read with the key; empty = any. */
  allowedOrigins: string[];
}

export async function createReadKey(
  db: DbOrTx,
  input: { workspaceId: string; name: string; createdBy: string | null },
): Promise<{ id: string; name: string; prefix: string; key: string; createdAt: Date }> {
  const { key, keyHash, prefix } = generateReadKey(input.workspaceId);
  const [created] = await db
    .insert(profileReadKeys)
    .values({ workspaceId: input.workspaceId, name: input.name, prefix, keyHash, createdBy: input.createdBy })
    .returning({
      id: profileReadKeys.id,
      name: profileReadKeys.name,
      prefix: profileReadKeys.prefix,
      createdAt: profileReadKeys.createdAt,
    });
  return { ...created!, key };
}

/** Active and revoked keys, newest first; never a key's text, which is not kept. */
export async function listReadKeys(db: DbOrTx, workspaceId: string): Promise<ReadKeyRow[]> {
  return db
    .select({
      id: profileReadKeys.id,
      name: profileReadKeys.name,
      prefix: profileReadKeys.prefix,
      createdAt: profileReadKeys.createdAt,
      createdByName: users.name,
      lastUsedAt: profileReadKeys.lastUsedAt,
      revokedAt: profileReadKeys.revokedAt,
      allowedOrigins: profileReadKeys.allowedOrigins,
    })
    .from(profileReadKeys)
    .leftJoin(users, eq(users.id, profileReadKeys.createdBy))
    .where(eq(profileReadKeys.workspaceId, workspaceId))
    .orderBy(desc(profileReadKeys.createdAt), desc(profileReadKeys.id));
}

/** Why a change to a key of the workspace found nothing to change: unknown, or revoked. */
async function refuseChange(
  db: DbOrTx,
  input: { workspaceId: string; keyId: string },
  revoked: string,
): Promise<never> {
  const [existing] = await db
    .select({ name: profileReadKeys.name })
    .from(profileReadKeys)
    .where(and(eq(profileReadKeys.workspaceId, input.workspaceId), eq(profileReadKeys.id, input.keyId)));
  if (!existing) throw new NotFoundError("No read key with that id in this workspace.");
  throw new ConflictError(`The read key “${existing.name}” ${revoked}`);
}

const activeKey = (input: { workspaceId: string; keyId: string }) =>
  and(
    eq(profileReadKeys.workspaceId, input.workspaceId),
    eq(profileReadKeys.id, input.keyId),
    isNull(profileReadKeys.revokedAt),
  );

/** Revokes a key at once: the next request that sends it is refused. */
export async function revokeReadKey(
  db: DbOrTx,
  input: { workspaceId: string; keyId: string },
  now = new Date(),
): Promise<{ id: string; name: string; revokedAt: Date }> {
  const [revoked] = await db
    .update(profileReadKeys)
    .set({ revokedAt: now })
    .where(activeKey(input))
    .returning({ id: profileReadKeys.id, name: profileReadKeys.name, revokedAt: profileReadKeys.revokedAt });
  if (revoked) return { ...revoked, revokedAt: revoked.revokedAt! };
  return refuseChange(db, input, "has already been revoked.");
}

/** Replaces the origins a key allows (in browser form, see ~/server/writekeys/origins). */
export async function setReadKeyOrigins(
  db: DbOrTx,
  input: { workspaceId: string; keyId: string; allowedOrigins: string[] },
): Promise<{ id: string; name: string; allowedOrigins: string[] }> {
  const [updated] = await db
    .update(profileReadKeys)
    .set({ allowedOrigins: input.allowedOrigins })
    .where(activeKey(input))
    .returning({
      id: profileReadKeys.id,
      name: profileReadKeys.name,
      allowedOrigins: profileReadKeys.allowedOrigins,
    });
  if (updated) return updated;
  return refuseChange(db, input, "has been revoked; its origins no longer matter.");
}

/**
 * The workspace of an active read key, or undefined for anything else. Every call
 * reads the key, so a revocation takes effect on the next request; `lastUsedAt` is
 * written at most once a minute per key, as for write keys.
 */
export async function findReadKey(
  db: DbOrTx,
  key: string,
  now = new Date(),
): Promise<{ workspaceId: string; keyId: string; allowedOrigins: string[] } | undefined> {
  const named = parseReadKey(key);
  if (!named) return undefined;
  const [found] = await db
    .select({
      keyId: profileReadKeys.id,
      allowedOrigins: profileReadKeys.allowedOrigins,
      lastUsedAt: profileReadKeys.lastUsedAt,
    })
    .from(profileReadKeys)
    .where(
      and(
        eq(profileReadKeys.workspaceId, named.workspaceId),
        eq(profileReadKeys.keyHash, hashReadKey(key)),
        isNull(profileReadKeys.revokedAt),
      ),
    );
  if (!found) return undefined;
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!found.lastUsedAt || found.lastUsedAt <= staleBefore) {
    await db
      .update(profileReadKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(profileReadKeys.workspaceId, named.workspaceId),
          eq(profileReadKeys.id, found.keyId),
          or(isNull(profileReadKeys.lastUsedAt), lte(profileReadKeys.lastUsedAt, staleBefore)),
        ),
      );
  }
  return { workspaceId: named.workspaceId, keyId: found.keyId, allowedOrigins: found.allowedOrigins };
}

/** Whether some active read key, of any workspace, lets pages of `origin` read: what a preflight is answered from. */
export async function someReadKeyAllowsOrigin(db: DbOrTx, origin: string): Promise<boolean> {
  const [found] = await db
    .select({ id: profileReadKeys.id })
    .from(profileReadKeys)
    .where(
      and(
        isNull(profileReadKeys.revokedAt),
        or(
          sql`cardinality(${profileReadKeys.allowedOrigins}) = 0`,
          sql`${origin} = any(${profileReadKeys.allowedOrigins})`,
        ),
      ),
    )
    .limit(1);
  return found !== undefined;
}

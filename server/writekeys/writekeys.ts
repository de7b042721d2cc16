import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "~/db";
import { users, writeKeys } from "~/db/schema";
import { ConflictError, NotFoundError } from "~/server/errors";

// Write keys authenticate the tracking API (/api/v1/*) as Segment's do: the
// key is the HTTP Basic user name. They ship inside web pages and apps, so they
// only let a sender add events to one workspace, and are shown in full to admins.

export const WRITE_KEY_LENGTH = 32;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const WELL_FORMED = /^[0-9A-Za-z]{32}$/;

/** How stale `lastUsedAt` may get: one write per key per minute at most, not one per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export const ZWriteKeyName = z
  .string()
  .trim()
  .min(1, "Name the key after where it is used, e.g. “Web shop”")
  .max(80, "Name must be at most 80 characters");

/** 32 random base62 characters (about 190 bits), without modulo bias. */
export function generateWriteKey(): string {
  let key = "";
  while (key.length < WRITE_KEY_LENGTH) {
    for (const byte of randomBytes(48)) {
      // 248 = 4 × 62: bytes above it would favour the first characters.
      if (byte < 248) key += BASE62[byte % 62];
      if (key.length === WRITE_KEY_LENGTH) break;
    }
  }
  return key;
}

export function isWellFormedWriteKey(key: string): boolean {
  return WELL_FORMED.test(key);
}

export interface WriteKeyRow {
  id: string;
  name: string;
  key: string;
  createdAt: Date;
  createdByName: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Pages whose browsers may send with the key; empty = any. */
  allowedOrigins: string[];
}

const listColumns = {
  id: writeKeys.id,
  name: writeKeys.name,
  key: writeKeys.key,
  createdAt: writeKeys.createdAt,
  createdByName: users.name,
  lastUsedAt: writeKeys.lastUsedAt,
  revokedAt: writeKeys.revokedAt,
  allowedOrigins: writeKeys.allowedOrigins,
};

export async function createWriteKey(
  db: DbOrTx,
  input: { workspaceId: string; name: string; createdBy: string | null },
): Promise<{ id: string; name: string; key: string; createdAt: Date }> {
  const [created] = await db
    .insert(writeKeys)
    .values({
      workspaceId: input.workspaceId,
      name: input.name,
      key: generateWriteKey(),
      createdBy: input.createdBy,
    })
    .returning({
      id: writeKeys.id,
      name: writeKeys.name,
      key: writeKeys.key,
      createdAt: writeKeys.createdAt,
    });
  return created!;
}

/** Active and revoked keys, newest first. */
export async function listWriteKeys(db: DbOrTx, workspaceId: string): Promise<WriteKeyRow[]> {
  return db
    .select(listColumns)
    .from(writeKeys)
    .leftJoin(users, eq(users.id, writeKeys.createdBy))
    .where(eq(writeKeys.workspaceId, workspaceId))
    .orderBy(desc(writeKeys.createdAt), desc(writeKeys.id));
}

/** Revokes a key at once: the next request that sends it is refused. */
export async function revokeWriteKey(
  db: DbOrTx,
  input: { workspaceId: string; keyId: string },
  now = new Date(),
): Promise<{ id: string; name: string; revokedAt: Date }> {
  const [revoked] = await db
    .update(writeKeys)
    .set({ revokedAt: now })
    .where(
      and(
        eq(writeKeys.workspaceId, input.workspaceId),
        eq(writeKeys.id, input.keyId),
        isNull(writeKeys.revokedAt),
      ),
    )
    .returning({ id: writeKeys.id, name: writeKeys.name, revokedAt: writeKeys.revokedAt });
  if (revoked) return { ...revoked, revokedAt: revoked.revokedAt! };
  const [existing] = await db
    .select({ name: writeKeys.name })
    .from(writeKeys)
    .where(and(eq(writeKeys.workspaceId, input.workspaceId), eq(writeKeys.id, input.keyId)));
  if (!existing) throw new NotFoundError("No write key with that id in this workspace.");
  throw new ConflictError(`The write key “${existing.name}” has already been revoked.`);
}

/**
 * The workspace an active key belongs to, or undefined for an unknown or
 * revoked key. Every call reads the key, so a revocation takes effect on the
 * next request; `lastUsedAt` is written only when it is a minute or more old,
 * and the conditional UPDATE lets one of several concurrent requests write it.
 */
export async function findWorkspaceByWriteKey(
  db: DbOrTx,
  key: string,
  now = new Date(),
): Promise<{ workspaceId: string; keyId: string; allowedOrigins: string[] } | undefined> {
  if (!isWellFormedWriteKey(key)) return undefined;
  const [found] = await db
    .select({
      workspaceId: writeKeys.workspaceId,
      keyId: writeKeys.id,
      allowedOrigins: writeKeys.allowedOrigins,
      lastUsedAt: writeKeys.lastUsedAt,
    })
    .from(writeKeys)
    .where(and(eq(writeKeys.key, key), isNull(writeKeys.revokedAt)));
  if (!found) return undefined;
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!found.lastUsedAt || found.lastUsedAt <= staleBefore) {
    await db
      .update(writeKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(writeKeys.workspaceId, found.workspaceId),
          eq(writeKeys.id, found.keyId),
          or(isNull(writeKeys.lastUsedAt), lte(writeKeys.lastUsedAt, staleBefore)),
        ),
      );
  }
  return { workspaceId: found.workspaceId, keyId: found.keyId, allowedOrigins: found.allowedOrigins };
}

/** Replaces the origins a key allows (already in browser form, see ./origins); revoked keys stay as they are. */
export async function setAllowedOrigins(
  db: DbOrTx,
  input: { workspaceId: string; keyId: string; allowedOrigins: string[] },
): Promise<{ id: string; name: string; allowedOrigins: string[] }> {
  const [updated] = await db
    .update(writeKeys)
    .set({ allowedOrigins: input.allowedOrigins })
    .where(
      and(
        eq(writeKeys.workspaceId, input.workspaceId),
        eq(writeKeys.id, input.keyId),
        isNull(writeKeys.revokedAt),
      ),
    )
    .returning({ id: writeKeys.id, name: writeKeys.name, allowedOrigins: writeKeys.allowedOrigins });
  if (updated) return updated;
  const [existing] = await db
    .select({ name: writeKeys.name })
    .from(writeKeys)
    .where(and(eq(writeKeys.workspaceId, input.workspaceId), eq(writeKeys.id, input.keyId)));
  if (!existing) throw new NotFoundError("No write key with that id in this workspace.");
  throw new ConflictError(`The write key “${existing.name}” has been revoked; its origins no longer matter.`);
}

/**
 * The allowed origins of an active key, or undefined for an unknown or revoked
 * one. Unlike findWorkspaceByWriteKey it is no use of the key: analytics.js
 * reads its settings on every page load, which sends no event.
 */
export async function allowedOriginsOfActiveKey(db: DbOrTx, key: string): Promise<string[] | undefined> {
  if (!isWellFormedWriteKey(key)) return undefined;
  const [found] = await db
    .select({ allowedOrigins: writeKeys.allowedOrigins })
    .from(writeKeys)
    .where(and(eq(writeKeys.key, key), isNull(writeKeys.revokedAt)));
  return found?.allowedOrigins;
}

/**
 * Whether some active key, of any workspace, lets pages of `origin` send: what a
 * CORS preflight can be answered from, since it carries no write key.
 */
export async function someActiveKeyAllowsOrigin(db: DbOrTx, origin: string): Promise<boolean> {
  const [found] = await db
    .select({ id: writeKeys.id })
    .from(writeKeys)
    .where(
      and(
        isNull(writeKeys.revokedAt),
        or(
          sql`cardinality(${writeKeys.allowedOrigins}) = 0`,
          sql`${origin} = any(${writeKeys.allowedOrigins})`,
        ),
      ),
    )
    .limit(1);
  return found !== undefined;
}

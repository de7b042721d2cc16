import "server-only";
import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { DbOrTx } from "~/db";
import { signInFailures } from "~/db/schema";

// Repeated failed sign-ins lock the email (against guessing one account's
// password) and the client address (against trying many accounts) for a while.
// Kept in the database so a restart does not reset the count.
//
// Each attempt is counted before its password is checked, in one atomic
// upsert, so that simultaneous attempts cannot all pass the check while the
// count is still low: of sixty at once, only the first `max` are evaluated.
// A successful sign-in then takes its attempt back.

export const throttlePolicy = {
  windowMinutes: 15,
  lockMinutes: 15,
  maxFailuresPerEmail: 5,
  maxFailuresPerAddress: 30,
};

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;

export function throttleKeys(email: string, address: string | undefined) {
  const keys = [{ key: emailKey(email), max: throttlePolicy.maxFailuresPerEmail }];
  if (address) keys.push({ key: `ip:${address}`, max: throttlePolicy.maxFailuresPerAddress });
  return keys;
}

type Keys = ReturnType<typeof throttleKeys>;

export type Attempt =
  | { allowed: true; lockOnFailure: string[] }
  | { allowed: false; secondsToWait: number };

/**
 * Counts an attempt against every key and says whether it may be evaluated.
 * When allowed, `lockOnFailure` lists the keys this attempt used up: a wrong
 * password then locks them.
 */
export async function reserveAttempt(db: DbOrTx, keys: Keys, now = new Date()): Promise<Attempt> {
  const windowStart = new Date(now.getTime() - throttlePolicy.windowMinutes * 60_000);
  // A row starts over when its window has passed, unless a lock is still in force.
  const startsOver = sql`(${signInFailures.windowStartedAt} < ${windowStart} and (${signInFailures.lockedUntil} is null or ${signInFailures.lockedUntil} <= ${now}))`;
  const rows = await db
    .insert(signInFailures)
    .values(keys.map(({ key }) => ({ key, failures: 1, windowStartedAt: now })))
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures: sql`case when ${startsOver} then 1 else ${signInFailures.failures} + 1 end`,
        windowStartedAt: sql`case when ${startsOver} then ${now} else ${signInFailures.windowStartedAt} end`,
        lockedUntil: sql`case when ${startsOver} then null else ${signInFailures.lockedUntil} end`,
      },
    })
    .returning({ key: signInFailures.key, failures: signInFailures.failures, lockedUntil: signInFailures.lockedUntil });

  const maxOf = new Map(keys.map(({ key, max }) => [key, max]));
  const lockedUntil = Math.max(0, ...rows.map((row) => row.lockedUntil?.getTime() ?? 0));
  const overLimit = rows.filter((row) => row.failures > maxOf.get(row.key)!);
  if (lockedUntil > now.getTime()) {
    return { allowed: false, secondsToWait: Math.ceil((lockedUntil - now.getTime()) / 1000) };
  }
  if (overLimit.length > 0) {
    // Attempts that overtook the one that used up the limit lock the key themselves.
    await lock(db, overLimit.map((row) => row.key), now);
    return { allowed: false, secondsToWait: throttlePolicy.lockMinutes * 60 };
  }
  return {
    allowed: true,
    lockOnFailure: rows.filter((row) => row.failures === maxOf.get(row.key)).map((row) => row.key),
  };
}

/** Locks these keys for `lockMinutes` from now, unless a lock is already in force. */
export async function lock(db: DbOrTx, keys: string[], now = new Date()) {
  if (keys.length === 0) return;
  const until = new Date(now.getTime() + throttlePolicy.lockMinutes * 60_000);
  await db
    .update(signInFailures)
    .set({ lockedUntil: until })
    .where(
      and(
        inArray(signInFailures.key, keys),
        or(isNull(signInFailures.lockedUntil), lte(signInFailures.lockedUntil, now)),
      ),
    );
}

/** A successful sign-in forgets the account's failures and takes its attempt back from the address. */
export async function forgiveAttempt(db: DbOrTx, keys: Keys) {
  const [account, ...others] = keys;
  if (account) await db.delete(signInFailures).where(eq(signInFailures.key, account.key));
  for (const { key } of others) {
    await db
      .update(signInFailures)
      .set({ failures: sql`greatest(${signInFailures.failures} - 1, 0)` })
      .where(eq(signInFailures.key, key));
  }
}
